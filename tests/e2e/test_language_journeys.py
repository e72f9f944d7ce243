"""Languages in a real browser: the switcher works without JavaScript and its choice sticks, and an
Arabic page mirrors its layout while a French post in it keeps reading left to right."""
import re

from playwright.sync_api import expect

from core.i18n import language_name
from tests.e2e.languages import Interface


def switcher_choice(page, code):
    """The switcher's choice of language `code`, found by what it shows, the language's own name
    (wherever the switcher sits); a choice folded away in a <details> is unfolded first."""
    name = language_name(code)
    # Not by role: a closed <details> keeps its links out of the accessibility tree.
    choices = page.locator("a, button").filter(
        has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    expect(choices.first).to_be_attached()
    visible = [choices.nth(i) for i in range(choices.count()) if choices.nth(i).is_visible()]
    if visible:
        return visible[0]
    choice = choices.first
    choice.locator("xpath=ancestor::details[1]/summary").click()
    expect(choice).to_be_visible()
    return choice


def test_the_switcher_works_without_javascript_and_the_choice_sticks(live_server, phone_page):
    base = live_server.url
    page = phone_page("en", js=False)
    page.goto(base + "/questions?sort=newest")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    fr = Interface(page, "fr")

    switcher_choice(page, "fr").click()
    # The same page, its query kept, now in French.
    expect(page).to_have_url(base + "/questions?sort=newest")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_text(fr.t("Language of the questions"), exact=True)).to_be_visible()
    expect(page.get_by_text("Language of the questions", exact=True)).to_have_count(0)
    # The switcher says truthfully which language is shown.
    current = page.locator("[aria-current]")
    expect(current.filter(has_text=language_name("fr"))).not_to_have_count(0)
    expect(current.filter(has_text=language_name("en"))).to_have_count(0)

    # The choice sticks: the next page, reached by a link, is French too, although the browser
    # still asks for English.
    fr.link("Tags").first.click()
    expect(page).to_have_url(re.compile(r"/tags$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(fr.t("Tags"))

    # And back to English the same way.
    switcher_choice(page, "en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Tags")


def test_an_arabic_page_mirrors_and_a_french_post_keeps_its_direction(live_server, phone_page):
    base = live_server.url
    page = phone_page("ar")
    page.goto(f"{base}/questions/{live_server.seed['french_question']}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")

    def direction(locator):
        return locator.evaluate("element => getComputedStyle(element).direction")

    # The interface reads right to left, and the header is mirrored: the brand at the right.
    header = page.locator("header.site, body > header").first
    assert direction(header) == "rtl"
    brand = header.locator("a[href='/']").first  # the brand leads home
    box = brand.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] > width / 2, f"the brand starts at x={box['x']} of {width} px: not mirrored"

    # The French question reads left to right, its question mark at the end (lang="fr" and
    # dir="auto" on user content).
    heading = page.locator("article.question h1")
    expect(heading).to_have_text(re.compile(r"\?$"))
    assert heading.evaluate("element => element.closest('[lang]').lang") == "fr"
    assert direction(heading) == "ltr", "a French title in an Arabic page reads right to left"
