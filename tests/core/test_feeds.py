"""core.feeds without a package's rows: any text gives well-formed Atom, times are RFC 3339,
ids are tag: URIs of the site's host, and an empty feed is still a valid, stable feed."""
from datetime import datetime

import feedparser

from core import feeds

NASTY = "A <b>&amp;</b> \"quoted\" 'title'\x00\x01\x0b\x1f\x7f\x85\ud800\ufffe ]]> end"


def _entry(**values):
    return feeds.Entry(**{"id": "tag:example.org,2026:question-1", "title": "A title",
                          "updated": datetime(2026, 3, 4, 5, 6, 7, 891011), "author": "Amina",
                          "url": "https://example.org/questions/1", **values})


def _feed(entries, **values):
    return feeds.Feed(**{"title": "Newest questions", "url": "https://example.org/questions",
                         "self_url": "https://example.org/feeds/questions", "entries": entries,
                         **values})


def test_control_characters_and_markup_never_break_the_xml():
    body = feeds.render(_feed([_entry(title=NASTY, summary=NASTY, author=NASTY,
                                      categories=[NASTY], lang="ar")], title=NASTY))
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    clean = "A <b>&amp;</b> \"quoted\" 'title' ]]> end"
    assert parsed.feed.title == clean
    entry, = parsed.entries
    assert (entry.title, entry.summary, entry.author) == (clean, clean, clean)
    assert entry.summary_detail.language == "ar"
    assert b"<b>" not in body


def test_times_are_rfc_3339_in_utc():
    assert feeds.rfc3339(datetime(2026, 3, 4, 5, 6, 7, 891011)) == "2026-03-04T05:06:07Z"
    parsed = feedparser.parse(feeds.render(_feed([_entry(published=datetime(2026, 1, 2))])))
    assert parsed.feed.updated == "2026-03-04T05:06:07Z"
    assert parsed.entries[0].published == "2026-01-02T00:00:00Z"


def test_an_empty_feed_is_valid_and_stable():
    body = feeds.render(_feed([]))
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0 and parsed.entries == []
    assert parsed.feed.updated == "2026-01-01T00:00:00Z"
    assert feeds.render(_feed([])) == body


def test_entry_ids_name_the_sites_host_without_its_port(app):
    with app.test_request_context("/", base_url="http://localhost:5000"):
        assert feeds.tag_uri("answer", 12) == "tag:localhost,2026:answer-12"
    app.config["CARNETS_BASE_URL"] = "https://carnets.example.org"
    try:
        with app.test_request_context("/", headers={"Host": "evil.example"}):
            assert feeds.tag_uri("article", 3) == "tag:carnets.example.org,2026:article-3"
    finally:
        app.config.pop("CARNETS_BASE_URL")
