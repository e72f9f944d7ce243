"""The e2e run saves full-page screenshots of the main pages at a phone width (360 px) and a
desktop width (1280 px) into the screenshot folder (CARNETS_SCREENSHOTS, which CI prints), named
"<width>-<page>.png"; and at 360 px no page scrolls sideways (the phone layout holds).
"""
import re
import struct

import pytest
from playwright.sync_api import expect

PHONE, DESKTOP = 360, 1280
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TAG = "street-outreach"
NOTEBOOK = "children-in-street-situations"

# Content that tries to widen a phone page: a long German word and long URLs in the title, the
# body and a comment, a table of four columns, a code line without spaces, the longest tag.
LONG_TITLE = ("Where do we file the Inobhutnahmebescheinigung? https://www.example.org/jugendamt/"
              "unbegleitete-minderjaehrige/antrag-inobhutnahme.pdf")
LONG_BODY = (
    "The guardian sent us this link, but it does not open on our phones:\n"
    "https://www.example.org/jugendamt/unbegleitete-minderjaehrige/antrag-auf-vorlaeufige-"
    "inobhutnahme-nach-paragraph-42a-sgb-viii-formular-2024.pdf\n\n"
    "The office calls it the Inobhutnahmebescheinigungsverfahrensformular. Our notes so far:\n\n"
    "| office | hours | what to bring | contact person and remarks |\n"
    "|---|---|---|---|\n"
    "| Youth office, centre | Mon–Thu 9–12 | passport copy, birth certificate if any, shelter "
    "attestation | ask for the duty social worker of the unit for unaccompanied minors |\n"
    "| Clearing house | every day | nothing | phone first: the team changes every evening |\n\n"
    "The reference printed on the letter:\n\n"
    "    AZ-2024/UMA/000123456789-KLAERUNG-VORLAEUFIGE-INOBHUTNAHME-BESCHEINIGUNG-ZUSTAENDIGKEIT\n")
LONG_TAGS = "unbegleitete-minderjaehrige-hilfe legal-status"
LONG_COMMENT = ("The same form in English: https://www.example.org/youth-office/forms/"
                "provisional-care-certificate-for-unaccompanied-minors-english-version.pdf")

# (file name, path, expected status); "{big}" is the seeded question with 20 answers, "{long}"
# the question with long content (the home page and the list show its title too).
ANONYMOUS = [
    ("home", "/", 200),
    ("questions", "/questions", 200),
    ("question", "/questions/{big}", 200),
    ("long-content", "/questions/{long}", 200),
    ("tags", "/tags", 200),
    ("tag", f"/tags/{TAG}", 200),
    ("user", "/users/peer01", 200),
    ("login", "/auth/login", 200),
    ("notebook", f"/kb/notebooks/{NOTEBOOK}", 200),
    ("module", f"/kb/notebooks/{NOTEBOOK}/modules/1", 200),
    ("404", "/no/such/page", 404),
]
# Signed in as peer01, the asker of the big question: vote, accept and comment forms show.
SIGNED_IN = [
    ("question-signed-in", "/questions/{big}", 200),
]

# Lists the elements that stick out on the right of the viewport, or whose content spills out
# of them (a long word in a heading), for a readable failure.
OVERFLOWING = """(width) => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const spill = getComputedStyle(el).overflowX === "visible"
      ? Math.max(0, el.scrollWidth - el.clientWidth) : 0;
    if (box.width > 0 && box.right + spill > width + 0.5) {
      const classes = typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().replace(/\\s+/g, ".") : "";
      found.push(el.localName + (el.id ? "#" + el.id : "") + classes +
                 " (right edge " + Math.round(box.right + spill) + " px)");
    }
  }
  return found.slice(0, 8);
}"""


def png_size(path):
    """(width, height) from the IHDR chunk of a PNG file."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert head[12:16] == b"IHDR", f"{path.name} has no IHDR chunk first"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def long_question(browser, live_server):
    """Post the question with long content (as peer02), with a comment; returns its id."""
    base = live_server.url
    context = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        sign_in(page, base, "peer02")
        page.goto(base + "/questions/ask")
        page.fill("#title", LONG_TITLE)
        page.fill("#body", LONG_BODY)
        page.fill("#tags", LONG_TAGS)
        page.select_option("#lang", "en")
        page.get_by_role("button", name="Post your question").click()
        if page.get_by_role("button", name="Post my question anyway").count():
            page.get_by_role("button", name="Post my question anyway").click()
        expect(page.locator("article.question h1")).to_have_text(LONG_TITLE)
        question_id = int(re.search(r"/questions/(\d+)", page.url).group(1))
        page.locator("article.question details.add-comment summary").click()
        page.fill(f"#comment-question-{question_id}", LONG_COMMENT)
        page.locator("article.question details.add-comment button").click()
        expect(page.locator("article.question ul.comments")).to_contain_text("English")
        return question_id
    finally:
        context.close()


def sign_in(page, base, username):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", "peer-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account")).to_contain_text("Sign out")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_of_the_main_pages(browser, live_server, screenshot_dir, long_question,
                                       width):
    base = live_server.url
    ids = {"big": live_server.seed["big_question"], "long": long_question}
    saved, overflows = [], []

    def open_page():
        context = browser.new_context(viewport={"width": width, "height": 800},
                                      device_scale_factor=1, locale="en-GB",
                                      extra_http_headers={"Accept-Language": "en"})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        return page

    def shoot(page, name):
        if width == PHONE:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE:
                culprits = page.evaluate(OVERFLOWING, PHONE)
                overflows.append(f"{name} ({page.url}): scrollWidth {scroll_width} px; "
                                 + ", ".join(culprits))
        path = screenshot_dir / f"{width}-{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)

    def visit_all(page, pages):
        for name, path, status in pages:
            response = page.goto(base + path.format(**ids))
            assert response.status == status, f"{path} answered {response.status}"
            shoot(page, name)

    contexts = []
    try:
        visit_all(open_page(), ANONYMOUS)

        page = open_page()
        sign_in(page, base, "peer01")
        visit_all(page, SIGNED_IN)
        expect(page.locator("button.accept").first).to_be_visible()
        page.goto(base + "/questions/ask")
        page.get_by_role("button", name="Post your question").click()
        expect(page.locator("#title-error")).to_be_visible()
        shoot(page, "ask-errors")
    finally:
        for context in contexts:
            context.close()

    assert not overflows, "Pages that scroll sideways at 360 px:\n" + "\n".join(overflows)
    assert len(saved) == len(ANONYMOUS) + len(SIGNED_IN) + 1
    for path in saved:
        assert path.exists(), f"{path} was not written"
        assert path.stat().st_size > 5000, f"{path.name} is only {path.stat().st_size} bytes"
        png_width, png_height = png_size(path)
        assert png_width == width, f"{path.name} is {png_width} px wide, not {width}"
        assert png_height >= 400, f"{path.name} is only {png_height} px high"
