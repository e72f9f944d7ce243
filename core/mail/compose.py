"""Writing a message in its recipient's language, with links to the site.

Links in mail never come from the request's Host header (a forged Host would send a password
reset link to another site): they use CARNETS_BASE_URL, or the address `make run` serves.
"""
from flask import current_app, render_template
from flask_babel import force_locale

from core.config import LANGUAGES
from core.urls import path_for

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def locale_of(user):
    """The language mail to `user` is written in: their choice, else the site's default."""
    locale = getattr(user, "locale", None)
    return locale if locale in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def mail_url(endpoint, **values):
    """The absolute address of a page, for a link in a message."""
    base = current_app.config.get("CARNETS_BASE_URL") or DEFAULT_BASE_URL
    return base.rstrip("/") + path_for(endpoint, **values)


def one_line(text, limit=250):
    """`text` fit for a header: no line breaks (no header can be injected), bounded."""
    return " ".join(str(text).split())[:limit]


def render(user, name, subject, **context):
    """(subject, text, html) of templates/email/<name>.txt and .html, written in `user`'s
    language. `subject` is a lazy string or a function returning one, read in that language."""
    with force_locale(locale_of(user)):
        subject = one_line(subject() if callable(subject) else subject)
        context.update(user=user, subject=subject)
        text = render_template(f"email/{name}.txt", **context)
        html = render_template(f"email/{name}.html", **context)
    return subject, text, html
