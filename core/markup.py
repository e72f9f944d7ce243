"""Markdown to safe HTML: the one place in Carnets that renders and sanitises user text."""
import re
import unicodedata
from html import unescape

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sub", "sup",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
TAG_RE = re.compile(r"<[^>]*>")
# Tags that end a line of text; the others (a link, emphasis) sit inside a sentence.
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|br|hr|pre|blockquote|ul|ol|li|h[1-6]|table|thead|tbody|tr|th|td)\b[^>]*>")
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "toc", "pymdownx.magiclink"]
EXTENSION_CONFIGS = {
    # A post's "# Heading" sits below the page's own h1/h2.
    "toc": {"baselevel": 3},
    # Alignment as an attribute: the sanitiser drops every style attribute.
    "tables": {"use_align_attribute": True},
    "pymdownx.magiclink": {"hide_protocol": False, "repo_url_shortener": False},
}


def _markdown(top_heading):
    configs = dict(EXTENSION_CONFIGS, toc={"baselevel": top_heading})
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=configs,
                           output_format="html")
    # Raw HTML in a post is shown as text, never interpreted: users write markdown only.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render(source, top_heading=3):
    """Markdown source → sanitised HTML with rel="nofollow ugc noopener" on every link.

    `top_heading`: the level a "# Heading" gets (3 in posts, below the page's h1 and h2; 2 in
    articles, whose sections come right under the title).
    """
    html = _markdown(top_heading).convert(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | ({"h2"} if top_heading == 2 else set()),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_plain(text):
    """Escape plain text (titles, names) into HTML: used where no markup is allowed."""
    return nh3.clean_text(text or "")


def to_text(html):
    """Plain text of HTML made by `render` (for search): tags become spaces, entities text."""
    return " ".join(unescape(TAG_RE.sub(" ", html or "")).split())


def shorten(text, limit=160):
    """`text` on one line, cut at a word (or, in a script written without spaces such as
    Khmer, between two letters) so that it holds at most `limit` characters with its "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    end = limit - 1
    space = text.rfind(" ", 0, end + 1)
    if space > limit // 2:
        end = space
    else:
        # Never split a letter from its marks (a Khmer vowel sign, an Arabic vowel) nor a
        # Khmer consonant from the coeng sign that stacks it under the one before.
        while end > 0 and (unicodedata.category(text[end]).startswith("M")
                           or text[end - 1] == "\u17d2"):
            end -= 1
    return text[:end].rstrip(" ,;:.-–—") + "…"


def excerpt(html, limit=160):
    """A plain-text excerpt of HTML made by `render` (a page's meta description)."""
    return shorten(unescape(TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", html or ""))), limit)
