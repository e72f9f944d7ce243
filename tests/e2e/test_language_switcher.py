"""The language menu at the top of every page, on a 360 px phone, with JavaScript on and off:
it opens without script, never makes the page scroll sideways, marks the page's language,
brings the reader back to the same page in the chosen language, and keeps a signed-in user's
choice in their profile."""
from playwright.sync_api import expect

from tests.e2e.test_journeys import register, unique
from tests.e2e.test_screenshots import OVERFLOWING, PHONE

PAGES = ["/", "/questions?sort=votes", "/tags", "/kb", "/auth/login"]


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def assert_no_sideways_scroll(page):
    width = scroll_width(page)
    assert width <= PHONE, f"{page.url}: {width} px; " + ", ".join(
        page.evaluate(OVERFLOWING, PHONE))


def test_a_visitor_switches_language_from_the_top_of_any_page(live_server, new_page):
    page = new_page(width=PHONE, height=740)
    for path in PAGES:
        page.goto(live_server.url + path)
        menu = page.locator("header nav.languages")
        summary = menu.locator("summary")
        # In the header's first row: visible without scrolling, beside the brand.
        box, brand = summary.bounding_box(), page.locator("header .brand").bounding_box()
        assert box["y"] < brand["y"] + brand["height"], (path, box, brand)
        expect(summary).to_have_text("English")
        expect(menu.locator("a[hreflang]").first).to_be_hidden()
        summary.click()
        expect(menu.locator('a[aria-current="true"]')).to_have_text("English")
        expect(menu.locator("a[hreflang=km]")).to_be_visible()
        assert_no_sideways_scroll(page)
    page.goto(live_server.url + "/questions?sort=votes")
    page.locator("header nav.languages summary").click()
    page.locator("header nav.languages a[hreflang=ar]").click()
    assert page.url == live_server.url + "/questions?sort=votes"
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("header nav.languages summary")).to_have_text("العربية")
    page.locator("header nav.languages summary").click()
    expect(page.locator('header nav.languages a[aria-current="true"]')).to_have_text("العربية")
    assert_no_sideways_scroll(page)
    # The choice stays on this device, whatever the browser asks for.
    page.goto(live_server.url + "/tags")
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def test_a_signed_in_user_keeps_the_chosen_language_in_the_profile(live_server, new_page):
    page = new_page(width=PHONE, height=740)
    register(page, live_server.url, unique("lang"))
    page.goto(live_server.url + "/tags")
    page.locator("header nav.languages summary").click()
    assert_no_sideways_scroll(page)
    page.locator("header nav.languages button[value=es]").click()
    assert page.url == live_server.url + "/tags"
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto(live_server.url + "/auth/profile")
    expect(page.locator("#locale")).to_have_value("es")
    # "As my browser says" gives the browser's language back (English here).
    page.select_option("#locale", "")
    page.locator("main form").first.locator("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
