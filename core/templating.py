"""Template filters and globals shared by every package's templates."""
import hashlib
from datetime import datetime

from flask import url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from jinja2 import pass_context

from core import formatting, markup
from core.urls import absolute_url


def _date(value, fmt="medium"):
    return format_datetime(value, fmt) if isinstance(value, datetime) else ""


def _day(value, fmt="long"):
    """A date (or the day of a datetime) in the reader's language."""
    return format_date(value, fmt) if value else ""


def country_name(code):
    """A country's name in the reader's language ("Maroc", "Marruecos"), from Babel."""
    return get_locale().territories.get(code, code)


def _counting_ngettext(ngettext):
    """Flask-Babel's `ngettext` of templates, with the count written in the reader's language:
    "1 234 réponses", not "1234 réponses"."""

    @pass_context
    def wrapper(__context, __singular, __plural, __num, **variables):
        variables.setdefault("num", formatting.number(__num))
        return ngettext(__context, __singular, __plural, __num, **variables)

    return wrapper


def init_app(app):
    """Register filters, globals and a fingerprinted static URL (cached for a year)."""
    fingerprints = {}

    def static_url(filename):
        if filename not in fingerprints:
            path = f"{app.static_folder}/{filename}"
            with open(path, "rb") as handle:
                fingerprints[filename] = hashlib.sha256(handle.read()).hexdigest()[:10]
        return url_for("static", filename=filename, v=fingerprints[filename])

    app.jinja_env.filters.update(time_ago=formatting.time_ago, iso_utc=formatting.iso_utc,
                                 number=formatting.number, excerpt=markup.excerpt,
                                 shorten=markup.shorten, datetime=_date, day=_day,
                                 country=country_name)
    # Flask-Babel installed the gettext callables when it was bound (core.setup, before this).
    app.jinja_env.globals["ngettext"] = _counting_ngettext(app.jinja_env.globals["ngettext"])
    app.jinja_env.globals.update(list_joiner=formatting.list_joiner, static_url=static_url,
                                 me=current_user, absolute_url=absolute_url)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
