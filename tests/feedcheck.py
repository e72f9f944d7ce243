"""Reading an Atom feed back as a feed reader does (feedparser), for the feed tests."""
import re

import feedparser

ALTERNATE_RE = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]*>')


def parse(response):
    """The parsed feed of a 200 response; fails unless it is well-formed Atom, served as
    application/atom+xml; charset=utf-8."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def alternate_links(page):
    """The href and title of each <link rel="alternate" type="application/atom+xml"> of an
    HTML page."""
    found = []
    for tag in ALTERNATE_RE.findall(page):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        found.append((attributes.get("href"), attributes.get("title")))
    return found
