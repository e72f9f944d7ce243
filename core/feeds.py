"""Atom 1.0 feeds (RFC 4287): what a package lists, written as XML with the standard library.

Packages build a `Feed` of `Entry`s (plain text only: a title, the author's name, a short
summary) and answer with `response(feed)`. Every text is escaped by the XML writer and rid of
the characters XML cannot hold (control characters), so a title holding "<", "&", quotes or a
stray control character still gives a feed every reader parses. No HTML ever goes into a feed:
a summary is the plain text of the rendered post, cut short.
"""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app

from core.urls import base_url

ATOM = "http://www.w3.org/2005/Atom"
MIMETYPE = "application/atom+xml"
# How many entries a feed holds: readers poll it, so it stays light.
FEED_SIZE = 30
# A summary: the first characters of the post's text, enough to tell what it is about.
SUMMARY_LENGTH = 300
# The date of the tag: URIs (RFC 4151) naming entries; fixed, so ids never change.
TAG_DATE = "2026"
# The time a feed without entries says it was updated (stable, so its ETag is too).
EPOCH = datetime(2026, 1, 1)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What XML 1.0 cannot hold (C0 controls but tab and newlines, surrogates, U+FFFE/U+FFFF) and
# the C1 controls (readers take U+0085 for Windows-1252's "…").
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Entry:
    """One item of a feed. `id`: stable (see `tag_uri`); `updated`: a naive UTC datetime;
    `url`: absolute; `lang`: the language of the summary (and of the title when
    `title_is_content`, a post's own title rather than a sentence of the interface)."""

    id: str
    title: str
    updated: datetime
    author: str
    url: str
    summary: str = ""
    published: datetime | None = None
    lang: str | None = None
    title_is_content: bool = True
    categories: list = field(default_factory=list)


@dataclass
class Feed:
    """A feed: `url` is the page it follows (rel=alternate), `self_url` its own address (also
    its id); both absolute. `lang`: the language of its title (the reader's). `updated`: when
    what the feed follows last changed, if it has such a time."""

    title: str
    url: str
    self_url: str
    entries: list
    lang: str | None = None
    updated: datetime | None = None

    @property
    def last_updated(self):
        """When the feed last changed: its newest entry's time, or `updated` (when what it
        follows changed: a question's title) if later; EPOCH for an empty feed."""
        times = [entry.updated for entry in self.entries] + [self.updated or EPOCH]
        return max(times)


def xml_text(value):
    """`value` as text XML can hold: control characters and lone surrogates removed."""
    return _NOT_XML.sub("", str(value or ""))


def rfc3339(moment):
    """A naive UTC datetime as RFC 3339 ("2026-12-01T03:00:33Z")."""
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def tag_uri(kind, number):
    """A stable id for an entry ("tag:carnets.example.org,2026:answer-12", RFC 4151): it
    names the row, so it stays the same when a title, a slug or the page's address changes."""
    host = urlsplit(base_url()).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{kind}-{number}"


def _child(parent, name, text=None, **attributes):
    element = ET.SubElement(parent, name, {key: xml_text(value)
                                           for key, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def render(feed):
    """The feed as Atom XML (bytes, UTF-8)."""
    root = ET.Element("feed", {"xmlns": ATOM})
    if feed.lang:
        root.set(_XML_LANG, feed.lang)
    _child(root, "id", feed.self_url)
    _child(root, "title", feed.title)
    _child(root, "updated", rfc3339(feed.last_updated))
    _child(root, "link", rel="self", type=MIMETYPE, href=feed.self_url)
    _child(root, "link", rel="alternate", type="text/html", href=feed.url)
    for entry in feed.entries:
        item = _child(root, "entry")
        _child(item, "id", entry.id)
        title = _child(item, "title", entry.title)
        if entry.lang and entry.title_is_content:
            title.set(_XML_LANG, entry.lang)
        _child(item, "updated", rfc3339(entry.updated))
        if entry.published is not None:
            _child(item, "published", rfc3339(entry.published))
        _child(_child(item, "author"), "name", entry.author)
        _child(item, "link", rel="alternate", type="text/html", href=entry.url)
        for term in entry.categories:
            _child(item, "category", term=term)
        if entry.summary:
            summary = _child(item, "summary", entry.summary, type="text")
            if entry.lang:
                summary.set(_XML_LANG, entry.lang)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def response(feed):
    """The feed as an HTTP response: application/atom+xml; charset=utf-8 (core.http adds the
    ETag, answers 304 to a conditional GET, and Flask-Compress compresses it). No
    Last-Modified: the newest entry's time does not move when an entry is hidden, deleted or
    redacted, and a reader asking "modified since?" would keep the withdrawn text."""
    return current_app.response_class(render(feed), mimetype=MIMETYPE)
