"""The core loop through the French interface, with JavaScript on and off: register, ask, another
member answers and comments, the asker accepts and votes, a reader finds the thread by search,
an expert promotes it into a draft article.

Every control is found by its French label as the catalog gives it (tests/e2e/languages.py), and
the page must not show that control under its English label.
"""
import re

from playwright.sync_api import expect

from core.demo import demo_password
from tests.e2e.languages import Interface
from tests.e2e.test_journeys import PASSWORD, unique

CURATOR = "fara_rasoanaivo"  # an expert of the demo whose interface language is French


def register(ui, base, username):
    ui.page.goto(base + "/auth/register")
    ui.field("User name").fill(username)
    ui.field("E-mail").fill(f"{username}@example.org")
    ui.field("Password").fill(PASSWORD)
    ui.field("Repeat the password").fill(PASSWORD)
    ui.button("Create the account").click()
    expect(ui.page.locator("main")).to_contain_text(
        ui.t("Welcome to Carnets, %(name)s.", name=username))


def sign_in(ui, base, username, password):
    ui.page.goto(base + "/auth/login")
    ui.field("User name or e-mail").fill(username)
    ui.field("Password").fill(password)
    ui.button("Sign in", within=ui.page.locator("main")).click()
    expect(ui.button("Sign out")).to_be_visible()


def ask(ui, base, title, body, tags):
    ui.page.goto(base + "/questions/ask")
    expect(ui.page.locator("h1")).to_have_text(ui.t("Ask a question"))
    ui.field("Title").fill(title)
    ui.field("Details").fill(body)
    ui.field("Tags").fill(tags)
    ui.field("Language of the question").select_option("fr")
    ui.button("Post your question").click()
    if ui.page.locator("section.similar").count():
        ui.button("Post my question anyway").click()
    expect(ui.page.locator("h1")).to_have_text(title)
    return int(re.search(r"/questions/(\d+)", ui.page.url).group(1))


def test_ask_answer_accept_vote_search_and_promote_in_french(live_server, new_page):
    base = live_server.url
    asker = Interface(new_page(language="fr"), "fr")
    helper = Interface(new_page(language="fr"), "fr")
    asker_name, helper_name = unique("demande"), unique("aide")
    register(asker, base, asker_name)
    register(helper, base, helper_name)
    expect(asker.page.locator("html")).to_have_attribute("lang", "fr")

    # A word only this thread holds, so that search finds exactly it.
    place = f"Ambatomanga{asker_name[-6:]}"
    title = f"Comment aborder une fille seule à la gare de {place} ?"
    question_id = ask(asker, base, title,
                      "Une fille d'environ 12 ans vient seule chaque soir pendant la maraude. "
                      "Comment engager la conversation sans lui faire peur ?",
                      f"premier-contact {asker_name}")

    # Another member answers and comments.
    helper.page.goto(f"{base}/questions/{question_id}")
    helper.field("Your answer").fill("Asseyez-vous à sa hauteur, proposez à boire et parlez "
                                     "d'autre chose d'abord. Laissez-la choisir le moment.")
    helper.button("Post your answer").click()
    answer = helper.page.locator("article.answer").first
    expect(answer).to_contain_text("Asseyez-vous à sa hauteur")
    answer_id = int(answer.get_attribute("id").split("-")[1])
    question = helper.page.locator("article.question")
    helper.disclosure("Add a comment", within=question).click()
    helper.field("Comment", within=question).fill("Parle-t-elle la langue locale ?")
    helper.button("Add comment", within=question).click()
    expect(helper.page.locator("article.question ul.comments")).to_contain_text(
        "Parle-t-elle la langue locale ?")

    # The asker accepts the answer and finds it useful.
    asker.page.goto(f"{base}/questions/{question_id}")
    asker.button("Accept this answer").click()
    accepted = asker.page.locator(f"#answer-{answer_id}")
    expect(accepted).to_have_class(re.compile("accepted"))
    expect(accepted).to_contain_text(asker.t("Accepted answer"))
    asker.button("Useful (click again to withdraw)", within=accepted).click()
    expect(accepted.locator(".score")).to_have_text("1")
    expect(asker.button("Useful (click again to withdraw)", within=accepted)).to_have_attribute(
        "aria-pressed", "true")

    # A reader who is not signed in finds the thread from the search box of the header.
    reader = Interface(new_page(language="fr"), "fr")
    reader.page.goto(base + "/questions")
    reader.field("Search the discussions").fill(place.lower())
    reader.field("Search the discussions").press("Enter")
    expect(reader.page.locator("h1")).to_have_text(reader.t("Search"))
    expect(reader.page.get_by_role("status")).to_have_text(
        reader.plural("%(num)s result", "%(num)s results", 1))
    reader.page.get_by_role("link", name=title).click()
    expect(reader.page).to_have_url(re.compile(rf"/questions/{question_id}/"))

    # An expert promotes the thread into a draft article, the accepted answer preselected.
    curator = Interface(new_page(language="fr"), "fr")
    sign_in(curator, base, CURATOR, demo_password(CURATOR))
    curator.page.goto(f"{base}/questions/{question_id}")
    curator.link("Promote to good practice").click()
    expect(curator.page.locator("h1")).to_have_text(curator.t("Promote to good practice"))
    expect(curator.page.locator(f"input[name=answers][value='{answer_id}']")).to_be_checked()
    curator.button("Create the draft").click()
    expect(curator.page).to_have_url(re.compile(r"/kb/articles/[^/]+/edit$"))
    expect(curator.page.locator("h1")).to_have_text(curator.t("Edit the article"))
    expect(curator.field("Title")).to_have_value(title)
    expect(curator.page.locator("html")).to_have_attribute("lang", "fr")
