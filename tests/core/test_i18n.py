"""Interface language (DESIGN §8): how it is chosen, the switcher, and translatable strings."""
import ast
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from jinja2 import Environment
from markupsafe import Markup

from core.config import PROJECT_ROOT
from core.i18n import LOCALE_COOKIE, html_message, lazy_gettext
from tests.conftest import PASSWORD

HTML_RE = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def _lang_dir(response):
    return HTML_RE.search(response.get_data(as_text=True)).groups()


# --- choosing the locale -----------------------------------------------------------------

def test_french_first_without_any_preference(client):
    assert _lang_dir(client.get("/")) == ("fr", "ltr")


@pytest.mark.parametrize("header, expected", [
    ("es", ("es", "ltr")),
    ("es-PE,es;q=0.9", ("es", "ltr")),
    ("es-PE", ("es", "ltr")),
    ("ar-MA", ("ar", "rtl")),
    ("km-KH,km;q=0.9,en;q=0.5", ("km", "ltr")),
    ("mg", ("mg", "ltr")),
    ("de-DE,de;q=0.9,en;q=0.5", ("en", "ltr")),
    ("de-DE", ("fr", "ltr")),
])
def test_accept_language(client, header, expected):
    assert _lang_dir(client.get("/", headers={"Accept-Language": header})) == expected


def test_language_switcher_sets_a_cookie_and_the_page_turns_rtl(client):
    response = client.get("/lang/ar")
    assert response.status_code == 302
    assert response.headers["Set-Cookie"].startswith(f"{LOCALE_COOKIE}=ar;")
    assert "max-age" in response.headers["Set-Cookie"].lower()
    assert _lang_dir(client.get("/questions")) == ("ar", "rtl")


def test_the_switchers_cookie_beats_accept_language(client):
    client.get("/lang/km")
    assert _lang_dir(client.get("/", headers={"Accept-Language": "es"})) == ("km", "ltr")


def test_switcher_returns_to_the_page_it_was_used_on(client):
    assert client.get("/lang/es?next=/questions?sort=votes").headers["Location"] == (
        "/questions?sort=votes")


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil"])
def test_switcher_never_redirects_off_site(client, target):
    response = client.get("/lang/es", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_switcher_ignores_an_unknown_language(client):
    response = client.get("/lang/xx")
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers
    assert _lang_dir(client.get("/")) == ("fr", "ltr")


def test_every_page_links_to_every_language(client):
    page = client.get("/tags").get_data(as_text=True)
    for code in ("fr", "en", "es", "ar", "km", "mg"):
        assert f'href="/lang/{code}?next=/tags' in page
    assert 'hreflang="fr" aria-current="true">français</a>' in page
    assert ">العربية</a>" in page and ">ខ្មែរ</a>" in page


def test_the_users_preference_beats_the_cookie(app, make_user):
    name = make_user(locale="es")
    client = app.test_client()
    client.get("/lang/ar")
    assert _lang_dir(client.get("/")) == ("ar", "rtl")
    client.post_form("/auth/login", {"username": name, "password": PASSWORD})
    assert _lang_dir(client.get("/", headers={"Accept-Language": "km"})) == ("es", "ltr")


def test_without_a_preference_the_cookie_still_counts_when_signed_in(user_client):
    client = user_client()
    client.get("/lang/ar")
    assert _lang_dir(client.get("/")) == ("ar", "rtl")


def test_choosing_a_language_in_the_profile_changes_the_interface(user_client):
    client = user_client()
    client.post_form("/auth/profile", {
        "display_name": "Fara", "email": f"{client.username}@example.org", "organisation": "",
        "country": "MG", "locale": "mg", "bio": ""})
    assert _lang_dir(client.get("/", headers={"Accept-Language": "en"})) == ("mg", "ltr")


# --- strings are extractable -------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    output = tmp_path_factory.mktemp("pot") / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-o", str(output), "."],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with output.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("msgid, source", [
    ("Unknown user name or wrong password.", "core/accounts/services.py"),
    ("This user name is already taken.", "core/accounts/services.py"),
    ("Your form expired or was sent from another site. Go back, reload the page and send it "
     "again.", "core/errors.py"),
    ("Repeat the password", "core/accounts/forms.py"),
    ("Ask a question", "templates/forum/ask.html"),
    ("Sign in", "templates/auth/login.html"),
    ("Too many attempts", "templates/errors/error.html"),
    ("Carnets — the community of the Digital Notebooks for Social Work. Never write anything "
     "that could identify a child.", "templates/base.html"),
])
def test_pybabel_extract_finds_the_string(catalog, msgid, source):
    message = catalog.get(msgid)
    assert message is not None, msgid
    assert source in {path for path, _ in message.locations}


def test_pybabel_extract_finds_plural_forms(catalog):
    message = catalog.get(("%(num)s answer", "%(num)s answers"))
    assert message is not None and message.pluralizable


def test_the_catalog_has_strings_from_python_and_templates(catalog):
    paths = {path for message in catalog for path, _ in message.locations}
    assert any(path.startswith("core/") for path in paths)
    assert any(path.startswith("forum/") for path in paths)
    assert any(path.startswith("templates/") for path in paths)
    assert not any(path.startswith((".venv/", "tests/")) for path in paths)


# --- no visible text outside gettext ------------------------------------------------------

VISIBLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description",
                      "aria-placeholder", "aria-roledescription", "aria-valuetext", "label")
_ENV = Environment(extensions=["jinja2.ext.i18n"])
_LETTER = re.compile(r"[^\W\d_]")


def untranslated_text(source):
    """(line, text) of every piece of visible text written literally in a template."""
    pieces = []
    for _, token_type, value in _ENV.lex(source):
        # Jinja tags, expressions and comments become a neutral mark; newlines are kept.
        pieces.append(value if token_type == "data" else "\x00" + "\n" * value.count("\n"))
    markup = "".join(pieces)
    markup = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), markup, flags=re.S)
    found = []
    for match in re.finditer(r"<[^>]*>", markup, flags=re.S):
        for name, value in re.findall(r'([\w:-]+)\s*=\s*"([^"]*)"', match.group(0)):
            if name.lower() in VISIBLE_ATTRIBUTES and _LETTER.search(html.unescape(value)):
                found.append((markup.count("\n", 0, match.start()) + 1, f'{name}="{value}"'))
        if re.match(r"<input\b", match.group(0)) and re.search(
                r'type="(submit|button|reset)"', match.group(0)):
            value = re.search(r'value="([^"]*)"', match.group(0))
            if value and _LETTER.search(html.unescape(value.group(1))):
                found.append((markup.count("\n", 0, match.start()) + 1, value.group(0)))
    text = re.sub(r"<[^>]*>", lambda m: "\n" * m.group(0).count("\n"), markup, flags=re.S)
    for number, line in enumerate(html.unescape(text).splitlines(), start=1):
        if _LETTER.search(line):
            found.append((number, re.sub("\x00+", "…", line).strip()))
    return found


def test_the_scanner_finds_literal_text():
    """Without this, a scanner that sees nothing would pass every template."""
    assert untranslated_text("<p>Hello</p>") == [(1, "Hello")]
    assert untranslated_text('<p>{{ _("Hi") }}</p>\n<b title="Score">{{ n }}</b>') == [
        (2, 'title="Score"')]
    assert untranslated_text('<input type="submit" value="Send">') == [(1, 'value="Send"')]
    assert untranslated_text("<p>{{ _('Hi') }} — {{ name }}:</p>\n<p>Bye {{ x }}</p>") == [
        (2, "Bye …")]
    assert untranslated_text("&eacute;t&eacute;") == [(1, "été")]


def test_the_scanner_ignores_what_is_not_text():
    source = ('{# A comment that says things #}\n<!-- an HTML comment -->\n'
              '<a href="{{ url }}" class="button" lang="fr" rel="next">{{ _("Next") }} →</a>\n'
              '{% if x %}<span>▲ 12 · ✓ — ▼</span>{% endif %}&nbsp;&rarr;\n'
              '{% set labels = {"newest": _("Newest")} %}<button name="value" value="up">'
              '{{ _("Up") }}</button>')
    assert untranslated_text(source) == []


TEMPLATES = sorted((PROJECT_ROOT / "templates").rglob("*.html"))


def test_there_are_templates_to_scan():
    assert len(TEMPLATES) >= 15


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(
    PROJECT_ROOT / "templates")))
def test_template_has_no_text_outside_gettext(path: Path):
    found = untranslated_text(path.read_text(encoding="utf-8"))
    assert found == [], "\n".join(f"{path.name}:{line}: {text}" for line, text in found)


# --- messages that quote what a user typed (issue 12, item 2) -------------------------------

HOSTILE = '<meta http-equiv="refresh" content="0;url=https://evil.example">'


def test_html_message_escapes_the_values_and_trusts_the_translation():
    message = html_message("“%(value)s” is not known &amp; %(n)d%% left.", value=HOSTILE, n=5)
    assert isinstance(message, Markup)
    assert message == ("“&lt;meta http-equiv=&#34;refresh&#34; content=&#34;0;url=https://"
                       "evil.example&#34;&gt;” is not known &amp; 5% left.")
    assert html_message("No value, 100%") == Markup("No value, 100%")


def test_a_lazy_message_is_plain_text_and_its_values_are_escaped_in_a_page(app):
    message = lazy_gettext("“is:%(value)s” is not known.", value=HOSTILE)
    with app.test_request_context():
        assert str(message) == f"“is:{HOSTILE}” is not known."
        page = render_template_string("<p>{{ m }}</p>", m=message)
        assert "<meta" not in page and "&lt;meta http-equiv=&#34;refresh&#34;" in page
        # Without values it shows as before: our own words, trusted.
        assert render_template_string("{{ m }}", m=lazy_gettext("Sign <in>")) == "Sign <in>"


def test_a_lazy_message_flashed_through_the_session_keeps_its_values_escaped(app):
    """The session serializer stores whatever has __html__ as Markup: it must be escaped."""
    serializer = app.session_interface.serializer
    stored = serializer.loads(serializer.dumps(
        {"_flashes": [("success", lazy_gettext("Hello %(name)s", name="<b>x</b>"))]}))
    category, message = stored["_flashes"][0]
    with app.test_request_context():
        assert render_template_string("{{ m }}", m=message) == "Hello &lt;b&gt;x&lt;/b&gt;"


def _flask_babel_lazy_imports(source):
    """Lines of `source` that import a lazy gettext from Flask-Babel itself."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.module == "flask_babel"
            and any(alias.name.startswith("lazy_") for alias in node.names)]


def test_every_package_takes_lazy_gettext_from_core_i18n():
    """Flask-Babel's own lazy strings are trusted as markup whatever their values hold."""
    assert _flask_babel_lazy_imports("import re\nfrom flask_babel import lazy_gettext as _l") == [2]
    found = [f"{path.relative_to(PROJECT_ROOT)}:{line}"
             for package in ("core", "forum", "knowledge", "search_index")
             for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
             for line in _flask_babel_lazy_imports(path.read_text(encoding="utf-8"))]
    assert found == []
