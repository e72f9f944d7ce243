"""The interface languages in the browser tests: what a browser of each language sends, the
catalog's wording of a message, and a page driven through its translated labels.

Labels come from the compiled catalogs (the ones the test server reads), through Flask-Babel's
gettext under force_locale: a change of wording in a catalog does not break a journey, but a
label left in English does.
"""
import atexit
import shutil
import tempfile
from functools import cache

from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import expect

# The locale of a phone set to each language, where the site's users are: navigator.language
# and the formats the browser itself uses (Accept-Language is sent as the bare language code).
BROWSER_LOCALES = {"en": "en-GB", "fr": "fr-FR", "es": "es-PE", "ar": "ar-MA", "km": "km-KH",
                   "mg": "mg-MG"}


def new_context(browser, js=True, width=390, height=844, language="en", **options):
    """A fresh browser profile (its own cookies) of a phone set to `language`: the browser's
    locale and its Accept-Language header say that language, and nothing else."""
    return browser.new_context(java_script_enabled=js, viewport={"width": width, "height": height},
                               locale=BROWSER_LOCALES[language],
                               extra_http_headers={"Accept-Language": language}, **options)


@cache
def _app():
    # An application only for its catalogs: nothing here opens the database.
    from core import create_app

    folder = tempfile.mkdtemp(prefix="carnets-e2e-catalogs-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "catalogs",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/unused.db",
                       "BABEL_DEFAULT_LOCALE": "en"})


def translate(language, msgid, **values):
    """`msgid` as the interface of `language` shows it."""
    with _app().test_request_context(), force_locale(language):
        return gettext(msgid, **values)


def translate_plural(language, singular, plural, num):
    with _app().test_request_context(), force_locale(language):
        return ngettext(singular, plural, num)


class Interface:
    """A page read in `language`. Controls are found by their label in that language, and each
    use checks that the label is translated and that the page shows no control under its English
    label (a label forgotten in a template, or missing from the catalog)."""

    def __init__(self, page, language):
        self.page, self.language = page, language

    def t(self, msgid, **values):
        """The translation of a control's label: it must differ from the English source."""
        text = translate(self.language, msgid, **values)
        english = msgid % values if values else msgid
        assert text != english, f"{msgid!r} is not translated into {self.language!r}"
        return text

    def plural(self, singular, plural, num):
        text = translate_plural(self.language, singular, plural, num)
        assert text != (singular if num == 1 else plural) % {"num": num}, (
            f"{singular!r} is not translated into {self.language!r}")
        return text

    def _translated(self, role, msgid, within):
        root = within or self.page
        expect(root.get_by_role(role, name=msgid, exact=True)).to_have_count(0)
        return root.get_by_role(role, name=self.t(msgid), exact=True)

    def button(self, msgid, within=None):
        return self._translated("button", msgid, within)

    def link(self, msgid, within=None):
        return self._translated("link", msgid, within)

    def field(self, msgid, within=None):
        """A form field by its label."""
        root = within or self.page
        controls = root.locator("input, textarea, select")
        expect(root.get_by_label(msgid, exact=True).and_(controls)).to_have_count(0)
        return root.get_by_label(self.t(msgid), exact=True).and_(controls)

    def disclosure(self, msgid, within=None):
        """The <summary> that opens a <details> (no JavaScript needed)."""
        root = within or self.page
        expect(root.locator("summary").filter(has_text=msgid)).to_have_count(0)
        return root.locator("summary").filter(has_text=self.t(msgid))
