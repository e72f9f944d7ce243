"""Markdown to safe HTML: the one place in Carnets that renders and sanitises user text."""
import re
import unicodedata
import xml.etree.ElementTree as etree
from html import unescape

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

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


# "@username" (user names are 3 to 30 letters, digits and "_"): not inside a word or an
# address ("ana@example.org", "@ana@example.org"), so that e-mail addresses are not mentions.
MENTION_RE = re.compile(r"(?<![\w@.+\-/])@([A-Za-z0-9_]{3,30})(?![\w@])")
# Where a mention is plain text: code shows what was typed, and a link holds no other link.
_NO_MENTIONS = {"a", "code", "pre"}


class _Mentions(Treeprocessor):
    """Links each "@name" of the text to the member's page, when `resolve` knows the name.

    `resolve(keys)` gets the lower-cased names in order of first appearance, once per render,
    and returns {key: (user name, address)} of those that are members.
    """

    def __init__(self, md, resolve):
        super().__init__(md)
        self.resolve = resolve

    def _slots(self, element, slots):
        """(element, "text" or "tail", parent) of every piece of text a mention may be in."""
        if element.text:
            slots.append((element, "text", None))
        for child in list(element):
            if child.tag not in _NO_MENTIONS:
                self._slots(child, slots)
            if child.tail:
                slots.append((child, "tail", element))

    def run(self, root):
        slots = []
        self._slots(root, slots)
        keys = []
        for element, where, _parent in slots:
            for name in MENTION_RE.findall(getattr(element, where)):
                if name.lower() not in keys:
                    keys.append(name.lower())
        found = self.resolve(keys) if keys else {}
        if not found:
            return
        for element, where, parent in slots:
            self._link(element, where, parent, found)

    @staticmethod
    def _link(element, where, parent, found):
        text = getattr(element, where)
        pieces = MENTION_RE.split(text)  # text, name, text, name, ..., text
        if len(pieces) == 1 or not any(name.lower() in found for name in pieces[1::2]):
            return
        links, before = [], pieces[0]
        for name, after in zip(pieces[1::2], pieces[2::2]):
            member = found.get(name.lower())
            if member is None:
                if links:
                    links[-1].tail += "@" + name + after
                else:
                    before += "@" + name + after
                continue
            link = etree.Element("a", {"href": member[1]})
            link.text = "@" + member[0]
            link.tail = after
            links.append(link)
        setattr(element, where, before)
        if where == "text":
            container, position = element, 0
        else:
            container, position = parent, list(parent).index(element) + 1
        for offset, link in enumerate(links):
            container.insert(position + offset, link)


def _markdown(top_heading, mentions=None):
    configs = dict(EXTENSION_CONFIGS, toc={"baselevel": top_heading})
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=configs,
                           output_format="html")
    # Raw HTML in a post is shown as text, never interpreted: users write markdown only.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    if mentions is not None:
        # After the inline patterns (20): links, code spans and e-mail addresses are made.
        md.treeprocessors.register(_Mentions(md, mentions), "mentions", 15)
    return md


def render(source, top_heading=3, mentions=None):
    """Markdown source → sanitised HTML with rel="nofollow ugc noopener" on every link.

    `top_heading`: the level a "# Heading" gets (3 in posts, below the page's h1 and h2; 2 in
    articles, whose sections come right under the title).
    `mentions`: a function that says which "@name" are members (see _Mentions): each becomes
    a link to the member's page. Without it, "@name" stays text and nothing is looked up.
    """
    html = _markdown(top_heading, mentions).convert(source or "")
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
