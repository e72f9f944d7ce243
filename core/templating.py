"""Template filters and globals shared by every package's templates."""
import hashlib
from datetime import datetime

from flask import url_for
from flask_babel import format_date, format_datetime, format_timedelta, get_locale
from flask_login import current_user

from core.accounts import permissions
from core.timeutil import utcnow


def _time_ago(value):
    """Relative time ("3 hours ago") in the reader's language."""
    if not isinstance(value, datetime):
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, threshold=1)


def _date(value, fmt="medium"):
    return format_datetime(value, fmt) if isinstance(value, datetime) else ""


def _day(value, fmt="long"):
    """A date (or the day of a datetime) in the reader's language."""
    return format_date(value, fmt) if value else ""


def country_name(code):
    """A country's name in the reader's language ("Maroc", "Marruecos"), from Babel."""
    return get_locale().territories.get(code, code)


def init_app(app):
    """Register filters, globals and a fingerprinted static URL (cached for a year)."""
    fingerprints = {}

    def static_url(filename):
        if filename not in fingerprints:
            path = f"{app.static_folder}/{filename}"
            with open(path, "rb") as handle:
                fingerprints[filename] = hashlib.sha256(handle.read()).hexdigest()[:10]
        return url_for("static", filename=filename, v=fingerprints[filename])

    app.jinja_env.filters.update(time_ago=_time_ago, datetime=_date, day=_day,
                                 country=country_name)
    app.jinja_env.globals.update(static_url=static_url, perms=permissions, me=current_user)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
