"""/feeds/articles: newly published good practices, newest first; never a draft, an article in
review or an archived one, never a change still waiting for review, never a redacted passage;
the knowledge base's index names the feed."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts.services import get_user_by_username, update_profile
from core.extensions import db
from core.timeutil import utcnow
from forum.services import redaction as forum_redaction
from knowledge.models import Article
from knowledge.services import editing, promotion, workflow
from tests import factories
from tests.feedcheck import alternate_links, parse

BODY = ("Sit down at the child's height, say who you are and come back at the same hour the "
        "next days: trust grows from what is repeated.")
NAME = "Moussa Kaboré"


def _text(title, summary="Come back, and keep your word.", body=BODY, lang="en"):
    return editing.ArticleText(title, summary, body, "trust", lang)


@pytest.fixture
def experts(ctx):
    return factories.user("expert", "curator"), factories.user("expert", "reviewer")


@pytest.fixture
def reader(app):
    reader = app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return reader


def _publish(experts, text, days_ago=0):
    curator, reviewer = experts
    article = editing.create_article(curator, text)
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(reviewer, article.slug)
    if days_ago:
        article.published_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
    return article


def test_published_articles_newest_first_and_nothing_else(app, experts, reader):
    older = _publish(experts, _text("Building trust in the first street contacts"), 3)
    newer = _publish(experts, _text("Finding a bed for a girl of thirteen tonight",
                                    summary="", body="Call the night team. " * 30))
    editing.create_article(experts[0], _text("A draft nobody has reviewed yet"))
    in_review = editing.create_article(experts[0], _text("An article waiting for review"))
    workflow.submit_for_review(experts[0], in_review.slug)
    archived = _publish(experts, _text("Old advice that is not current any more"), 10)
    workflow.mark_obsolete(experts[0], archived.slug)
    feed = parse(reader.get("/feeds/articles"))
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    entry = feed.entries[1]
    assert entry.id == f"tag:localhost,2026:article-{older.id}"
    assert entry.link == f"http://localhost/kb/articles/{older.slug}"
    assert entry.author == "curator"
    assert entry.summary == "Come back, and keep your word."
    # Without a summary, the start of the text.
    assert feed.entries[0].summary.startswith("Call the night team.")
    assert len(feed.entries[0].summary) <= 300
    assert feed.feed.title == "Newest good practices · Carnets"
    assert {link.rel: link.href for link in feed.feed.links} == {
        "self": "http://localhost/feeds/articles", "alternate": "http://localhost/kb"}


def test_publishing_and_archiving_show_at_once_despite_the_cache(app, experts, reader):
    assert parse(reader.get("/feeds/articles")).entries == []
    article = _publish(experts, _text("Building trust in the first street contacts"))
    assert len(parse(reader.get("/feeds/articles")).entries) == 1
    workflow.mark_obsolete(experts[0], article.slug)
    assert parse(reader.get("/feeds/articles")).entries == []


def test_a_change_waiting_for_review_stays_out_of_the_feed(app, experts, reader):
    article = _publish(experts, _text("Building trust in the first street contacts"))
    editing.edit_article(experts[0], article.slug,
                         _text(article.title, summary="Unreviewed words: glorbatek."),
                         "a change")
    feed = parse(reader.get("/feeds/articles"))
    assert "glorbatek" not in feed.entries[0].summary
    assert feed.entries[0].summary == "Come back, and keep your word."


def test_a_passage_redacted_in_the_source_thread_leaves_the_feed(app, experts, reader):
    curator, reviewer = experts
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    moderator = factories.user("moderator", "moderator")
    question = factories.question(asker, body=f"The boy is {NAME}, he sleeps by the market. "
                                                "How do I start talking with him?")
    answer = factories.answer(answerer, question.id,
                              body=f"I went back every evening to see {NAME} with tea. " * 2)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    editing.edit_article(curator, article.slug, _text(
        "Earning trust in the first street contacts", summary=f"Tea with {NAME}.",
        body=article.body + "\n\nCome back at the same hour, every evening."), "practice")
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(reviewer, article.slug)
    assert NAME in parse(reader.get("/feeds/articles")).entries[0].summary  # now cached
    forum_redaction.redact_passage(moderator, "answer", answer.id, NAME, "names a child")
    forum_redaction.redact_passage(moderator, "question", question.id, NAME, "names a child")
    assert NAME not in db.session.scalar(select(Article.summary))
    entry = parse(reader.get("/feeds/articles")).entries[0]
    assert "Kaboré" not in entry.summary + entry.title


def test_the_knowledge_base_names_its_feed(app, experts, reader):
    _publish(experts, _text("Building trust in the first street contacts"))
    page = reader.get("/kb").get_data(as_text=True)
    assert alternate_links(page) == [
        ("/feeds/articles", "Feed of the newly published good practices (Atom)")]
    assert 'href="/feeds/articles" type="application/atom+xml"' in page
    response = reader.get("/feeds/articles")
    again = reader.get("/feeds/articles", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_titles_of_every_script_parse(app, experts, reader):
    for title in ('Tom & "Jerry" <b>tea</b> at the shelter', "الثقة في الاتصالات الأولى في الشارع",
                  "ការកសាងទំនុកចិត្តជាមួយកុមារនៅតាមផ្លូវ"):
        _publish(experts, _text(title, summary=f"{title} \x07 summary."))
    feed = parse(reader.get("/feeds/articles"))
    assert len(feed.entries) == 3
    assert all("\x07" not in entry.summary for entry in feed.entries)


def test_the_curator_name_in_the_feed_follows_a_new_display_name(app, experts, reader):
    _publish(experts, _text("Building trust in the first street contacts"))
    assert parse(reader.get("/feeds/articles")).entries[0].author == "curator"
    curator = get_user_by_username("curator")
    update_profile(curator, "Amina Diallo", "", "", "en", [], "")
    assert parse(reader.get("/feeds/articles")).entries[0].author == "Amina Diallo"
