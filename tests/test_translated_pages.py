"""In each interface language, the main pages of the demo site show no English interface text:
every piece of interface text on them is compared with the catalogs' English source strings.

What users wrote is left out of the comparison: it carries its own `lang` (a French worker's
post stays French on an Arabic page), as do the language switcher's names.
"""
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from core import catalogs
from core.demo import demo_password
from core.extensions import db
from forum.models import Question, Tag
from knowledge.models import Article, Notebook

TRANSLATED = ("fr", "es", "ar", "km", "mg")
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# <title> holds the post's title, which cannot carry its own `lang` there; the page's heading
# shows the same title with it.
SKIPPED_ELEMENTS = {"script", "style", "textarea", "code", "pre", "svg", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
_PIECE_SPLIT = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>|[\n→←…]")


class InterfaceText(HTMLParser):
    """The text of a page a reader sees or hears, outside elements that carry a `lang`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.parts = []

    def _hidden(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = tag in SKIPPED_ELEMENTS or (tag != "html" and "lang" in attrs)
        if not self._hidden() and not skipped:
            self.parts.extend(attrs[name] for name in VISIBLE_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
            if tag == "meta" and attrs.get("name") == "description" and attrs.get("content"):
                self.parts.append(attrs["content"])
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def interface_text(html):
    parser = InterfaceText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_pieces(language):
    """Pieces of English source text that the catalog of `language` translates differently:
    whole short strings, and the literal runs (two words or more) of longer ones. Read from the
    .po files, not from what the application says: a string the application leaves in English
    (a missing or stale translation) is exactly what must be found."""
    pieces = set()
    catalog = catalogs.read(language)
    for message in catalogs.read_template():
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        strings = translated.string if translated is not None else ()
        strings = strings if isinstance(strings, (list, tuple)) else (strings,)
        sources = message.id if message.pluralizable else (message.id,)
        for source in sources:
            for piece in _PIECE_SPLIT.split(source):
                piece = " ".join(piece.split()).strip(" .,:;!?()“”\"'")
                whole = piece == " ".join(source.split()).strip(" .,:;!?()“”\"'")
                if not ((len(piece) >= 6 and " " in piece) or (whole and len(piece) >= 4)):
                    continue
                # Words the language writes the same way ("Module", "Expert" in French).
                if any(piece in string for string in strings if string):
                    continue
                pieces.add(piece)
    return pieces


def untranslated(text, pieces):
    found = []
    for piece in pieces:
        # Search operators (`is:accepted`, `lang:fr`) are typed as they are, in every language.
        if re.search(rf"(?<![\w:-]){re.escape(piece)}(?![\w-])", text):
            found.append(piece)
    return sorted(found)


def _pages(app):
    with app.app_context():
        french = db.session.scalar(select(Question.id).where(Question.lang == "fr")
                                   .order_by(Question.id))
        spanish = db.session.scalar(select(Question.id).where(Question.lang == "es")
                                    .order_by(Question.id))
        article = db.session.scalar(select(Article.slug).where(Article.status == "published")
                                    .order_by(Article.id))
        notebook = db.session.scalar(select(Notebook.slug).where(Notebook.lang == "fr"))
        tag = db.session.scalar(select(Tag.name).order_by(Tag.question_count.desc(), Tag.name))
    return {
        "home": "/",
        "questions": "/questions",
        "question": f"/questions/{french}",
        "question in another language": f"/questions/{spanish}",
        "search": "/search?q=enfant",
        "empty search": "/search?q=zzzxqy",
        "tags": "/tags",
        "tag": f"/tags/{tag}",
        "knowledge base": "/kb",
        "article": f"/kb/articles/{article}",
        "notebook": f"/kb/notebooks/{notebook}",
        "module": f"/kb/notebooks/{notebook}/modules/1",
        "sign in": "/auth/login",
        "registration": "/auth/register",
        "profile": "/users/fara_rasoanaivo",
        "not found": "/no/such/page",
    }


SIGNED_IN = {"ask": "/questions/ask", "profile settings": "/auth/profile"}


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return app


def _check(client, language, pages, pieces):
    problems = {}
    for name, url in pages.items():
        response = client.get(url, follow_redirects=True)
        html = response.get_data(as_text=True)
        expected = 404 if name == "not found" else 200
        assert response.status_code == expected, (name, url, response.status_code)
        assert f'lang="{language}"' in html.split(">", 2)[1] + ">", (name, "page language")
        found = untranslated(interface_text(html), pieces)
        if found:
            problems[name] = found
    return problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_main_pages_show_no_english_interface_text(demo, language):
    with demo.app_context():
        pieces = english_pieces(language)
    assert len(pieces) > 300
    client = demo.test_client()
    client.set_cookie("carnets_locale", language)
    problems = _check(client, language, _pages(demo), pieces)
    expert = demo.test_client()
    expert.set_cookie("carnets_locale", language)
    expert.post_form("/auth/login", {"username": "fara_rasoanaivo",
                                     "password": demo_password("fara_rasoanaivo")})
    # Her stored language (French) beats the cookie: she chooses in the language menu.
    expert.post_form("/lang", {"locale": language, "next": "/"})
    signed_in = dict(SIGNED_IN, **{"question, signed in": _pages(demo)["question"],
                                   "curation": "/kb/curation"})
    problems.update(_check(expert, language, signed_in, pieces))
    refused = client.post_form("/auth/register", {"username": "x", "email": "nope",
                                                  "password": "a", "confirm": "b"})
    found = untranslated(interface_text(refused.get_data(as_text=True)), pieces)
    if found:
        problems["refused registration"] = found
    assert not problems, f"English interface text in {language}: {problems}"


def test_the_check_finds_english_text_on_an_english_page(demo):
    # The comparison itself: the English interface is full of the source strings.
    with demo.app_context():
        pieces = english_pieces("fr")
    client = demo.test_client()
    client.set_cookie("carnets_locale", "en")
    text = interface_text(client.get("/questions").get_data(as_text=True))
    assert len(untranslated(text, pieces)) >= 5
