"""Hostile input never runs: XSS payloads (tests/e2e/xss_payloads.txt) posted through the real
server as titles, bodies, answers, comments, replies, edit summaries, refused tags and profile
fields, then every page that shows them is opened in Chromium with JavaScript ON.

A page fails when a dialog opens, the console or a page error mentions "xss", the
Content-Security-Policy reports a violation (something tried to run or to style inline),
window.__xss is set, an element carries an on* attribute, a link, frame, form or object points
to a javascript:, data: or vbscript: URL, or an active element (script, iframe, object, embed,
base, meta http-equiv, style, svg, math, img…) exists beyond what base.html itself contains.
The CSP would block most payloads anyway: the DOM checks are what prove the sanitiser and the
templates kept them inert.
"""
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Error as PlaywrightError

from core.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from tests.servers import flask

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
MIN_PAYLOADS = 60
PASSWORD = "xss-probe-password"
TAG = "xss-probe"
GUARD_RE = re.compile(r'name="guard_fingerprint" value="([0-9a-f]+)"')
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PADDING = ("This text pads the post to the minimum length; the line above is a test of the "
           "sanitiser and must show as inert text.")


def load_payloads():
    """One payload a line; "##" lines are comments; "\\n" and "\\u{HEX}" are the only escapes."""
    payloads = []
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("##"):
            continue
        line = line.replace("\\n", "\n")
        line = re.sub(r"\\u\{([0-9A-Fa-f]{1,6})\}", lambda match: chr(int(match.group(1), 16)),
                      line)
        payloads.append(line)
    return payloads


# No form stores a NUL byte (issue 12: PostgreSQL cannot hold one, no keyboard types one): the
# corpus posts the other payloads, and the refusal of those with a NUL is checked on its own.
PAYLOADS = [payload for payload in load_payloads() if "\x00" not in payload]
NUL_PAYLOADS = [payload for payload in load_payloads() if "\x00" in payload]


# --- What a page must not contain -------------------------------------------------------------

# Runs in the page: every element, every attribute. base.html has two <meta> (charset and
# viewport), <link>s to the style sheet, the empty data: favicon and (question pages) the
# canonical URL, and no script, frame, object, style or image of any kind.
DOM_CHECK = """
({allowedTags, allowedAttrs}) => {
  const problems = [];
  const BAD_SCHEME = /^(javascript|data|vbscript):/i;
  const BAD_PROTOCOLS = ["javascript:", "data:", "vbscript:"];
  const URL_ATTRS = new Set(["href", "src", "action", "formaction", "data", "xlink:href",
    "poster", "background", "codebase", "dynsrc", "lowsrc", "srcset", "ping", "manifest",
    "icon", "cite", "longdesc", "usemap", "archive", "classid"]);
  const FORBIDDEN = new Set(["script", "iframe", "frame", "frameset", "object", "embed",
    "applet", "base", "style", "svg", "math", "img", "image", "video", "audio", "source",
    "track", "picture", "canvas", "template", "noscript", "xmp", "noembed", "noframes",
    "marquee", "isindex", "portal", "plaintext", "param", "fencedframe"]);
  const LINK_RELS = new Set(["stylesheet", "icon", "canonical"]);
  const describe = (el) => "<" + el.localName + " " + Array.from(el.attributes)
    .map((a) => a.name + '="' + a.value + '"').join(" ") + ">";
  const schemeOf = (value) => {
    // What a browser does with a URL: drop tabs and line breaks, trim C0 controls and spaces.
    const cleaned = value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\u0000-\\u0020]+/, "");
    let protocol = "";
    try { protocol = new URL(value, document.baseURI).protocol; } catch (e) { /* invalid */ }
    if (BAD_PROTOCOLS.includes(protocol)) return protocol;
    const match = cleaned.match(BAD_SCHEME);
    return match ? match[0].toLowerCase() : "";
  };
  const all = document.querySelectorAll("*");
  for (const el of all) {
    const tag = el.localName;
    if (FORBIDDEN.has(tag)) problems.push("forbidden element " + describe(el));
    if (el.namespaceURI !== "http://www.w3.org/1999/xhtml")
      problems.push("foreign (SVG/MathML) element " + describe(el));
    // The description quotes the post (escaped, as an attribute value): allowed in <head> only;
    // any attribute an escape failure would add is caught below like on any element.
    if (tag === "meta" && (el.hasAttribute("http-equiv") ||
        !(el.hasAttribute("charset") || el.getAttribute("name") === "viewport" ||
          (el.getAttribute("name") === "description" && el.parentElement === document.head &&
           document.querySelectorAll('meta[name="description"]').length === 1))))
      problems.push("meta not from base.html " + describe(el));
    // A page's Atom feed: in <head>, of the feed type, at an address of ours under /feeds/.
    const feed = el.getAttribute("rel") === "alternate" &&
      el.getAttribute("type") === "application/atom+xml" &&
      /^[/]feeds[/][a-z0-9/_-]*$/i.test(el.getAttribute("href") || "");
    if (tag === "link" && (el.parentElement !== document.head ||
        !(LINK_RELS.has(el.getAttribute("rel")) || feed)))
      problems.push("link not from base.html " + describe(el));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push("event handler attribute " + describe(el));
      if (["style", "srcdoc", "formaction", "xmlns", "is"].includes(name))
        problems.push("attribute " + name + " " + describe(el));
      if (URL_ATTRS.has(name) || name.endsWith(":href")) {
        const scheme = schemeOf(attr.value);
        const favicon = tag === "link" && el.getAttribute("rel") === "icon" && attr.value === "data:,";
        if (scheme && !favicon) problems.push(scheme + " URL " + describe(el));
      }
    }
  }
  // HTML from the sanitiser: only its allow-list, and every link nofollow ugc noopener.
  const sanitised = document.querySelectorAll("div.body, main > blockquote");
  for (const container of sanitised) {
    for (const el of container.querySelectorAll("*")) {
      const tag = el.localName;
      if (tag === "footer" && el.parentElement === container && container.localName === "blockquote")
        continue;
      if (el.closest("footer") && container.localName === "blockquote") continue;
      if (!allowedTags.includes(tag)) problems.push("tag outside the allow-list " + describe(el));
      for (const attr of el.attributes) {
        const allowed = (allowedAttrs[tag] || []).concat(tag === "a" ? ["rel"] : []);
        if (!allowed.includes(attr.name)) problems.push("attribute outside the allow-list " + describe(el));
      }
      if (tag === "a" && el.hasAttribute("href")) {
        const rel = (el.getAttribute("rel") || "").split(/\\s+/);
        for (const word of ["nofollow", "ugc", "noopener"])
          if (!rel.includes(word)) problems.push("link without rel " + word + " " + describe(el));
      }
    }
  }
  if (window.frames.length) problems.push(window.frames.length + " frame(s) in the page");
  if (typeof window.__xss !== "undefined") problems.push("window.__xss = " + String(window.__xss));
  return {problems, csp: window.__cspViolations || []};
}
"""

# Runs before any page script (injected by Playwright, so the page's CSP does not stop it):
# records what the Content-Security-Policy blocked, in addition to the console messages.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " "
    + (event.sample || ""));
}, true);
"""


class Watch:
    """Everything pages did that a harmless page never does: dialogs, errors, CSP reports."""

    def __init__(self):
        self.failures = []       # dialogs, page errors, console messages that mention xss
        self.csp_reports = []    # Content-Security-Policy violations (something tried to run)
        self.pages_opened = 0

    def attach(self, page, role):
        def on_dialog(dialog):
            self.failures.append(f"[{role}] {page.url}: {dialog.type} dialog {dialog.message!r}")
            dialog.dismiss()

        def on_console(message):
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                self.csp_reports.append(f"[{role}] {page.url}: {text[:300]}")
            elif "xss" in text.lower():
                self.failures.append(f"[{role}] {page.url}: console {message.type}: {text[:300]}")

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.failures.append(
            f"[{role}] {page.url}: page error {error}"))

    def mark(self):
        return len(self.failures), len(self.csp_reports)

    def since(self, mark):
        failures, reports = mark
        return self.failures[failures:], self.csp_reports[reports:]


class Role:
    """One browser context (its own cookies) with one reused page and its API requests."""

    def __init__(self, browser, base, watch, name):
        self.base, self.watch, self.name = base, watch, name
        self.context = browser.new_context(java_script_enabled=True,
                                           viewport={"width": 1024, "height": 768},
                                           locale="en-GB",
                                           extra_http_headers={"Accept-Language": "en"})
        self.context.add_init_script(CSP_LISTENER)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        watch.attach(self.page, name)
        self.api = self.context.request
        self.username = None
        self.token = None

    # -- HTTP -------------------------------------------------------------------------------

    def csrf(self, path):
        response = self.api.get(self.base + path)
        assert response.status == 200, f"GET {path} → {response.status}"
        return CSRF_RE.search(response.text()).group(1)

    def page_value(self, path, name):
        """The value the page at `path` gives the field or button `name` (a form's revision)."""
        response = self.api.get(self.base + path)
        assert response.status == 200, f"GET {path} → {response.status}"
        return re.search(rf'name="{name}"[^>]*?value="([^"]*)"', response.text()).group(1)

    def register(self, username):
        token = self.csrf("/auth/register")
        response = self.api.post(self.base + "/auth/register", max_redirects=0, form={
            "csrf_token": token, "username": username, "email": f"{username}@example.org",
            "password": PASSWORD, "confirm": PASSWORD})
        assert response.status == 302, f"registration of {username} → {response.status}"
        self.username = username
        self.token = self.csrf("/questions/ask")

    def login(self, username):
        token = self.csrf("/auth/login")
        response = self.api.post(self.base + "/auth/login", max_redirects=0, form={
            "csrf_token": token, "username": username, "password": PASSWORD})
        assert response.status == 302, f"sign-in of {username} → {response.status}"
        self.username = username
        self.token = self.csrf("/questions/ask")

    def post(self, path, data, expect=302):
        response = self.api.post(self.base + path, form={"csrf_token": self.token, **data},
                                 max_redirects=0)
        guarded = GUARD_RE.search(response.text()) if response.status == 200 else None
        if guarded and expect != 200:
            # The confidentiality guard took a payload for a name: the author confirms.
            response = self.api.post(self.base + path, max_redirects=0, form={
                "csrf_token": self.token, **data, "guard_confirm": "1",
                "guard_fingerprint": guarded.group(1)})
        assert response.status == expect, (
            f"[{self.name}] POST {path} {data!r} → {response.status}, expected {expect}:\n"
            f"{_main_text(response.text())[:600]}")
        return response

    def post_and_find(self, path, data, pattern):
        location = self.post(path, data).headers["location"]
        return int(re.search(pattern, location).group(1))

    # -- Browser ----------------------------------------------------------------------------

    def open(self, path, status=200, post=None):
        """Open `path` (as a form POST of `post` when given) and return its problems."""
        url = self.base + path
        if post is not None:
            body = urlencode({"csrf_token": self.token, **post})

            def as_form_post(route):
                headers = {**route.request.all_headers(),
                           "content-type": "application/x-www-form-urlencoded"}
                route.continue_(method="POST", post_data=body, headers=headers)

            self.page.route(lambda target: target == url, as_form_post, times=1)
        response = self.page.goto(url, wait_until="load")
        self.watch.pages_opened += 1
        problems = []
        if response is None or response.status != status:
            problems.append(f"HTTP {response.status if response else 'none'}, expected {status}")
        try:
            result = self.page.evaluate(DOM_CHECK, {
                "allowedTags": sorted(ALLOWED_TAGS),
                "allowedAttrs": {tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()}})
        except PlaywrightError as error:
            # A page that navigates away by itself (a refresh or script it should not hold).
            result = {"problems": [f"the page could not be checked: {error.message[:200]}"],
                      "csp": []}
        problems += result["problems"]
        problems += [f"CSP violation (event): {report}" for report in result["csp"]]
        return [f"[{self.name}] {'POST ' if post is not None else ''}{path}: {problem}"
                for problem in problems]

    def value(self, selector):
        return self.page.eval_on_selector(selector, "el => el.value")

    def text(self, selector):
        return self.page.eval_on_selector(selector, "el => el.textContent.trim()")

    def close(self):
        self.context.close()


def _main_text(html):
    match = re.search(r"<main[^>]*>(.*?)</main>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1) if match else html))


def _as_form_value(text, multiline=False):
    """What a browser shows in a field for a submitted `text` (NUL becomes U+FFFD)."""
    text = text.replace("\x00", "\ufffd")
    return text if multiline else text.replace("\n", "")


def _title(number, payload):
    """A title made of the payload when the length rules (10 to 150) allow it."""
    title = f"{payload.replace(chr(10), ' ')} [xss {number}]".strip()
    return title if len(title) <= 150 else f"XSS probe {number}: the payload is in the body"


# --- Posting the corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(live_server, browser):
    """Post every payload everywhere; yields the roles, the watch and the ids of what exists."""
    started = time.monotonic()
    base = live_server.url
    watch = Watch()
    suffix = uuid.uuid4().hex[:6]
    author = Role(browser, base, watch, "author")
    helper = Role(browser, base, watch, "helper")
    reader = Role(browser, base, watch, "reader")
    author.register(f"xssauthor{suffix}")
    helper.register(f"xsshelper{suffix}")
    # Not a payload itself: the author takes every payload as a display name, and nobody may
    # take a name another account goes by.
    helper.post("/auth/profile", {"display_name": '"><script>alert(1)</script> (helper)',
                                  "email": f"{helper.username}@example.org",
                                  "organisation": "<img src=x onerror=window.__xss=1>",
                                  "country": "CM", "locale": "", "bio": "</textarea><b>x"})
    posts = []
    for number, payload in enumerate(PAYLOADS, start=1):
        title = _title(number, payload)
        body = f"{payload}\n\n{PADDING} ({number})"
        question = author.post_and_find("/questions/ask", {
            "title": title, "body": body, "tags": TAG, "lang": "en", "similar_checked": "1"},
            r"/questions/(\d+)")
        answer = helper.post_and_find(f"/questions/{question}/answers", {
            "body": f"{payload}\n\n{PADDING}"}, r"#answer-(\d+)")
        comment = helper.post_and_find(f"/questions/{question}/comments", {"body": payload},
                                       r"#comment-(\d+)")
        author.post_and_find(f"/answers/{answer}/comments", {"body": payload},
                             r"#comment-(\d+)")
        author.post_and_find(f"/questions/{question}/comments", {
            "body": payload, "parent_id": str(comment)}, r"#comment-(\d+)")
        edited_title = f"{payload.replace(chr(10), ' ')} [xss {number} edited]".strip()
        if len(edited_title) > 150:
            edited_title = f"XSS probe {number} (edited): the payload is in the body"
        edited_body = f"{body}\n\nEdited:\n{payload}"
        author.post(f"/questions/{question}/edit", {
            "title": edited_title, "body": edited_body, "tags": TAG, "lang": "en",
            "summary": payload[:200],
            "base_revision": author.page_value(f"/questions/{question}/edit",
                                               "base_revision")})
        posts.append({"number": number, "payload": payload, "question": question,
                      "answer": answer, "comment": comment, "title": edited_title.strip(),
                      "body": edited_body.strip()})
    setup = time.monotonic() - started
    yield {"base": base, "watch": watch, "author": author, "helper": helper, "reader": reader,
           "posts": posts, "started": started, "setup": setup}
    for role in (author, helper, reader):
        role.close()


def _fail_on(watch, mark, problems):
    failures, reports = watch.since(mark)
    messages = list(problems) + failures + [f"CSP violation (console): {r}" for r in reports]
    assert not messages, f"{len(messages)} problem(s):\n" + "\n".join(messages[:80])


# --- The pages --------------------------------------------------------------------------------


def test_payload_corpus_is_large_enough(corpus, capsys):
    kinds = ["question title", "question body", "answer", "comment on question",
             "comment on answer", "reply", "edited title", "edited body", "edit summary"]
    with capsys.disabled():
        print(f"\nXSS corpus: {len(PAYLOADS)} payloads, each posted as "
              f"{', '.join(kinds)} ({len(PAYLOADS) * len(kinds)} posts, "
              f"{corpus['setup']:.1f} s), then as refused tags and as profile fields")
    assert len(PAYLOADS) >= MIN_PAYLOADS
    assert len(set(PAYLOADS)) == len(PAYLOADS), "duplicate payloads in xss_payloads.txt"
    assert len(corpus["posts"]) == len(PAYLOADS)


def test_question_pages_keep_payloads_inert(corpus):
    """Each question page: title, body, answer, comments, reply, and the authors' names."""
    author, watch = corpus["author"], corpus["watch"]
    mark, problems = watch.mark(), []
    for post in corpus["posts"]:
        problems += author.open(f"/questions/{post['question']}")
        shown = author.text("main h1")
        if shown != post["title"].replace("\x00", ""):  # the HTML parser drops NUL in text
            problems.append(f"question {post['question']}: title shown as {shown!r}, "
                            f"posted {post['title']!r}")
        comments = author.page.locator("article ul.comments li").count()
        if comments < 3 or author.page.locator("article.answer").count() != 1:
            problems.append(f"question {post['question']}: answer or comments missing")
    _fail_on(watch, mark, problems)


def test_lists_tags_and_user_pages_keep_payloads_inert(corpus):
    """/, every page of /questions and of the tag, the tag index and the users' pages."""
    reader, watch = corpus["reader"], corpus["watch"]
    mark, problems = watch.mark(), []
    problems += reader.open("/")
    problems += reader.open("/tags")
    for start in ("/questions", f"/tags/{TAG}", f"/questions?tag={TAG}&sort=active"):
        path, seen = start, 0
        while path and seen < 100:
            problems += reader.open(path)
            seen += 1
            following = reader.page.locator("nav.pager a[rel=next]")
            path = following.get_attribute("href") if following.count() else None
        if start == f"/tags/{TAG}" and seen * 20 < len(PAYLOADS):
            problems.append(f"the tag {TAG} shows {seen} pages for {len(PAYLOADS)} questions")
    for role in (corpus["author"], corpus["helper"]):
        problems += reader.open(f"/users/{role.username}")
    _fail_on(watch, mark, problems)


def test_history_and_diff_pages_keep_payloads_inert(corpus):
    """/questions/<id>/revisions (titles, bodies, summaries) and the diff from 1 to 2."""
    reader, watch = corpus["reader"], corpus["watch"]
    mark, problems = watch.mark(), []
    for post in corpus["posts"]:
        question = post["question"]
        problems += reader.open(f"/questions/{question}/revisions")
        if reader.page.locator("ol.revisions > li").count() != 2:
            problems.append(f"question {question}: the history does not show 2 revisions")
        problems += reader.open(f"/questions/{question}/revisions/diff?from=1&to=2")
        if not reader.page.locator("pre.diff ins").count():
            problems.append(f"question {question}: the diff shows no added line")
    _fail_on(watch, mark, problems)


def test_reply_and_edit_pages_keep_payloads_inert(corpus):
    """/comments/<id>/reply quotes the comment; /questions/<id>/edit puts payloads in fields."""
    author, helper, watch = corpus["author"], corpus["helper"], corpus["watch"]
    mark, problems = watch.mark(), []
    for post in corpus["posts"]:
        problems += helper.open(f"/comments/{post['comment']}/reply")
        problems += author.open(f"/questions/{post['question']}/edit")
        for selector, expected in (("#title", _as_form_value(post["title"])),
                                   ("#body", _as_form_value(post["body"], multiline=True))):
            shown = author.value(selector)
            if shown != expected:
                problems.append(f"edit page of question {post['question']}: {selector} holds "
                                f"{shown!r}, expected {expected!r}")
    _fail_on(watch, mark, problems)


def test_refused_tags_show_an_error_and_stay_inert(corpus):
    """A payload as tags is refused (400 with an error); the refusal page echoes it, inert."""
    author, watch = corpus["author"], corpus["watch"]
    mark, problems = watch.mark(), []
    for number, payload in enumerate(PAYLOADS, start=1):
        form = {"title": f"A question with hostile tags {number}",
                "body": f"{PADDING} ({number})", "tags": payload, "lang": "en"}
        response = author.post("/questions/ask", form, expect=400)
        if "errors" not in response.text():
            problems.append(f"tags {payload!r}: refused without an error message")
        problems += author.open("/questions/ask", status=400, post=form)
        if not author.page.locator("#tags-error li").count():
            problems.append(f"tags {payload!r}: the refusal page shows no error beside the tags")
        shown, expected = author.value("#tags"), _as_form_value(payload)
        if shown != expected:
            problems.append(f"tags {payload!r}: the field holds {shown!r}")
    _fail_on(watch, mark, problems)


def test_profile_fields_keep_payloads_inert(corpus):
    """Display name, organisation and bio on /users/<name>, and a refused profile form."""
    author, reader, watch = corpus["author"], corpus["reader"], corpus["watch"]
    mark, problems = watch.mark(), []
    email = f"{author.username}@example.org"
    for payload in PAYLOADS:
        display_name = payload[:80].strip() or "x"
        author.post("/auth/profile", {
            "display_name": display_name, "email": email, "organisation": payload[:120],
            "country": "FR", "locale": "", "bio": payload})
        problems += reader.open(f"/users/{author.username}")
        shown = reader.text("main h1")
        if shown != display_name.replace("\x00", ""):
            problems.append(f"display name shown as {shown!r}, saved {display_name!r}")
        # Refused (400): invalid country and language; every field comes back into the form.
        problems += author.open("/auth/profile", status=400, post={
            "display_name": display_name, "email": email, "organisation": payload[:120],
            "country": payload, "locale": "", "languages": payload, "bio": payload})
        if not author.page.locator("#country-error li").count():
            problems.append(f"country {payload!r}: no error shown")
    problems += author.open("/auth/profile")
    problems += author.open(f"/questions/{corpus['posts'][0]['question']}")
    _fail_on(watch, mark, problems)


# --- Search, the similar-questions panel, the knowledge base and the tag wiki -----------------

# Pages built from the knowledge base cost more posts each (an article is written, submitted
# and approved): one payload in SAMPLE_EVERY goes there, spread over the whole file.
SAMPLE_EVERY = 3
SAMPLE = PAYLOADS[::SAMPLE_EVERY]
ARTICLE_LINK_RE = re.compile(r"/kb/articles/([^/?#]+)$")


def _sized(text, low, high, fallback):
    text = text.replace("\n", " ").strip()
    return text if low <= len(text) <= high else fallback


def _walk(role, start, limit=100):
    """Open `start` and every next page of its pager: (problems, hrefs of the result links)."""
    path, seen, problems, links = start, 0, [], set()
    while path and seen < limit:
        problems += role.open(path)
        seen += 1
        links.update(role.page.eval_on_selector_all(
            "ul.results h3 a", "links => links.map(a => a.getAttribute('href'))"))
        following = role.page.locator("nav.pager a[rel=next]")
        path = following.get_attribute("href") if following.count() else None
    return problems, links


@pytest.fixture(scope="module")
def kb_corpus(corpus, live_server, browser):
    """Two experts; a notebook with one module per sampled payload (created, then edited),
    one published article per sampled payload linked to its module."""
    started = time.monotonic()
    base, watch = corpus["base"], corpus["watch"]
    suffix = uuid.uuid4().hex[:6]
    curator = Role(browser, base, watch, "curator")
    reviewer = Role(browser, base, watch, "reviewer")
    for role, name in ((curator, f"xsscurator{suffix}"), (reviewer, f"xssreviewer{suffix}")):
        flask(live_server.env, "create-user", name, "--email", f"{name}@example.org",
              "--password", PASSWORD, "--role", "expert")
        role.login(name)
    notebook = f"xss-{suffix}"
    curator.post("/kb/notebooks/new", {
        "slug": notebook, "title": _sized(SAMPLE[0], 5, 200, "XSS probe notebook"),
        "summary": SAMPLE[0], "lang": "en"})
    modules, articles = [], []
    for number, payload in enumerate(SAMPLE, start=1):
        module = {"title": _sized(f"{payload} [xss module {number}]", 5, 200,
                                  f"XSS probe module {number}"),
                  "summary": payload, "objectives": payload,
                  "body": f"{payload}\n\n{PADDING} ({number})"}
        position = curator.post_and_find(f"/kb/notebooks/{notebook}/modules/new", module,
                                         r"/modules/(\d+)$")
        module["body"] += f"\n\nEdited:\n{payload}"
        edit = f"/kb/notebooks/{notebook}/modules/{position}/edit"
        curator.post(edit, {**module, "edit_summary": payload[:200],
                            "base_revision": curator.page_value(edit, "base_revision")})
        page = curator.api.get(f"{base}/kb/notebooks/{notebook}/modules/{position}").text()
        module_id = re.search(r"/kb/articles/new\?module=(\d+)", page).group(1)
        modules.append({"payload": payload, "position": position, **module})
        article = {"title": _sized(f"{payload} [xss article {number}]", 10, 200,
                                   f"XSS probe article {number}: the payload is in the body"),
                   "summary": payload[:600], "body": f"{payload}\n\n{PADDING} ({number})",
                   "tags": TAG, "lang": "en", "countries": "", "review_by": "",
                   "translation_of": "0", "modules": module_id, "edit_summary": payload[:200]}
        location = curator.post("/kb/articles/new", article).headers["location"]
        slug = ARTICLE_LINK_RE.search(location).group(1)
        curator.post(f"/kb/articles/{slug}/submit", {})
        reviewer.post(f"/kb/articles/{slug}/approve", {
            "revision": reviewer.page_value(f"/kb/articles/{slug}", "revision")})
        articles.append({"payload": payload, "slug": slug, "position": position, **article})
    yield {"notebook": notebook, "modules": modules, "articles": articles,
           "curator": curator, "reviewer": reviewer,
           "setup": time.monotonic() - started}
    curator.close()
    reviewer.close()


def test_search_results_keep_payloads_inert(corpus, capsys):
    """Every hostile title through the highlighter (all result pages of "xss"), and each
    payload as the query itself: echoed in the box, its words marked in hostile titles and
    bodies."""
    reader, watch = corpus["reader"], corpus["watch"]
    mark = watch.mark()
    problems, links = _walk(reader, "/search?q=xss")
    for post in corpus["posts"]:
        if not any(re.match(rf"/questions/{post['question']}(/|$)", link) for link in links):
            problems.append(f"search for xss: question {post['question']} never listed")
    with_results = 0
    for payload in PAYLOADS:
        problems += reader.open("/search?" + urlencode({"q": payload}))
        # The box shows the query as the search read it (spaces and invisible characters
        # normalised), never empty.
        if payload.strip() and not reader.value("#q").strip():
            problems.append(f"the search box is empty for {payload!r}")
        with_results += reader.page.locator("ul.results li.summary").count() > 0
    with capsys.disabled():
        print(f"\nXSS search: every result page of q=xss ({len(links)} results), and "
              f"{len(PAYLOADS)} payloads as queries ({with_results} with results)")
    if with_results < len(PAYLOADS) // 2:
        problems.append(f"only {with_results} payload queries found anything")
    _fail_on(watch, mark, problems)


def test_similar_questions_panel_keeps_payloads_inert(corpus):
    """Asking again with a hostile thread's title shows that thread in the panel (no JS
    needed: the form's first submit answers with the panel)."""
    author, watch = corpus["author"], corpus["watch"]
    mark, problems = watch.mark(), []
    for post in corpus["posts"][::SAMPLE_EVERY]:
        problems += author.open("/questions/ask", post={
            "title": post["title"], "body": f"{PADDING} (asked again)", "tags": TAG,
            "lang": "en"})
        panel = author.page.locator("section.similar a")
        hrefs = panel.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        if not any(re.match(rf"/questions/{post['question']}(/|$)", h) for h in hrefs):
            problems.append(f"the similar panel for {post['title']!r} does not list question "
                            f"{post['question']}: {hrefs}")
    _fail_on(watch, mark, problems)


def test_confidentiality_warning_keeps_payloads_inert(corpus):
    """The guard's warning shows the author's text again, with what it found highlighted:
    each payload, next to a child's name and inside it, stays inert text."""
    author, watch = corpus["author"], corpus["watch"]
    mark, problems = watch.mark(), []
    for post in corpus["posts"][::SAMPLE_EVERY]:
        if "\x00" in post["title"]:
            continue  # refused as a field error before any check
        body = f"{post['title']} Moussa Diallo {post['title']}Diallo sleeps at the market."
        problems += author.open("/questions/ask", post={
            "title": f"A boy at the market {uuid.uuid4().hex[:6]}", "body": body,
            "tags": TAG, "lang": "en", "similar_checked": "1"})
        if not author.page.locator("section.guard mark").count():
            problems.append(f"no guard warning for {body!r}")
    _fail_on(watch, mark, problems)


def test_articles_keep_payloads_inert(corpus, kb_corpus, capsys):
    """Published articles (title, summary, body, edit summary) on their page, print view and
    history, in /kb and its tag list, on their module's page and in search results."""
    reader, watch = corpus["reader"], corpus["watch"]
    mark, problems = watch.mark(), []
    for article in kb_corpus["articles"]:
        slug = article["slug"]
        problems += reader.open(f"/kb/articles/{slug}")
        if reader.text("main h1") != article["title"].replace("\x00", ""):
            problems.append(f"article {slug}: title shown as {reader.text('main h1')!r}")
        problems += reader.open(f"/kb/articles/{slug}/print")
        # History is for experts (issue 12): the reviewer reads it.
        problems += kb_corpus["reviewer"].open(f"/kb/articles/{slug}/revisions")
    for start in ("/kb", f"/kb?tag={TAG}"):
        problems += reader.open(start)
    shown = set(reader.page.eval_on_selector_all(
        "main a", "links => links.map(a => a.getAttribute('href'))"))
    for article in kb_corpus["articles"]:
        if f"/kb/articles/{article['slug']}" not in shown:
            problems.append(f"/kb?tag={TAG} does not list article {article['slug']}")
    more, links = _walk(reader, "/search?q=xss+is:article")
    problems += more
    for article in kb_corpus["articles"]:
        if f"/kb/articles/{article['slug']}" not in links:
            problems.append(f"search does not list article {article['slug']}")
    with capsys.disabled():
        print(f"\nXSS knowledge base: {len(SAMPLE)} of {len(PAYLOADS)} payloads as article "
              f"and module texts ({kb_corpus['setup']:.1f} s to post)")
    _fail_on(watch, mark, problems)


def test_modules_keep_payloads_inert(corpus, kb_corpus):
    """Module pages (title, summary, objectives, body, linked article), print, history, and
    the notebook page listing them."""
    reader, watch = corpus["reader"], corpus["watch"]
    mark, problems = watch.mark(), []
    notebook = kb_corpus["notebook"]
    problems += reader.open(f"/kb/notebooks/{notebook}")
    for module, article in zip(kb_corpus["modules"], kb_corpus["articles"]):
        path = f"/kb/notebooks/{notebook}/modules/{module['position']}"
        problems += reader.open(path)
        if not reader.text("main h1").endswith(module["title"].replace("\x00", "")):
            problems.append(f"{path}: title shown as {reader.text('main h1')!r}")
        if not reader.page.locator(f'main a[href="/kb/articles/{article["slug"]}"]').count():
            problems.append(f"{path}: article {article['slug']} not listed")
        problems += reader.open(f"{path}/print")
        problems += reader.open(f"{path}/revisions")
    _fail_on(watch, mark, problems)


def test_tag_descriptions_keep_payloads_inert(corpus, kb_corpus):
    """The tag wiki, written by an expert, on the tag's page and in the tag index."""
    curator, reader, watch = kb_corpus["curator"], corpus["reader"], corpus["watch"]
    mark, problems = watch.mark(), []
    for payload in SAMPLE:
        curator.post(f"/tags/{TAG}/edit", {"description": payload})
        problems += reader.open(f"/tags/{TAG}")
        shown = reader.text("main h1 + p.meta + p")
        if shown != payload.strip().replace("\x00", ""):
            problems.append(f"tag description shown as {shown!r}, saved {payload!r}")
        problems += reader.open("/tags")
    _fail_on(watch, mark, problems)


def test_payloads_holding_a_nul_are_refused_and_stay_inert(corpus):
    """The ask form with a NUL in the title and the body: 400, an error beside each field, the
    text given back without the NUL, nothing run."""
    author, watch = corpus["author"], corpus["watch"]
    mark, problems = watch.mark(), []
    assert NUL_PAYLOADS
    for payload in NUL_PAYLOADS:
        form = {"title": f"{payload} [xss nul]", "body": f"{payload}\n\n{PADDING}",
                "tags": TAG, "lang": "en", "similar_checked": "1"}
        author.post("/questions/ask", form, expect=400)
        problems += author.open("/questions/ask", status=400, post=form)
        for field in ("title", "body"):
            if not author.page.locator(f"#{field}-error li").count():
                problems.append(f"{payload!r}: no error beside the {field}")
        shown, expected = author.value("#title"), form["title"].replace("\x00", "")
        if shown != expected:
            problems.append(f"{payload!r}: the title field holds {shown!r}")
    _fail_on(watch, mark, problems)


def test_nothing_ran_anywhere(corpus, capsys):
    """Late console messages or dialogs (after a page was left) are caught here too."""
    watch = corpus["watch"]
    elapsed = time.monotonic() - corpus["started"]
    with capsys.disabled():
        print(f"\nXSS: {len(PAYLOADS)} payloads tried, {watch.pages_opened} pages opened in "
              f"{elapsed:.1f} s; {len(watch.failures)} execution signs, "
              f"{len(watch.csp_reports)} CSP reports")
    assert not watch.failures, "\n".join(watch.failures[:80])
    assert not watch.csp_reports, "\n".join(watch.csp_reports[:80])
