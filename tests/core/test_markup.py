"""Markdown rendering and sanitising (core.markup.render): what readers see, and what never runs."""
import unicodedata
from html import unescape

import pytest

from core import markup
from core.markup import render, render_plain
from tests.core.htmlcheck import attribute_values, dangers, elements, url_scheme

# What a post may contain once rendered, written here independently of the app's allow-list.
POST_TAGS = {"p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol",
             "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
             "sub", "sup"}
POST_ATTRIBUTES = {"href", "title", "rel", "start", "align"}
REL = "nofollow ugc noopener"


def test_paragraphs_and_emphasis():
    html = render("First *soft* and **strong** words.\n\nSecond paragraph.")
    assert html == ("<p>First <em>soft</em> and <strong>strong</strong> words.</p>\n"
                    "<p>Second paragraph.</p>")


def test_lists_bulleted_numbered_and_starting_elsewhere():
    html = render("- listen\n- wait\n\n1. greet\n2. explain\n\nThen:\n\n3. third\n4. fourth")
    assert "<ul>\n<li>listen</li>\n<li>wait</li>\n</ul>" in html
    assert "<ol>\n<li>greet</li>\n<li>explain</li>\n</ol>" in html
    assert '<ol start="3">' in html


def test_links_carry_rel_nofollow_ugc_noopener():
    html = render("See [the guide](https://example.org/guide \"A guide\").")
    assert html == ('<p>See <a href="https://example.org/guide" title="A guide" '
                    'rel="nofollow ugc noopener">the guide</a>.</p>')


def test_local_and_mailto_links_are_kept():
    html = render("[question](/questions/12) or [write](mailto:team@example.org)")
    assert attribute_values(html, "a", "href") == ["/questions/12", "mailto:team@example.org"]


def test_bare_urls_and_addresses_become_links():
    html = render("Read https://example.org/page?x=1 and www.example.net or mail a@example.org")
    hrefs = attribute_values(html, "a", "href")
    assert hrefs == ["https://example.org/page?x=1", "http://www.example.net",
                     "mailto:a@example.org"]
    assert attribute_values(html, "a", "rel") == [REL, REL, REL]


def test_quotes():
    html = render("> What the boy said\n> on the first night")
    assert html == "<blockquote>\n<p>What the boy said\non the first night</p>\n</blockquote>"


def test_fenced_code_is_shown_not_run():
    html = render("```python\nif age < 18:\n    print('<b>minor</b>')\n```")
    assert html == ("<pre><code>if age &lt; 18:\n    print('&lt;b&gt;minor&lt;/b&gt;')\n"
                    "</code></pre>")


def test_tables():
    html = render("| Step | When |\n|------|------|\n| greet | day 1 |")
    assert html == ("<table>\n<thead>\n<tr>\n<th>Step</th>\n<th>When</th>\n</tr>\n</thead>\n"
                    "<tbody>\n<tr>\n<td>greet</td>\n<td>day 1</td>\n</tr>\n</tbody>\n</table>")


def test_table_column_alignment_is_kept():
    html = render("| Step | When |\n|:-----|-----:|\n| greet | day 1 |")
    assert '<th align="left">Step</th>' in html
    assert '<td align="right">day 1</td>' in html
    assert "style=" not in html


def test_headings_sit_below_the_page_headings():
    html = render("# Context\n\n## What we tried")
    assert [tag for tag, _ in elements(html)] == ["h3", "h4"]


def test_raw_html_is_shown_as_text():
    html = render('Use <b>bold</b> and <p style="color:red">red</p>')
    assert html == ("<p>Use &lt;b&gt;bold&lt;/b&gt; and "
                    "&lt;p style=\"color:red\"&gt;red&lt;/p&gt;</p>")


def test_empty_source_renders_nothing():
    assert render("") == ""
    assert render(None) == ""


def test_render_plain_escapes_and_keeps_the_text():
    text = '<b onclick="x">Ana & Bo</b>'
    html = render_plain(text)
    assert "<" not in html and '"' not in html
    assert unescape(html) == text


def test_every_link_gets_the_rel_even_when_the_author_sets_one():
    html = render("[a](https://a.example) https://b.example [c](/local) "
                  '[d](https://d.example "t")\n\n[e]: https://e.example\n\n[see][e]')
    rels = attribute_values(html, "a", "rel")
    assert len(rels) == 5
    assert set(rels) == {REL}


XSS_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    "[x](javascript&colon;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
    "&#0000116&#0000058alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](jav&#x0A;ascript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](javascript://%0Aalert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[ref]: javascript:alert(1)\n\n[click][ref]",
    "- [x](javascript:alert(1))",
    '[x](https://example.org" onclick="alert(1))',
    "[x](https://example.org 'a\" onmouseover=\"alert(1)')",
    'https://example.org/"onmouseover="alert(1)',
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="https://x.example" onclick="alert(1)">x</a>',
    "<div onclick=alert(1)>x</div>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>@import 'https://x.example/x.css';</style>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<base href=javascript:/>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<script>alert(1)</script>-->",
    '"><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "[<img src=x onerror=alert(1)>](https://x.example)",
    "[x](https://x.example)<img src=x onerror=alert(1)>",
    "*<script>*alert(1)",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "> <img src=x onerror=alert(1)>",
    "# Title {: onclick=alert(1) }",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "<b onmouseover=alert(1)>hover</b>",
]


def test_the_payload_list_is_long_enough():
    assert len(XSS_PAYLOADS) >= 30
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload):
    html = render(payload)
    assert dangers(html, allowed_tags=POST_TAGS) == [], html
    for tag, attrs in elements(html):
        assert set(attrs) <= POST_ATTRIBUTES, html
        # The script-running schemes never survive in a link; text may show them, escaped.
        assert "javascript:" not in attrs.get("href", "").lower(), html
        assert not attrs.get("href", "").lower().startswith("data:"), html
        if tag == "a":
            assert attrs["rel"] == REL, html


def test_the_checker_finds_what_it_looks_for():
    """Without this, a broken checker would let every payload test pass."""
    assert dangers("<p>fine <a href='https://x.example'>x</a></p>", POST_TAGS) == []
    assert dangers("<script>alert(1)</script>", POST_TAGS)
    assert dangers("<a href=' java\tscript:alert(1)'>x</a>", POST_TAGS)
    assert dangers('<a href="&#106;avascript:alert(1)">x</a>', POST_TAGS)
    assert dangers('<a href="data:text/html,x">x</a>', POST_TAGS)
    assert dangers("<p onclick='x'>x</p>", POST_TAGS)
    assert dangers("<p style='x'>x</p>", POST_TAGS)
    assert dangers("<img src=x>", POST_TAGS)
    assert url_scheme("\x01 JavaScript:alert(1)") == "javascript"
    assert url_scheme("/questions/1") is None


# --- excerpts for meta descriptions (issue 13, item 8) ------------------------------------

def test_an_excerpt_is_plain_text_on_one_line():
    html = markup.render("**Bold** and a [link](https://example.org).\n\n- one\n- two &amp; <b>")
    assert markup.excerpt(html) == "Bold and a link. one two & <b>"


def test_an_excerpt_is_cut_at_a_word_with_an_ellipsis():
    text = markup.excerpt("<p>" + "word " * 60 + "</p>")
    assert len(text) <= 160 and text.endswith("word…")
    assert markup.shorten("short enough") == "short enough"
    assert markup.shorten("Trust first, then papers. " * 10, limit=30) == "Trust first, then papers…"


def test_an_excerpt_without_spaces_never_splits_a_khmer_letter():
    # "សិស្ស" (pupil): the coeng (U+17D2) stacks the next consonant; vowel signs are marks.
    text = "សិស្ស" * 40
    for limit in range(10, 30):
        cut = markup.shorten(text, limit=limit)
        assert len(cut) <= limit and cut.endswith("…")
        body = cut[:-1]
        assert not body.endswith("\u17d2")
        assert text.startswith(body)
        assert unicodedata.category(text[len(body)])[0] != "M"
