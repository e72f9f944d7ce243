"""Search in the browser, with JavaScript on and off: the box in every page's header, typing
without accents, a typo corrected, filters and sorts, a result leading to its thread, a deleted
thread gone from results, and similar threads shown while asking."""
import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import ask, register, unique


def search_from_header(page, base, text):
    page.goto(base + "/questions")
    page.fill("#site-q", text)
    page.locator("#site-q").press("Enter")
    expect(page.locator("h1")).to_have_text("Search")


def result_titles(page):
    return page.locator("ul.results li.summary h3 a")


def test_a_reader_finds_a_thread_typed_without_accents_and_opens_it(live_server, new_page):
    base = live_server.url
    page = new_page()
    name = unique("srch")
    register(page, base, name)
    # A place name only this thread holds, written with accents and capitals.
    place = f"Ambohimanarinà{name[-4:]}"
    title = f"Premier contact à {place} avec des enfants très méfiants"
    question_id = ask(page, base, title, tags=f"maraude {name}")

    reader = new_page()
    search_from_header(reader, base, place.lower().replace("à", "a"))
    expect(reader.get_by_role("status")).to_have_text("1 result")
    link = result_titles(reader).first
    expect(link).to_have_text(title)
    expect(link.locator("mark")).to_have_count(1)
    expect(reader.locator("ul.results ul.tags")).to_contain_text(name)
    link.click()
    expect(reader).to_have_url(re.compile(rf"/questions/{question_id}/"))


def test_a_typo_is_corrected_and_filters_and_sorts_narrow_the_results(live_server, new_page):
    base = live_server.url
    page = new_page()
    name = unique("flt")
    register(page, base, name)
    word = "reunification"
    older = ask(page, base, f"Family {word} after two years in the shelter {name}",
                tags=f"family {name}")
    newer = ask(page, base, f"Preparing {word} with an aunt who lives far away {name}",
                tags=f"family {name}-aunt")

    reader = new_page()
    # Nothing holds the misspelt word alone: the page shows what was probably meant.
    search_from_header(reader, base, f"reunifcation tag:{name}")
    expect(reader.locator("p.notice")).to_contain_text("showing results for")
    expect(result_titles(reader)).to_have_count(1)
    # With a word that matches, the correction is offered as a link instead.
    search_from_header(reader, base, f"{name} reunifcation")
    reader.locator("p.notice").get_by_role("link").click()
    expect(reader.locator("#q")).to_have_value(f"{name} reunification")
    expect(reader.locator("ul.results")).to_contain_text("two years")
    expect(reader.locator("ul.results")).to_contain_text("aunt")

    # A tag filter keeps one thread; the form on the results page searches again.
    reader.fill("#q", f"{word} tag:{name}-aunt")
    reader.get_by_role("button", name="Search", exact=True).click()
    expect(result_titles(reader)).to_have_count(1)
    expect(result_titles(reader).first).to_contain_text("aunt")

    reader.fill("#q", f"{word} tag:family -aunt {name}")
    reader.get_by_role("button", name="Search", exact=True).click()
    expect(reader.locator("ul.results")).to_contain_text("two years")
    expect(reader.locator("ul.results")).not_to_contain_text("aunt")

    reader.fill("#q", f"{name} {word}")
    reader.get_by_role("button", name="Search", exact=True).click()
    reader.get_by_role("link", name="Newest").click()
    expect(reader.locator("nav.sorts a[aria-current]")).to_have_text("Newest")
    hrefs = [result_titles(reader).nth(i).get_attribute("href") for i in range(2)]
    assert [int(href.split("/")[2]) for href in hrefs] == [newer, older]


def test_a_deleted_thread_leaves_the_results(live_server, new_page):
    base = live_server.url
    page = new_page()
    name = unique("del")
    register(page, base, name)
    question_id = ask(page, base, f"Night shelter rules for newcomers {name}", tags=name)
    search_from_header(page, base, name)
    expect(result_titles(page)).to_have_count(1)

    page.goto(f"{base}/questions/{question_id}")
    page.locator("article.question").get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("article.question .notice")).to_contain_text("deleted")
    reader = new_page()
    for who in (page, reader):
        search_from_header(who, base, name)
        expect(who.get_by_role("status")).to_have_text("0 results")
        expect(who.locator("main")).not_to_contain_text("Night shelter rules")


def test_asking_a_question_already_discussed_shows_the_discussion_first(live_server,
                                                                        new_page):
    base = live_server.url
    page = new_page()
    name = unique("sim")
    register(page, base, name)
    title = f"Helping {name} street children return to school after months away"
    question_id = ask(page, base, title, tags=name)

    page.goto(base + "/questions/ask")
    page.fill("#title", f"How can {name} street children return to school?")
    page.fill("#body", "Three boys want to go back to class after a year in the street. "
                       "What helped them settle in elsewhere?")
    page.fill("#tags", name)
    page.get_by_role("button", name="Post your question").click()
    similar = page.locator("section.similar")
    expect(similar).to_contain_text("These discussions may already answer your question")
    expect(similar.get_by_role("link", name=title)).to_have_attribute(
        "href", re.compile(rf"^/questions/{question_id}/"))
    # What was typed is kept; posting anyway creates the question.
    expect(page.locator("#body")).to_have_value(
        "Three boys want to go back to class after a year in the street. "
        "What helped them settle in elsewhere?")
    page.get_by_role("button", name="Post my question anyway").click()
    expect(page.locator("h1")).to_have_text(f"How can {name} street children return to school?")
