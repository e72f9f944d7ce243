"""Shared devices in the browser (issue 15, item 7), with JavaScript on and off: a member signs
in on "a shared device", reads, and leaves by "Quick exit"; the neutral page opens, and the
browser's Back button shows the site signed out, asked again of the server, not the member's
page from the browser's cache. The link is in the first screen of a 360 px phone, in English
and in Arabic (right to left).

Playwright turns Chromium's back-forward cache off; the journey runs in a Chromium that keeps
it, as phones do, since that cache is what would show a signed-in page again on Back.

The neutral site (https://www.google.com/ by default) is answered by Playwright's router, so
the test needs no network.
"""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_or_skip
from tests.e2e.languages import new_context
from tests.e2e.test_journeys import PASSWORD, register, unique

NEUTRAL = "https://www.google.com/"
NEUTRAL_PAGE = "<!doctype html><title>Search</title><p>A neutral page.</p>"


def _neutral_site(context):
    """The outside page the quick exit leaves for, served without the network."""
    context.route(NEUTRAL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=NEUTRAL_PAGE))


def _member(new_page, base):
    """A registered member, signed out again: their user name."""
    page = new_page()
    name = unique("shared")
    register(page, base, name)
    return name


@pytest.fixture(scope="module")
def phone_browser(browser):
    """A Chromium with its back-forward cache on (Playwright's default turns it off)."""
    launched = browser.browser_type.launch(
        executable_path=chromium_or_skip(), args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"])
    yield launched
    launched.close()


def _site_cookies(context, base):
    return {cookie["name"]: cookie for cookie in context.cookies(base)}


def test_shared_device_sign_in_then_quick_exit(live_server, new_page, phone_browser, js):
    base = live_server.url
    name = _member(new_page, base)
    context = new_context(phone_browser, js, 360, 740)
    page = context.new_page()
    page.set_default_timeout(15000)
    _neutral_site(page.context)
    page.goto(base + "/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    # Both boxes ticked: the shared device wins, no "stay signed in" cookie.
    page.check("#remember")
    page.check("#shared_device")
    expect(page.locator("#shared_device-help")).to_contain_text("without use")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account")).to_contain_text(name)
    cookies = _site_cookies(page.context, base)
    assert "session" in cookies and "remember_token" not in cookies

    question = f"{base}/questions/{live_server.seed['big_question']}"
    for url in (question, base + "/notifications", base + "/questions/987654"):
        response = page.goto(url)
        assert response.headers["cache-control"] == "no-store", url
        assert "etag" not in response.headers, url
    page.goto(question)
    expect(page.locator("nav.account")).to_contain_text(name)

    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.locator("header.site a.quick-exit").click()
    page.wait_for_url(NEUTRAL)
    expect(page.locator("body")).to_contain_text("A neutral page.")
    assert f"{base}/exit" in asked
    assert not _site_cookies(page.context, base)  # signed out, nothing left of the session

    # Back: the question page is asked again of the server and shows a visitor's header.
    asked.clear()
    # ("commit": a page restored from the back-forward cache fires no "load" event.)
    page.go_back(wait_until="commit")
    page.wait_for_url(question, wait_until="commit")
    expect(page.locator("nav.account")).to_contain_text("Sign in")
    expect(page.locator("nav.account")).not_to_contain_text(name)
    assert question in asked, asked
    # And the session is over for the server too.
    page.goto(base + "/auth/profile")
    expect(page.locator("h1")).to_have_text("Sign in")
    context.close()


def test_quick_exit_for_a_visitor_leaves_for_the_neutral_page(live_server, new_page):
    page = new_page(width=360, height=740)
    _neutral_site(page.context)
    page.goto(f"{live_server.url}/questions/{live_server.seed['big_question']}")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(NEUTRAL)
    expect(page.locator("body")).to_contain_text("A neutral page.")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_quick_exit_is_in_the_first_screen_of_a_small_phone(live_server, phone_page, js,
                                                                  language):
    page = phone_page(language, js=js, width=360, height=640)
    page.goto(f"{live_server.url}/questions/{live_server.seed['big_question']}")
    link = page.locator("header.site a.quick-exit")
    expect(link).to_be_visible()
    box, brand = link.bounding_box(), page.locator("header.site .brand").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    # In the header's first line, beside the brand, with room to tap it.
    assert abs((box["y"] + box["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 12
    assert box["height"] >= 24, box
    if js:  # the page does not scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if language == "ar":
        # Right to left: the brand at the right, the link to its left.
        assert box["x"] + box["width"] <= brand["x"], (box, brand)
    else:
        assert box["x"] >= brand["x"] + brand["width"], (box, brand)
