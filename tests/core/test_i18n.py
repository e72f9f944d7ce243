"""Interface language (DESIGN §8): how it is chosen, the switcher, and translatable strings."""
import ast
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from babel.messages.pofile import read_po
from flask import render_template_string
from jinja2 import Environment
from markupsafe import Markup

from core.accounts.services import get_user_by_username
from core.config import PROJECT_ROOT, defaults
from core.extensions import db
from core.i18n import LOCALE_COOKIE, html_message, lazy_gettext
from tests.conftest import PASSWORD

HTML_RE = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def _lang_dir(response):
    return HTML_RE.search(response.get_data(as_text=True)).groups()


# --- choosing the locale -----------------------------------------------------------------
# Order (DESIGN §8, issue 13): the signed-in user's preference, then the switcher's cookie,
# then Accept-Language, then the default language: French. Tests read English by default
# (tests/conftest.py); the `french_default` fixture restores the real default.

@pytest.fixture
def french_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "fr")
    return app


def test_the_default_language_is_french(monkeypatch, tmp_path):
    monkeypatch.delenv("CARNETS_DEFAULT_LOCALE", raising=False)
    assert defaults(tmp_path)["BABEL_DEFAULT_LOCALE"] == "fr"


@pytest.mark.parametrize("header", [None, "de-DE", "zh-CN,zh;q=0.9"])
def test_french_when_the_browser_asks_for_nothing_we_speak(french_default, client, header):
    headers = {"Accept-Language": header} if header else {}
    assert _lang_dir(client.get("/", headers=headers)) == ("fr", "ltr")


@pytest.mark.parametrize("header, expected", [
    ("es", ("es", "ltr")),
    ("es-PE,es;q=0.9", ("es", "ltr")),
    ("es-PE", ("es", "ltr")),
    ("ar-MA", ("ar", "rtl")),
    ("km-KH,km;q=0.9,en;q=0.5", ("km", "ltr")),
    ("mg", ("mg", "ltr")),
    ("de-DE,de;q=0.9,en;q=0.5", ("en", "ltr")),
    ("de-DE,de;q=0.9,mg;q=0.5", ("mg", "ltr")),
])
def test_accept_language_beats_the_default(french_default, client, header, expected):
    assert _lang_dir(client.get("/", headers={"Accept-Language": header})) == expected


# (stored preference, switcher's cookie, Accept-Language) -> the page's language
@pytest.mark.parametrize("preference, cookie, header, expected", [
    ("es", "ar", "km", "es"),
    (None, "ar", "km", "ar"),
    (None, None, "km", "km"),
    (None, None, None, "fr"),
    ("mg", None, None, "mg"),
])
def test_the_order_of_the_choices(french_default, make_user, preference, cookie, header,
                                  expected):
    client = french_default.test_client()
    client.post_form("/auth/login", {"username": make_user(locale=preference),
                                     "password": PASSWORD})
    if cookie:
        client.set_cookie(LOCALE_COOKIE, cookie)
    headers = {"Accept-Language": header} if header else {}
    assert _lang_dir(client.get("/questions", headers=headers))[0] == expected


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


def test_switcher_ignores_an_unknown_language(french_default, client):
    response = client.get("/lang/xx")
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers
    assert _lang_dir(client.get("/")) == ("fr", "ltr")


def _header(page):
    return page.split("<header", 1)[1].split("</header>", 1)[0]


def _menu_items(page):
    """(code, marked current, text) of each language of the header's menu."""
    menu = _header(page).split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]
    return [(code, bool(current), text) for code, current, text in re.findall(
        r'<(?:a|button)[^>]* (?:value|hreflang)="(\w+)"( aria-current="true")?>([^<]+)<', menu)]


def test_the_menu_at_the_top_of_every_page_names_each_language_in_itself(client):
    page = client.get("/tags", headers={"Accept-Language": "km"}).get_data(as_text=True)
    header = _header(page)
    assert "<details>" in header and "<summary>ខ្មែរ</summary>" in header
    for code in ("fr", "en", "es", "ar", "km", "mg"):
        assert f'<a href="/lang/{code}?next=/tags" lang="{code}" hreflang="{code}"' in header
    assert _menu_items(page) == [
        ("fr", False, "français"), ("en", False, "English"), ("es", False, "español"),
        ("ar", False, "العربية"), ("km", True, "ខ្មែរ"), ("mg", False, "Malagasy")]
    # One switcher: the footer no longer repeats it.
    assert "/lang/" not in page.split("</header>", 1)[1]


def test_the_menu_marks_the_language_the_page_is_in(client):
    for header, code in (("es", "es"), ("de", "en"), ("ar", "ar")):
        page = client.get("/questions", headers={"Accept-Language": header}).get_data(
            as_text=True)
        assert [item[0] for item in _menu_items(page) if item[1]] == [code]
        assert _lang_dir(client.get("/questions", headers={"Accept-Language": header}))[0] == code


def test_the_menu_keeps_the_query_of_the_page(client):
    page = client.get("/questions?sort=votes&page=1").get_data(as_text=True)
    assert 'href="/lang/es?next=/questions?sort%3Dvotes%26page%3D1"' in page
    assert client.get("/lang/es?next=/questions?sort%3Dvotes%26page%3D1").headers[
        "Location"] == "/questions?sort=votes&page=1"


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


def _stored_locale(app, username):
    with app.app_context():
        locale = get_user_by_username(username).locale
        db.session.remove()
    return locale


def test_signed_in_the_menu_posts_a_form_with_a_button_per_language(user_client):
    client = user_client(locale="es")
    header = _header(client.get("/tags?sort=name").get_data(as_text=True))
    form = header.split('<nav class="languages"', 1)[1]
    assert '<form method="post" action="/lang">' in form
    assert 'name="csrf_token"' in form and 'name="next" value="/tags?sort=name"' in form
    assert '<button class="link" name="locale" value="km" lang="km">ខ្មែរ</button>' in form
    assert ('<button class="link" name="locale" value="es" lang="es" aria-current="true">'
            'español</button>') in form


def test_a_signed_in_user_who_switches_keeps_the_language_in_the_profile(app, user_client):
    client = user_client(locale="es")
    response = client.post_form("/lang", {"locale": "km", "next": "/tags?sort=name"})
    assert response.status_code == 302 and response.headers["Location"] == "/tags?sort=name"
    assert _lang_dir(client.get("/", headers={"Accept-Language": "fr"})) == ("km", "ltr")
    assert _stored_locale(app, client.username) == "km"
    # On another device, once signed in: the stored choice, whatever the browser says.
    other = app.test_client()
    other.post_form("/auth/login", {"username": client.username, "password": PASSWORD})
    assert _lang_dir(other.get("/", headers={"Accept-Language": "ar"})) == ("km", "ltr")


def test_the_menus_form_needs_its_csrf_token(app, user_client):
    client = user_client(locale="es")
    assert client.post("/lang", data={"locale": "ar", "next": "/"}).status_code == 400
    assert _stored_locale(app, client.username) == "es"


@pytest.mark.parametrize("code", ["xx", "", "es;ar"])
def test_the_menus_form_ignores_an_unknown_language(app, user_client, code):
    client = user_client(locale="es")
    response = client.post_form("/lang", {"locale": code, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in response.headers
    assert _stored_locale(app, client.username) == "es"


def test_a_visitor_may_post_the_menus_form_too(client):
    response = client.post_form("/lang", {"locale": "mg", "next": "/tags"})
    assert response.headers["Location"] == "/tags"
    assert _lang_dir(client.get("/", headers={"Accept-Language": "es"})) == ("mg", "ltr")


def _save_profile(client, locale):
    return client.post_form("/auth/profile", {
        "display_name": "Fara", "email": f"{client.username}@example.org", "organisation": "",
        "country": "MG", "locale": locale, "bio": ""})


def test_choosing_a_language_in_the_profile_changes_the_interface(user_client):
    client = user_client()
    _save_profile(client, "mg")
    assert _lang_dir(client.get("/", headers={"Accept-Language": "en"})) == ("mg", "ltr")


def test_the_profile_offers_as_my_browser_says_and_shows_the_stored_choice(app, user_client):
    client = user_client(locale="km")
    page = client.get("/auth/profile").get_data(as_text=True)
    with app.test_request_context(), force_locale("km"):
        browser_says = gettext("As my browser says")
    assert browser_says != "As my browser says"
    assert f'<option value="">{browser_says}</option>' in page
    assert '<option selected value="km">ខ្មែរ</option>' in page


def test_as_my_browser_says_forgets_the_switchers_cookie(user_client):
    client = user_client(locale="es")
    client.post_form("/lang", {"locale": "ar", "next": "/"})
    _save_profile(client, "")
    assert _lang_dir(client.get("/", headers={"Accept-Language": "km"})) == ("km", "ltr")


def test_the_language_kept_in_the_profile_stays_after_signing_out(user_client):
    client = user_client()
    _save_profile(client, "es")
    client.post_form("/auth/logout")
    assert _lang_dir(client.get("/", headers={"Accept-Language": "km"})) == ("es", "ltr")


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
