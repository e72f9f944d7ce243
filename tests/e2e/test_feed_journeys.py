"""Feeds parse: a reader finds each page's feed through its <link rel="alternate">, a feed
reader fetches it from the real server (compressed, 304 when polled again), and its entries
lead back to the pages they name. With JavaScript on and off (nothing here needs it)."""
import gzip
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urljoin

import feedparser


def _alternate(page):
    link = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert link.count() == 1
    return urljoin(page.url, link.get_attribute("href")), link.get_attribute("title")


def _fetch(url, **headers):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **headers})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return response.status, response.headers, body
    except HTTPError as error:
        return error.code, error.headers, b""


def _parsed(url):
    status, headers, body = _fetch(url)
    assert status == 200
    assert headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"
    feed = feedparser.parse(body)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed, headers


def test_the_question_pages_feed_parses_and_leads_back(live_server, new_page):
    page = new_page()
    base = live_server.url
    page.goto(f"{base}/questions/{live_server.seed['big_question']}")
    url, title = _alternate(page)
    assert url == f"{base}/feeds/questions/{live_server.seed['big_question']}"
    assert title == "Feed of the answers to this question (Atom)"
    feed, headers = _parsed(url)
    assert page.locator("h1").inner_text() in feed.feed.title
    assert len(feed.entries) == live_server.seed["answers"]
    assert _fetch(url, **{"If-None-Match": headers["ETag"]})[0] == 304
    # The newest answer's entry opens the question at that answer.
    newest = feed.entries[0]
    page.goto(newest.link)
    anchor = newest.link.split("#", 1)[1]
    assert page.locator(f"#{anchor}").count() == 1
    assert newest.summary[:40] in page.locator(f"#{anchor}").inner_text()


def test_the_lists_feeds_parse(live_server, new_page):
    page = new_page()
    base = live_server.url
    for path, feed_path in (("/questions", "/feeds/questions"), ("/", "/feeds/questions"),
                            ("/tags/trust", "/feeds/tags/trust"), ("/kb", "/feeds/articles")):
        page.goto(base + path)
        url, _title = _alternate(page)
        assert url == base + feed_path
        feed, _headers = _parsed(url)
        assert feed.entries, feed_path
    page.goto(_parsed(base + "/feeds/articles")[0].entries[0].link)
    assert page.locator("h1").count() == 1
