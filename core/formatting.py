"""Dates, times and numbers in the reader's language (Babel), and times for machines.

Relative times come from Babel's CLDR patterns where the locale has them ("il y a 3 minutes",
"hace 3 minutos", "قبل 3 دقائق"). Some locales have none: Malagasy (and Lingala, spoken in
the Congos) inherit CLDR's root placeholders, which read "-3 min" or "-30 s". For those, our
own phrases, translated in our catalogs like any other string, say "3 minitra lasa izay".
"""
from datetime import UTC, datetime, timedelta
from functools import cache

from babel import Locale, localedata
from babel.dates import TIMEDELTA_UNITS
from flask_babel import format_decimal, format_timedelta, get_locale, get_translations

from core.timeutil import utcnow

UNITS = tuple(unit for unit, _ in TIMEDELTA_UNITS)
# A time a few milliseconds old, or a little ahead of this server's clock (another server wrote
# it), reads "1 second ago": Babel would say "in 0 seconds".
_LEAST = timedelta(seconds=-1)



def ngettext(singular, plural, num):
    """Flask-Babel's ngettext, with the count written in the reader's language (its own
    `num` is the bare number)."""
    return get_translations().ungettext(singular, plural, num) % {"num": number(num)}


# One function per unit, so that each phrase is a literal string the extractor finds.
_AGO = {
    "year": lambda n: ngettext("%(num)s year ago", "%(num)s years ago", n),
    "month": lambda n: ngettext("%(num)s month ago", "%(num)s months ago", n),
    "week": lambda n: ngettext("%(num)s week ago", "%(num)s weeks ago", n),
    "day": lambda n: ngettext("%(num)s day ago", "%(num)s days ago", n),
    "hour": lambda n: ngettext("%(num)s hour ago", "%(num)s hours ago", n),
    "minute": lambda n: ngettext("%(num)s minute ago", "%(num)s minutes ago", n),
    "second": lambda n: ngettext("%(num)s second ago", "%(num)s seconds ago", n),
}


@cache
def has_relative_patterns(locale):
    """Whether CLDR gives `locale` its own "… ago" pattern for every unit, rather than the
    root locale's placeholder ("-{0} min") that Babel falls back to."""
    root = localedata.load("root")["date_fields"]
    fields = Locale.parse(locale)._data["date_fields"]
    return all(dict(fields[unit]["past"]) != dict(root[unit]["past"]) for unit in UNITS)


def _unit_and_count(seconds):
    # Babel's own rounding (format_timedelta with threshold=1), so that every language says
    # the same amount: the largest unit of which there is at least one, rounded.
    for unit, length in TIMEDELTA_UNITS:
        value = seconds / length
        if value >= 1 or unit == "second":
            return unit, max(1, int(round(value)))
    raise AssertionError("unreachable: the last unit is the second")


def time_ago(value, now=None):
    """How long ago `value` (a naive UTC datetime) was, in the reader's language."""
    if not isinstance(value, datetime):
        return ""
    delta = min(as_utc(value) - as_utc(now or utcnow()), _LEAST)
    locale = str(get_locale())
    if has_relative_patterns(locale):
        return format_timedelta(delta, add_direction=True, threshold=1)
    unit, count = _unit_and_count(-delta.total_seconds())
    return _AGO[unit](count)


def as_utc(value):
    """`value` as a naive UTC datetime (the form every column stores); an aware one is
    converted first."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def iso_utc(value):
    """`value` for a `<time datetime>`: UTC, whole seconds, ISO 8601 ("2026-11-30T10:02:27Z")."""
    if not isinstance(value, datetime):
        return ""
    return as_utc(value).isoformat(timespec="seconds") + "Z"


def number(value):
    """A count in the reader's language: digit grouping and signs of their locale (1 234)."""
    return format_decimal(value) if isinstance(value, int | float) else value


def list_joiner(index, length):
    """What goes after item `index` of a list of `length` items in the reader's language:
    ", " then " et " in French, " و" in Arabic (CLDR's list patterns), "" after the last."""
    if index >= length - 1:
        return ""
    patterns = Locale.parse(str(get_locale())).list_patterns["standard"]
    if length == 2:
        pattern = patterns["2"]
    elif index == length - 2:
        pattern = patterns["end"]
    else:
        pattern = patterns["start"] if index == 0 else patterns["middle"]
    return pattern.split("{0}", 1)[1].split("{1}", 1)[0]
