"""Locale selection, language names, the language switcher, and lazy messages."""
from babel import Locale, UnknownLocaleError
from flask import current_app, has_request_context, request
from flask_babel import get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup

from core.config import LANGUAGES

LOCALE_COOKIE = "carnets_locale"
LOCALE_COOKIE_AGE = 365 * 24 * 3600
RTL_LANGUAGES = ("ar",)

# The escaping rule of every translated message, in one place. Flask-Babel's lazy strings
# define __html__, so Jinja (and a flash through the session) takes them as safe markup:
# `lazy_gettext("“%(x)s”", x=typed)` would show what a reader typed as HTML. Every package
# takes `_l` from here instead: the translation is trusted, like `_()` in a template, and the
# values put into it are escaped; as a str it stays plain text. Eager `_()` returns a str,
# which Jinja escapes whole.


def html_message(msgid, **values):
    """`msgid` translated, as Markup, with `values` escaped (what `_()` does in a template)."""
    text = Markup(gettext(msgid))
    return text % values if values else text


class LazyMessage(LazyString):
    """A lazy translated message: plain text as a str, its values escaped as HTML."""

    def __html__(self):
        return html_message(*self._args, **self._kwargs)


def lazy_gettext(msgid, **values):
    """Translated when shown, in the reader's language; `values` are escaped in HTML."""
    return LazyMessage(gettext, msgid, **values)


def select_locale():
    """The signed-in user's preference, then the switcher's cookie, then Accept-Language, then
    the default language (BABEL_DEFAULT_LOCALE: French unless CARNETS_DEFAULT_LOCALE says)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code):
    """The language's name written in that language ("français", "español")."""
    return Locale.parse(code).get_display_name(code)


def text_direction():
    """'rtl' for right-to-left UI languages, else 'ltr'."""
    return "rtl" if str(get_locale()).split("_")[0] in RTL_LANGUAGES else "ltr"


def content_language_name(code):
    """A content language's name in the reader's interface language ("espagnol" on a French
    page), for sentences such as "This question is in %(language)s"."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (UnknownLocaleError, ValueError):  # a code Babel does not know: show the code
        return code


def isolate(text):
    """`text` (a name, a title, a tag) escaped and wrapped in <bdi>, for putting inside a
    translated sentence: an Arabic name in a French sentence, or a French title in an Arabic
    one, keeps its own direction and leaves the sentence's punctuation where it belongs."""
    return Markup("<bdi>%s</bdi>") % text


def current_locale():
    """The code of the language this page is written in ("fr"): what the switcher marks."""
    return str(get_locale())


def current_path():
    """This page's path and query, where the switcher (or signing in) brings the reader back;
    None on a page whose address holds a secret (a mailed link's token), which no link may
    pass on to another address, log or history."""
    if request.view_args and "token" in request.view_args:
        return None
    return request.full_path.removesuffix("?")


def remember_locale(response, code):
    """Keep `code` in the switcher's cookie (a year), on this device, signed in or not."""
    response.set_cookie(LOCALE_COOKIE, code, max_age=LOCALE_COOKIE_AGE, samesite="Lax",
                        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def forget_locale(response):
    """Drop the switcher's cookie: the browser's languages count again."""
    response.delete_cookie(LOCALE_COOKIE, samesite="Lax", httponly=True,
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def init_app(app):
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, language_name=language_name, text_direction=text_direction,
        get_locale=get_locale, current_locale=current_locale, current_path=current_path,
        content_language_name=content_language_name,
    )
    app.jinja_env.filters["isolate"] = isolate
