"""Dates, times and numbers in the reader's language (issue 13, item 4), and the times pages
give machines (`<time datetime>`)."""
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import render_template_string
from flask_babel import force_locale

from core import formatting
from core.formatting import has_relative_patterns, iso_utc, time_ago

NOW = datetime(2026, 11, 30, 10, 5, 27, 654321)
# Babel's root placeholders, what Malagasy pages said before: "-3 m", "-30 s", "+2 h".
SIGNED_AMOUNT = re.compile(r"^[-+−]\s?\d")


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield app


def _ago(locale, **delta):
    with force_locale(locale):
        return time_ago(NOW - timedelta(**delta), now=NOW)


# --- relative times ----------------------------------------------------------------------

@pytest.mark.parametrize("locale, expected", [
    ("en", "3 minutes ago"),
    ("fr", "il y a 3 minutes"),
    ("es", "hace 3 minutos"),
    ("ar", "قبل 3 دقائق"),
    ("km", "3 នាទី\u200bមុន"),
])
def test_babels_own_phrases_where_cldr_has_them(request_ctx, locale, expected):
    assert _ago(locale, minutes=3) == expected


def test_cldr_has_no_relative_times_for_malagasy_only_among_ours():
    assert {code: has_relative_patterns(code) for code in ("fr", "en", "es", "ar", "km", "mg")} \
        == {"fr": True, "en": True, "es": True, "ar": True, "km": True, "mg": False}


@pytest.mark.parametrize("delta", [{"seconds": 30}, {"minutes": 3}, {"hours": 2}, {"days": 3},
                                   {"days": 15}, {"days": 40}, {"days": 800}])
def test_malagasy_never_reads_a_signed_amount(request_ctx, delta):
    phrase = _ago("mg", **delta)
    assert phrase and not SIGNED_AMOUNT.match(phrase), phrase
    assert re.search(r"\d", phrase)


def test_malagasy_says_ago_in_malagasy(request_ctx):
    """Needs the Malagasy catalog with this branch's strings (new-strings-locale.json)."""
    assert _ago("mg", minutes=3) == "3 minitra lasa izay"
    assert _ago("mg", days=1) == "1 andro lasa izay"


@pytest.mark.parametrize("delta, expected", [
    ({"seconds": 1}, "1 second ago"),
    ({"seconds": 30}, "30 seconds ago"),
    ({"minutes": 1}, "1 minute ago"),
    ({"minutes": 3}, "3 minutes ago"),
    ({"minutes": 90}, "2 hours ago"),
    ({"days": 1}, "1 day ago"),
    ({"days": 10}, "1 week ago"),
    ({"days": 40}, "1 month ago"),
    ({"days": 800}, "2 years ago"),
])
def test_our_own_phrases_for_a_locale_without_cldr_patterns(request_ctx, monkeypatch, delta,
                                                            expected):
    """The phrases Malagasy gets, read through the English source; the same amounts as
    Babel's."""
    monkeypatch.setattr(formatting, "has_relative_patterns", lambda locale: False)
    assert _ago("en", **delta) == expected
    monkeypatch.undo()
    assert _ago("en", **delta) == expected


def test_a_time_just_now_or_a_little_ahead_reads_as_just_past(request_ctx):
    with force_locale("fr"):
        assert time_ago(NOW, now=NOW) == "il y a 1 seconde"
        assert time_ago(NOW + timedelta(seconds=2), now=NOW) == "il y a 1 seconde"
    with force_locale("mg"):
        assert not SIGNED_AMOUNT.match(time_ago(NOW + timedelta(seconds=2), now=NOW))


def test_an_aware_time_is_read_in_utc(request_ctx):
    paris = NOW.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=1)))
    with force_locale("en"):
        assert time_ago(paris - timedelta(minutes=3), now=NOW) == "3 minutes ago"


# --- times for machines ------------------------------------------------------------------

def test_iso_utc_has_whole_seconds_and_a_z():
    assert iso_utc(NOW) == "2026-11-30T10:05:27Z"
    assert iso_utc(datetime(2026, 11, 30, 11, 2, 27, 1, tzinfo=timezone(timedelta(hours=1)))) \
        == "2026-11-30T10:02:27Z"
    assert iso_utc(None) == ""


# --- numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("locale, expected", [
    ("en", "1,234 answers"), ("fr", "1\u202f234"), ("es", "1.234"), ("ar", "1,234"),
])
def test_counts_in_sentences_are_written_in_the_readers_locale(request_ctx, locale, expected):
    with force_locale(locale):
        text = render_template_string(
            '{{ ngettext("%(num)s answer", "%(num)s answers", n) }}', n=1234)
    assert expected in text


def test_a_count_given_by_the_template_is_kept(request_ctx):
    with force_locale("fr"):
        assert render_template_string('{{ ngettext("%(num)s vote", "%(num)s votes", 3, '
                                      'num="three") }}') in ("three votes", "three vote")


def test_the_number_filter(request_ctx):
    with force_locale("fr"):
        assert render_template_string("{{ 12345|number }} {{ -3|number }}") == "12\u202f345 -3"
