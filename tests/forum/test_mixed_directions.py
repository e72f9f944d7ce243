"""Right-to-left pages and posts in another script (issue 13, item 5): an Arabic page is laid
out right to left, a French post inside it keeps its own language and direction (lang, dir=auto),
names inside sentences are isolated (<bdi>), and a page says when a post's language is not the
reader's (item 6)."""
from html.parser import HTMLParser

import pytest

from core.accounts.services import get_user_by_username
from forum.services import questions
from tests.forum.conftest import html

FRENCH_TITLE = "Comment créer un premier lien avec un enfant qui dort à la gare ?"
FRENCH_BODY = "Nous le voyons **chaque soir** près de la gare, il part dès qu'on approche."
ARABIC_TITLE = "كيف نبني الثقة مع طفل يعيش في الشارع؟"
ARABIC_BODY = "نلتقي به كل مساء قرب المحطة، لكنه يهرب عندما نقترب منه."
ARABIC_NAME = "أمينة العلوي"
ARABIC = {"Accept-Language": "ar"}


class Elements(HTMLParser):
    """Every element of a page with the `lang` and `dir` in force on it (its own, else the
    nearest ancestor's) and the text directly inside it."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, page):
        super().__init__()
        self.found, self.stack = [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent = self.stack[-1] if self.stack else {"lang": None, "dir": None, "bdi": False}
        element = {"tag": tag, "attrs": attrs, "text": "",
                   "lang": attrs.get("lang", parent["lang"]),
                   "dir": attrs.get("dir", parent["dir"]),
                   "bdi": parent["bdi"] or tag == "bdi"}
        self.found.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1]["text"] += data

    def with_text(self, text, tag=None):
        return [e for e in self.found if text in e["text"] and tag in (None, e["tag"])]

    def links_to(self, href_start):
        return [e for e in self.found
                if e["tag"] == "a" and e["attrs"].get("href", "").startswith(href_start)]


@pytest.fixture
def french_question(seed, make_user):
    asker = make_user(display_name=ARABIC_NAME)
    question_id = seed.question(asker, title=FRENCH_TITLE, body=FRENCH_BODY, lang="fr",
                                tags="confiance maraude")
    seed.answer(make_user(), question_id, body="Revenir chaque soir à la même heure, sans "
                                               "poser de questions la première semaine.")
    return question_id, asker


@pytest.fixture
def arabic_question(seed, make_user):
    return seed.question(make_user(), title=ARABIC_TITLE, body=ARABIC_BODY, lang="ar",
                         tags="الثقة")


def test_an_arabic_page_is_right_to_left_and_a_french_question_keeps_its_direction(
        client, french_question):
    question_id, asker = french_question
    page = html(client.get(f"/questions/{question_id}", headers=ARABIC))
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<h1 lang="fr" dir="auto">{FRENCH_TITLE}</h1>' in page
    found = Elements(page)
    [body] = [e for e in found.with_text("Nous le voyons", "p")]
    assert (body["lang"], body["dir"]) == ("fr", "auto")
    [answer] = found.with_text("Revenir chaque soir", "p")
    assert (answer["lang"], answer["dir"]) == ("fr", "auto")
    # The asker's name is isolated, and the interface around the question (the line with the
    # name, the buttons) stays Arabic: only the French text is marked French.
    [name] = [e for e in found.links_to(f"/users/{asker}") if ARABIC_NAME in e["text"]]
    assert name["bdi"] and (name["lang"], name["dir"]) == ("ar", "rtl")
    history = found.links_to(f"/questions/{question_id}/revisions")
    assert history and all(e["lang"] == "ar" for e in history)


def test_a_french_page_says_an_arabic_question_is_in_arabic(client, arabic_question):
    client.set_cookie("carnets_locale", "fr")
    page = html(client.get(f"/questions/{arabic_question}"))
    assert '<html lang="fr" dir="ltr">' in page
    assert f'<h1 lang="ar" dir="auto">{ARABIC_TITLE}</h1>' in page
    found = Elements(page)
    [body] = found.with_text("نلتقي به", "p")
    assert (body["lang"], body["dir"]) == ("ar", "auto")
    [note] = [e for e in found.found if "language-note" in e["attrs"].get("class", "")]
    assert note["text"].strip() == "Cette question est en arabe" and note["lang"] == "fr"
    # Under the title, before the text (the page's <head> quotes the text in its description).
    main = page[page.index("<main"):]
    assert main.index(ARABIC_TITLE) < main.index("language-note") < main.index("نلتقي به")


def test_the_language_note_names_the_language_in_the_readers_language(client, make_user,
                                                                       seed):
    question_id = seed.question(make_user(), title="¿Cómo acompañar a un niño en la calle?",
                                lang="es")
    english = html(client.get(f"/questions/{question_id}"))
    assert '<p class="meta language-note">This question is in Spanish</p>' in english
    arabic = html(client.get(f"/questions/{question_id}", headers=ARABIC))
    assert Elements(arabic).with_text("الإسبانية", "p")
    # Nothing to say when the question is in the page's language.
    same = seed.question(make_user(), lang="en")
    assert "language-note" not in html(client.get(f"/questions/{same}"))


@pytest.mark.parametrize("path", ["/", "/questions", "/tags/confiance", "/search?q=gare",
                                  "/users/{asker}"])
def test_titles_in_lists_keep_their_language_and_direction(client, french_question, path):
    question_id, asker = french_question
    page = html(client.get(path.format(asker=asker), headers=ARABIC))
    links = [e for e in Elements(page).links_to(f"/questions/{question_id}")
             if "Comment créer" in e["text"]]
    assert links, page
    assert all((e["lang"], e["attrs"].get("dir")) == ("fr", "auto") for e in links)


def test_search_snippets_keep_their_language_and_direction(client, french_question):
    page = html(client.get("/search?q=gare", headers=ARABIC))
    snippets = [e for e in Elements(page).found if e["attrs"].get("class") == "snippet"]
    assert snippets and all((e["lang"], e["dir"]) == ("fr", "auto") for e in snippets)


def test_comments_keep_the_threads_language_and_direction(client, french_question, seed,
                                                          make_user):
    question_id, _ = french_question
    seed.comment(make_user(), body="Et la nuit, qui prend le relais ?", question_id=question_id)
    found = Elements(html(client.get(f"/questions/{question_id}", headers=ARABIC)))
    [comment] = found.with_text("qui prend le relais", "p")
    assert (comment["lang"], comment["dir"]) == ("fr", "auto")


def test_a_tag_inside_a_sentence_is_isolated(client, arabic_question):
    page = html(client.get("/tags/الثقة"))
    assert "<bdi>الثقة</bdi>" in page
    assert "<bdi>الثقة</bdi>" in html(client.get("/questions?tag=الثقة"))


def test_text_fields_take_the_direction_of_what_is_typed(user_client):
    page = html(user_client().get("/questions/ask"))
    for name in ("title", "body", "tags"):
        found = [e for e in Elements(page).found if e["attrs"].get("name") == name]
        assert found and found[0]["attrs"].get("dir") == "auto", name


def test_history_and_changes_keep_the_texts_direction_in_an_arabic_page(
        app, client, french_question):
    question_id, asker = french_question
    with app.app_context():
        questions.edit_question(get_user_by_username(asker), question_id, FRENCH_TITLE,
                                FRENCH_BODY + "\n\nIl a 12 ans.", "confiance nuit", "fr",
                                summary="Ajout de l'âge")
    history = Elements(html(client.get(f"/questions/{question_id}/revisions", headers=ARABIC)))
    sources = [e for e in history.found if e["attrs"].get("class") == "source"]
    assert sources and all((e["lang"], e["dir"]) == ("fr", "auto") for e in sources)
    [summary] = history.with_text("Ajout de l'âge", "q")
    assert summary["attrs"].get("dir") == "auto"
    page = html(client.get(f"/questions/{question_id}/revisions/diff?from=1&to=2",
                           headers=ARABIC))
    diffs = [e for e in Elements(page).found if e["attrs"].get("class") == "diff"]
    assert diffs and all((e["lang"], e["dir"]) == ("fr", "auto") for e in diffs)
    # Old tags, then new ones, in reading order: the arrow points left in Arabic.
    assert '<del dir="auto">confiance maraude</del> ← <ins dir="auto">confiance nuit</ins>' \
        in page


def test_a_negative_score_keeps_its_minus_sign_before_the_number_in_arabic(
        app, client, french_question, make_user):
    from forum.services import votes
    question_id, _asker = french_question
    with app.app_context():
        for _ in range(2):
            votes.vote(get_user_by_username(make_user()), "question", question_id, -1)
    page = html(client.get(f"/questions/{question_id}", headers=ARABIC))
    # Isolated, the number is laid out on its own: "-2", not "2-" in a right-to-left line.
    assert '<span class="score" title="' in page
    assert '"><bdi>-2</bdi></span>' in page
