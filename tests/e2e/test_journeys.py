"""Browser journeys through the real server, each run with JavaScript on and off: register,
sign in, ask, answer, comment and reply, accept, vote, edit with history, delete and undelete,
tag pages and pagination."""
import re
import uuid

from playwright.sync_api import expect

from tests.e2e.browser_support import confirm_guard

PASSWORD = "journey-password"


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def register(page, base, username):
    page.goto(base + "/auth/register")
    page.fill("#username", username)
    page.fill("#email", f"{username}@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("nav.account")).to_contain_text(username)


def ask(page, base, title, tags="street-outreach trust"):
    page.goto(base + "/questions/ask")
    page.fill("#title", title)
    page.fill("#body", "A girl of about 12 comes to the drop-in centre alone every evening. "
                       "How do we start a conversation without frightening her?")
    page.fill("#tags", tags)
    page.select_option("#lang", "en")
    page.get_by_role("button", name="Post your question").click()
    confirm_guard(page)
    # Threads like this one are listed once before posting; the asker then confirms.
    if page.get_by_role("button", name="Post my question anyway").count():
        page.get_by_role("button", name="Post my question anyway").click()
    expect(page.locator("h1")).to_have_text(title)
    return int(re.search(r"/questions/(\d+)", page.url).group(1))


def csrf(page, base):
    page.goto(base + "/auth/profile")
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


def test_register_sign_out_and_sign_in_with_email(live_server, new_page):
    page = new_page()
    name = unique("reg")
    register(page, live_server.url, name)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("nav.account")).to_contain_text("Sign in")
    page.get_by_role("link", name="Sign in").click()
    page.fill("#username", f"{name}@example.org")
    page.fill("#password", "wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main")).to_contain_text("Unknown user name or wrong password.")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account")).to_contain_text(name)


def test_ask_answer_comment_reply_accept_and_vote(live_server, new_page):
    base = live_server.url
    asker, helper = new_page(), new_page()
    asker_name, helper_name = unique("ask"), unique("help")
    register(asker, base, asker_name)
    register(helper, base, helper_name)
    title = f"How do we start talking with a girl who comes alone? {asker_name}"
    question_id = ask(asker, base, title, tags=f"first-contact {asker_name}")
    expect(asker.locator("article.question ul.tags")).to_contain_text(asker_name)

    # The second user answers and comments.
    helper.goto(f"{base}/questions/{question_id}")
    helper.fill("#body", "Sit at her level, offer a drink and talk about something else "
                         "first. Let her choose when to talk about herself.")
    helper.get_by_role("button", name="Post your answer").click()
    answer = helper.locator("article.answer").first
    expect(answer).to_contain_text("Sit at her level")
    answer_id = int(answer.get_attribute("id").split("-")[1])
    helper.locator("article.question details.add-comment summary").click()
    helper.fill(f"#comment-question-{question_id}", "Does she speak the local language?")
    helper.locator("article.question details.add-comment button").click()
    comment = helper.locator("article.question ul.comments > li").first
    expect(comment).to_contain_text("Does she speak the local language?")

    # The asker replies to the comment; the reply is shown nested under it.
    asker.goto(f"{base}/questions/{question_id}")
    asker.locator("article.question ul.comments > li").first.get_by_role(
        "link", name="Reply").click()
    asker.fill("#body", "Yes, and a little French.")
    asker.get_by_role("button", name="Add comment").click()
    nested = asker.locator("article.question ul.comments > li ul.comments > li")
    expect(nested).to_contain_text("Yes, and a little French.")

    # The asker accepts the answer and votes it up; no vote button on one's own question.
    asker.get_by_role("button", name="Accept this answer").click()
    accepted = asker.locator("article.answer").first
    expect(accepted).to_have_class(re.compile("accepted"))
    expect(accepted).to_contain_text("Accepted answer")
    expect(asker.locator("article.question .votes button")).to_have_count(0)
    asker.locator(f"#answer-{answer_id} .votes button[value=up]").click()
    expect(asker.locator(f"#answer-{answer_id} .score")).to_have_text("1")
    expect(asker.locator(f"#answer-{answer_id} .votes button[value=up]")).to_have_attribute(
        "aria-pressed", "true")
    # Clicking again withdraws the vote.
    asker.locator(f"#answer-{answer_id} .votes button[value=up]").click()
    expect(asker.locator(f"#answer-{answer_id} .score")).to_have_text("0")

    helper.goto(f"{base}/questions/{question_id}")
    helper.locator("article.question .votes button[value=up]").click()
    expect(helper.locator("article.question .score")).to_have_text("1")


def test_edit_history_diff_and_restore(live_server, new_page):
    base = live_server.url
    page = new_page()
    register(page, base, unique("edit"))
    question_id = ask(page, base, "Which papers does a minor need to enrol at school?")
    page.locator("article.question").get_by_role("link", name="Edit", exact=True).click()
    page.fill("#body", "Which papers does an unaccompanied minor of 15 need to enrol at "
                       "secondary school when no guardian has been appointed yet?")
    page.fill("#summary", "more precise")
    page.get_by_role("button", name="Save the edit").click()
    expect(page.locator("article.question .body")).to_contain_text("no guardian")

    page.locator("article.question").get_by_role("link", name="History", exact=True).click()
    expect(page.locator("ol.revisions > li")).to_have_count(2)
    expect(page.locator("ol.revisions")).to_contain_text("more precise")
    page.get_by_role("link", name="Changes from revision 1").click()
    expect(page.locator("pre.diff ins")).to_contain_text("no guardian")
    expect(page.locator("pre.diff del")).to_contain_text("A girl of about 12")

    page.goto(f"{base}/questions/{question_id}/revisions")
    page.get_by_role("button", name="Restore this revision").click()
    expect(page.locator("article.question .body")).to_contain_text("A girl of about 12")
    page.goto(f"{base}/questions/{question_id}/revisions")
    expect(page.locator("ol.revisions > li")).to_have_count(3)


def test_delete_and_undelete(live_server, new_page):
    base = live_server.url
    author, reader = new_page(), new_page()
    register(author, base, unique("del"))
    title = f"A question to delete {uuid.uuid4().hex[:6]}"
    question_id = ask(author, base, title)
    author.locator("article.question").get_by_role("button", name="Delete", exact=True).click()
    expect(author.locator("article.question .notice")).to_contain_text("deleted")

    response = reader.goto(f"{base}/questions/{question_id}")
    assert response.status == 404
    reader.goto(f"{base}/questions?sort=newest")
    expect(reader.locator("ul.questions")).not_to_contain_text(title)

    author.locator("article.question").get_by_role("button", name="Undelete", exact=True).click()
    expect(author.locator("article.question .notice")).to_have_count(0)
    assert reader.goto(f"{base}/questions/{question_id}").status == 200


def test_tag_page_and_pagination(live_server, new_page):
    base = live_server.url
    page = new_page()
    register(page, base, unique("tag"))
    tag = unique("pages")
    token = csrf(page, base)
    for number in range(25):
        response = page.request.post(f"{base}/questions/ask", form={
            "csrf_token": token, "title": f"Paginated question number {number:02d}",
            "body": "A question posted to fill more than one page of this tag.",
            "tags": tag, "lang": "en", "similar_checked": "1"}, max_redirects=0)
        assert response.status == 302

    page.goto(f"{base}/tags")
    page.get_by_role("link", name=tag, exact=True).click()
    expect(page.locator("h1")).to_contain_text(tag)
    expect(page.locator("main")).to_contain_text("25 questions")
    expect(page.locator("ul.questions > li")).to_have_count(20)
    expect(page.locator("ul.questions")).to_contain_text("number 24")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator("ul.questions > li")).to_have_count(5)
    expect(page.locator("ul.questions")).to_contain_text("number 00")
    page.get_by_role("link", name="← Previous").click()
    expect(page.locator("ul.questions > li")).to_have_count(20)

    page.goto(f"{base}/questions")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".pager")).to_contain_text("Page 2")
