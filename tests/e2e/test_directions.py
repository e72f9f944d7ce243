"""Right-to-left and mixed scripts in a real browser (issue 13, item 5): in Arabic the header is
mirrored and an English question keeps its left-to-right direction with its "?" at the end;
in French an Arabic question reads right to left. Checked on the layout Chromium computes, on a
360 px phone, without JavaScript."""
import re
import uuid

from playwright.sync_api import expect

from tests.e2e.browser_support import confirm_guard

PASSWORD = "directions-password"
ARABIC_TITLE = "كيف نحافظ على التواصل مع طفل لا يملك هاتفا؟"
ARABIC_BODY = ("نلتقي به كل مساء قرب المحطة، لكنه يتنقل بين ثلاثة أحياء ويغيب أياما. "
               "كيف تحافظ فرق العمل الميداني على التواصل معه دون أن تدفعه بعيدا؟")

# Where things are drawn: the header's brand and account links, and the first and last
# characters of the title (a Range gives the box of one character).
LAYOUT = """() => {
  const box = (el) => el.getBoundingClientRect();
  const h1 = document.querySelector("main h1");
  const text = h1.firstChild;
  const char = (i) => { const r = document.createRange(); r.setStart(text, i);
                        r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
  return {
    page: document.documentElement.dir,
    pageDirection: getComputedStyle(document.body).direction,
    title: getComputedStyle(h1).direction,
    firstChar: char(0).left,
    lastChar: char(text.length - 1).left,
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    brand: box(document.querySelector("header.site .brand")).left,
    account: box(document.querySelector("header.site nav.account")).left,
  };
}"""


def layout(browser, url, language):
    """The LAYOUT figures of `url` read in `language`, measured with scripts on (the page
    itself was served the same with or without them)."""
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  extra_http_headers={"Accept-Language": language})
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(LAYOUT)
    finally:
        context.close()


def test_in_arabic_the_header_mirrors_and_an_english_title_stays_left_to_right(
        live_server, browser):
    url = f"{live_server.url}/questions/{live_server.seed['big_question']}"
    arabic, english = layout(browser, url, "ar"), layout(browser, url, "en")
    assert (arabic["page"], arabic["pageDirection"]) == ("rtl", "rtl")
    # The brand starts the header: on the right in Arabic, on the left in English.
    assert arabic["brand"] > arabic["width"] / 2 > english["brand"]
    assert arabic["account"] < arabic["brand"]
    # The English title keeps its direction: its "?" is drawn last, on the right.
    assert arabic["title"] == "ltr"
    assert arabic["lastChar"] > arabic["firstChar"]
    # Mirroring pushes nothing off the side of a phone's screen.
    assert arabic["scrollWidth"] <= arabic["width"]


def test_in_french_an_arabic_question_reads_right_to_left(live_server, browser, phone_page):
    base = live_server.url
    page = phone_page("en", js=False)
    name = f"dir{uuid.uuid4().hex[:8]}"
    page.goto(base + "/auth/register")
    page.fill("#username", name)
    page.fill("#email", f"{name}@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("nav.account")).to_contain_text(name)

    page.goto(base + "/questions/ask")
    # Typed text takes its own direction in the form already.
    expect(page.locator("#title")).to_have_attribute("dir", "auto")
    page.fill("#title", ARABIC_TITLE)
    page.fill("#body", ARABIC_BODY)
    page.fill("#tags", "تواصل")
    page.select_option("#lang", "ar")
    page.get_by_role("button", name="Post your question").click()
    # "قرب المحطة" (near the station) is a precise place to the confidentiality guard.
    confirm_guard(page)
    if page.get_by_role("button", name="Post my question anyway").count():
        page.get_by_role("button", name="Post my question anyway").click()
    expect(page.locator("main h1")).to_have_text(ARABIC_TITLE)
    url = base + re.search(r"/questions/\d+\S*", page.url).group(0)

    french = layout(browser, url, "fr")
    assert (french["page"], french["pageDirection"]) == ("ltr", "ltr")
    assert french["title"] == "rtl"
    # Right to left: the first letter on the right, the "؟" at the left end.
    assert french["lastChar"] < french["firstChar"]
    reader = phone_page("fr", js=False)
    reader.goto(url)
    expect(reader.locator("main .body")).to_have_attribute("lang", "ar")
    expect(reader.locator(".language-note")).to_contain_text("arabe")
