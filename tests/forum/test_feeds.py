"""Atom feeds of the forum: the newest questions, a tag's, one question's answers. Every feed
parses without a bozo flag whatever the titles hold; nothing deleted, hidden or redacted ever
reaches one, even from the page cache; readers on slow links get 304 and compressed feeds."""
from datetime import timedelta

import pytest

from core.accounts.services import get_user_by_username
from core.timeutil import utcnow
from forum.models import Answer, Question
from forum.services import hiding, redaction
from tests.feedcheck import alternate_links, parse
from tests.forum.conftest import html

TAGGED = "night-shelter"
BODY = "A situation from the field, described in enough words to pass the length check."


@pytest.fixture
def people(make_user):
    return {"asker": make_user(), "helper": make_user(), "moderator": make_user("moderator")}


def _as(app, username):
    """The user called `username` (inside an application context of `app`)."""
    return get_user_by_username(username)


def _backdate(seed, model, row_id, minutes):
    seed.update(model, row_id, created_at=utcnow() - timedelta(minutes=minutes))


def _titles(feed):
    return [entry.title for entry in feed.entries]


def _everything(feed):
    """Every text a reader could see in the feed: titles, summaries, authors, links."""
    parts = [feed.feed.get("title", "")]
    for entry in feed.entries:
        parts += [entry.get("title", ""), entry.get("summary", ""), entry.get("author", ""),
                  entry.get("link", ""), entry.get("id", "")]
    return "\n".join(parts)


def test_the_newest_questions_feed_lists_them_newest_first(app, client, seed, people):
    first = seed.question(people["asker"], title="Where can a girl of 13 sleep tonight?")
    second = seed.question(people["helper"], title="How do I talk with a boy who runs away?")
    _backdate(seed, Question, first, 10)
    feed = parse(client.get("/feeds/questions"))
    assert _titles(feed) == ["How do I talk with a boy who runs away?",
                             "Where can a girl of 13 sleep tonight?"]
    entry = feed.entries[0]
    assert entry.link == (f"http://localhost/questions/{second}/"
                          "how-do-i-talk-with-a-boy-who-runs-away")
    assert entry.id == f"tag:localhost,2026:question-{second}"
    assert entry.author == people["helper"]
    assert entry.summary == BODY and entry.summary_detail.type == "text/plain"
    assert entry.updated.endswith("Z") and entry.published.endswith("Z")
    assert [tag.term for tag in entry.tags] == ["first-contact", "trust"]
    assert feed.feed.title == "Newest questions · Carnets"
    assert feed.feed.id == "http://localhost/feeds/questions"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": "http://localhost/feeds/questions",
                     "alternate": "http://localhost/questions"}


def test_addresses_come_from_the_configured_base_url(app, client, seed, people, monkeypatch):
    question_id = seed.question(people["asker"])
    monkeypatch.setitem(app.config, "CARNETS_BASE_URL", "https://carnets.example.org")
    feed = parse(client.get("/feeds/questions", headers={"Host": "evil.example"}))
    assert feed.entries[0].id == f"tag:carnets.example.org,2026:question-{question_id}"
    assert feed.entries[0].link.startswith(f"https://carnets.example.org/questions/{question_id}")


def test_a_summary_is_the_short_plain_text_of_the_post(app, client, seed, people):
    body = "**Bold** words, a [link](https://example.org) and <script>alert(1)</script>. " * 20
    seed.question(people["asker"], body=body)
    feed = parse(client.get("/feeds/questions"))
    summary = feed.entries[0].summary
    assert len(summary) <= 300 and summary.endswith("…")
    assert summary.startswith("Bold words, a link and <script>alert(1)</script>.")
    raw = html(client.get("/feeds/questions"))
    # Escaped text, never markup: the reader shows the characters as typed.
    assert "<script>" not in raw and "&lt;script&gt;" in raw and "<strong>" not in raw


TRICKY_TITLES = [
    'Tom & "Jerry" <b>bold</b> \'quotes\' </title></entry>]]> & more',
    "أين يمكن لطفل في الشارع أن ينام الليلة؟",
    "តើកុមារនៅតាមផ្លូវអាចដេកនៅឯណានៅយប់នេះ?",
    "Control \x01char\x08acters \x0b\x0c\x1b\x7f\x85 in a title here",
]


def test_any_title_gives_a_feed_every_reader_parses(app, client, seed, people):
    ids = []
    for minutes, title in enumerate(TRICKY_TITLES):
        question_id = seed.question(people["asker"], title=title, tags=TAGGED,
                                    body=f"{title}\n\n{BODY}")
        _backdate(seed, Question, question_id, minutes)
        seed.answer(people["helper"], question_id, body=f"{title} — {BODY}")
        ids.append(question_id)
    for url in ["/feeds/questions", f"/feeds/tags/{TAGGED}"] + [
            f"/feeds/questions/{i}" for i in ids]:
        feed = parse(client.get(url))
        assert feed.entries, url
    titles = _titles(parse(client.get("/feeds/questions")))
    assert titles[:3] == TRICKY_TITLES[:3]
    assert titles[3] == "Control characters  in a title here"
    answers = parse(client.get(f"/feeds/questions/{ids[0]}"))
    assert answers.feed.title == f"Answers to “{TRICKY_TITLES[0]}” · Carnets"
    # The page's link names the feed in the interface's words only: the post's title, in its
    # own language, stays out of an attribute that cannot say which language it is in.
    page = html(client.get(f"/questions/{ids[0]}"))
    assert alternate_links(page) == [
        (f"/feeds/questions/{ids[0]}", "Feed of the answers to this question (Atom)")]


def test_the_answers_feed_lists_live_answers_newest_first(app, client, seed, people):
    question_id = seed.question(people["asker"])
    older = seed.answer(people["helper"], question_id, body="Call the night team first. " * 3)
    newer = seed.answer(people["moderator"], question_id, body="The shelter on the hill. " * 3)
    _backdate(seed, Answer, older, 5)
    feed = parse(client.get(f"/feeds/questions/{question_id}"))
    assert [entry.id for entry in feed.entries] == [
        f"tag:localhost,2026:answer-{newer}", f"tag:localhost,2026:answer-{older}"]
    assert feed.entries[1].title == f"Answer by {people['helper']}"
    assert feed.entries[1].link.endswith(f"#answer-{older}")
    assert feed.entries[1].summary == ("Call the night team first. " * 3).strip()
    assert {link.rel: link.href for link in feed.feed.links}["alternate"] == (
        f"http://localhost/questions/{question_id}/how-do-i-build-trust-with-a-child-on-the-street")


def test_deleted_and_hidden_answers_never_reach_the_feed(app, client, seed, people):
    question_id = seed.question(people["asker"])
    kept = seed.answer(people["helper"], question_id, body="Kept: the night team helps. " * 3)
    deleted = seed.answer(people["helper"], question_id, body="Deleted quxnoralt words. " * 3)
    hidden = seed.answer(people["asker"], question_id, body="Hidden zimbelorth words. " * 3)
    url = f"/feeds/questions/{question_id}"
    assert len(parse(client.get(url)).entries) == 3  # now in the page cache
    seed.delete(people["helper"], "answer", deleted)
    with app.app_context():
        hiding.hide_post(_as(app, people["moderator"]), "answer", hidden, "names a child")
    feed = parse(client.get(url))
    assert [entry.id for entry in feed.entries] == [f"tag:localhost,2026:answer-{kept}"]
    text = _everything(feed) + html(client.get(url))
    assert "quxnoralt" not in text and "zimbelorth" not in text
    # The moderator, signed in, gets the same public feed: no hidden answer in it either.
    moderator = app.test_client()
    moderator.post_form("/auth/login", {"username": people["moderator"],
                                        "password": "correct horse battery"})
    assert "zimbelorth" not in html(moderator.get(url))


def test_deleted_and_hidden_questions_leave_every_feed(app, client, seed, people):
    kept = seed.question(people["asker"], title="A question everyone may read", tags=TAGGED)
    deleted = seed.question(people["asker"], title="A deleted question here", tags=TAGGED)
    hidden = seed.question(people["helper"], title="A hidden question here", tags=TAGGED)
    seed.answer(people["helper"], hidden)
    urls = ("/feeds/questions", f"/feeds/tags/{TAGGED}")
    for url in urls:  # cached before the changes
        assert len(parse(client.get(url)).entries) == 3
    assert client.get(f"/feeds/questions/{hidden}").status_code == 200
    seed.delete(people["asker"], "question", deleted)
    with app.app_context():
        hiding.hide_post(_as(app, people["moderator"]), "question", hidden, "names a child")
    for url in urls:
        assert _titles(parse(client.get(url))) == ["A question everyone may read"], url
    for question_id in (deleted, hidden):
        assert client.get(f"/feeds/questions/{question_id}").status_code == 404
    assert parse(client.get(f"/feeds/questions/{kept}")).entries == []


def test_a_duplicate_closed_question_keeps_its_feed(app, client, seed, people):
    original = seed.question(people["asker"], title="Where can a girl of 13 sleep tonight?")
    duplicate = seed.question(people["helper"], title="Where does a girl of 13 sleep tonight?")
    seed.update(Question, duplicate, status="duplicate", duplicate_of_id=original)
    assert len(parse(client.get("/feeds/questions")).entries) == 2
    assert parse(client.get(f"/feeds/questions/{duplicate}")).entries == []


NAME = "Moussa Kaboré"


def test_a_redacted_passage_leaves_every_feed(app, client, seed, people):
    question_id = seed.question(people["asker"], tags=TAGGED,
                                body=f"The boy is {NAME}, he sleeps behind the market. " + BODY)
    answer_id = seed.answer(people["helper"], question_id,
                            body=f"Ask {NAME} where he eats; the night team knows him well.")
    urls = ("/feeds/questions", f"/feeds/tags/{TAGGED}", f"/feeds/questions/{question_id}")
    for url in urls:
        assert NAME in _everything(parse(client.get(url)))  # and in the page cache
    with app.app_context():
        moderator = _as(app, people["moderator"])
        redaction.redact_passage(moderator, "question", question_id, NAME, "names a child")
        redaction.redact_passage(moderator, "answer", answer_id, NAME, "names a child")
    for url in urls:
        text = _everything(parse(client.get(url)))
        assert "Kaboré" not in text and "[redacted]" in text, url


def test_an_unknown_tag_or_question_is_not_found(app, client, seed, people):
    question_id = seed.question(people["asker"])
    for url in ("/feeds/tags/no-such-tag", f"/feeds/questions/{question_id + 1}",
                "/feeds/questions/1234567890123456789012345", "/feeds/questions/0",
                "/feeds/questions/2147483648", "/feeds/tags/trust%00", "/feeds/questions/1%00",
                "/feeds/nothing"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "text/html"


def test_a_tag_feed_holds_only_that_tags_questions(app, client, seed, people):
    seed.question(people["asker"], title="Tagged with the night shelter", tags=TAGGED)
    seed.question(people["asker"], title="Tagged with something else", tags="school")
    feed = parse(client.get(f"/feeds/tags/{TAGGED}"))
    assert _titles(feed) == ["Tagged with the night shelter"]
    assert feed.feed.title == f"Questions tagged {TAGGED} · Carnets"
    assert {link.rel: link.href for link in feed.feed.links}["alternate"] == (
        f"http://localhost/tags/{TAGGED}")


def test_at_most_thirty_entries(app, client, seed, people):
    question_id = seed.question(people["asker"])
    for number in range(32):
        seed.answer(people["helper"], question_id, body=f"Answer number {number}. {BODY}")
    feed = parse(client.get(f"/feeds/questions/{question_id}"))
    assert len(feed.entries) == 30
    assert feed.entries[0].summary.startswith("Answer number 31.")


def test_a_reader_polling_again_gets_304(app, client, seed, people):
    question_id = seed.question(people["asker"])
    seed.answer(people["helper"], question_id)
    for url in ("/feeds/questions", f"/feeds/questions/{question_id}"):
        first = client.get(url)
        # An ETag, no Last-Modified: the newest entry's time does not move when an entry
        # is withdrawn, so "modified since?" could keep a redacted title in a reader.
        assert first.headers["ETag"] and "Last-Modified" not in first.headers
        assert "no-cache" in first.headers["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
        # From the page cache too, the same validator.
        assert client.get(url).headers["ETag"] == first.headers["ETag"]
        since = client.get(url, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
        assert since.status_code == 200
    before = client.get(f"/feeds/questions/{question_id}").headers["ETag"]
    seed.answer(people["asker"], question_id, body="A new answer changes the feed. " * 3)
    changed = client.get(f"/feeds/questions/{question_id}", headers={"If-None-Match": before})
    assert changed.status_code == 200 and len(parse(changed).entries) == 2


def test_feeds_are_compressed(app, client, seed, people):
    seed.question(people["asker"])
    response = client.get("/feeds/questions", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_the_feed_title_is_in_the_readers_language(app, client, seed, people):
    seed.question(people["asker"], tags=TAGGED)
    french = client.get(f"/feeds/tags/{TAGGED}", headers={"Accept-Language": "fr"})
    feed = parse(french)
    assert feed.feed.language == "fr"
    assert "Carnets" in feed.feed.title and TAGGED in feed.feed.title
    # Without Accept-Language, the site's default language (English in the tests).
    bare = app.test_client()
    assert parse(bare.get(f"/feeds/tags/{TAGGED}")).feed.language == "en"
    # Each entry says the language of its text.
    arabic = seed.question(people["asker"], title="أين يمكن لطفل في الشارع أن ينام الليلة؟",
                           body="طفل في الشارع ينام قرب السوق كل ليلة، كيف أبدأ الحديث معه؟",
                           lang="ar")
    entry = parse(client.get("/feeds/questions")).entries[0]
    assert entry.title_detail.language == "ar" and entry.summary_detail.language == "ar"
    assert parse(client.get(f"/feeds/questions/{arabic}")).feed.language == "en"


def test_pages_name_their_feed(app, client, seed, people):
    question_id = seed.question(people["asker"], tags=TAGGED)
    expected = {
        "/": ("/feeds/questions", "Feed of the newest questions (Atom)"),
        "/questions": ("/feeds/questions", "Feed of the newest questions (Atom)"),
        f"/tags/{TAGGED}": (f"/feeds/tags/{TAGGED}",
                            "Feed of the newest questions with this tag (Atom)"),
        f"/questions/{question_id}": (f"/feeds/questions/{question_id}",
                                      "Feed of the answers to this question (Atom)"),
    }
    for url, link in expected.items():
        page = html(client.get(url))
        assert alternate_links(page) == [link], url
        parse(client.get(link[0]))
    # Visible links too, where a list or a thread is.
    assert 'href="/feeds/questions" type="application/atom+xml"' in html(client.get("/questions"))
    # A deleted question's page (seen by its author) offers no feed: it has none.
    seed.delete(people["asker"], "question", question_id)
    author = app.test_client()
    author.post_form("/auth/login", {"username": people["asker"],
                                     "password": "correct horse battery"})
    assert alternate_links(html(author.get(f"/questions/{question_id}"))) == []
