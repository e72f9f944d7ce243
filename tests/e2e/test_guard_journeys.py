"""Browser journeys of the confidentiality guard (issue 15), with JavaScript on and off: a
member who wrote a child's name and a phone number is warned, edits the details out and
posts; a member warned about a public figure confirms, and the question is posted."""
import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import register, unique

CHILD = ("Moussa Diallo, 12 years old, sleeps behind the central market every night. "
         "His uncle answers on 06 12 34 56 78 but never comes.")
ANONYMISED = ("A boy of about 12 sleeps near a market in our town every night. "
              "An uncle answers the phone but never comes.")
MANDELA = ("We read a speech by Nelson Mandela with the group of boys at the shelter. "
           "How do other teams lead such a discussion?")


def fill_question(page, base, title, body):
    page.goto(base + "/questions/ask")
    page.fill("#title", title)
    page.fill("#body", body)
    page.fill("#tags", "first-contact")
    page.select_option("#lang", "en")
    page.get_by_role("button", name="Post your question").click()
    # Threads like this one may be listed once before posting; the asker then goes on.
    if page.get_by_role("button", name="Post my question anyway").count():
        page.get_by_role("button", name="Post my question anyway").click()


def test_a_member_warned_about_a_childs_details_edits_them_out_and_posts(live_server, new_page):
    base = live_server.url
    page = new_page()
    name = unique("guard")
    register(page, base, name)
    title = f"How do we approach a boy who sleeps at a market? {name}"
    fill_question(page, base, title, CHILD)

    warning = page.locator("section.guard")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("heading", level=2)).to_contain_text("may identify a child")
    expect(warning).to_contain_text("a phone number")
    expect(warning).to_contain_text("a person's name")
    expect(warning.locator("mark", has_text="Moussa Diallo")).to_be_visible()
    expect(warning.locator("mark", has_text="06 12 34 56 78")).to_be_visible()
    expect(warning.get_by_role("button", name="This does not identify a child: post anyway")
           ).to_be_visible()
    # Nothing is posted yet, and the text is still in the form below.
    assert "/questions/ask" in page.url
    expect(page.locator("#body")).to_have_value(CHILD)
    expect(page.locator("#title")).to_have_value(title)

    warning.get_by_role("link", name="Edit my text").click()
    page.fill("#body", ANONYMISED)
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("article.question h1")).to_have_text(title)
    expect(page.locator("article.question")).to_contain_text("A boy of about 12")
    expect(page.locator("main")).not_to_contain_text("Moussa")
    question_id = re.search(r"/questions/(\d+)", page.url).group(1)
    # The history holds only the anonymised text: nothing was saved before.
    page.goto(f"{base}/questions/{question_id}/revisions")
    expect(page.locator("main")).not_to_contain_text("06 12 34 56 78")


def test_a_member_confirms_a_public_figure_and_the_question_is_posted(live_server, new_page):
    base = live_server.url
    page = new_page()
    name = unique("mandela")
    register(page, base, name)
    title = f"How do we discuss a speech with the boys at the shelter? {name}"
    fill_question(page, base, title, MANDELA)

    warning = page.locator("section.guard")
    expect(warning.locator("mark", has_text="Nelson Mandela")).to_be_visible()
    expect(warning).to_contain_text("public figure")
    warning.get_by_role("button", name="This does not identify a child: post anyway").click()
    expect(page.locator("article.question h1")).to_have_text(title)
    expect(page.locator("article.question")).to_contain_text("Nelson Mandela")
