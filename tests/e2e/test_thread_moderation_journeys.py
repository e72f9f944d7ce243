"""Thread moderation in the browser, with JavaScript on and off (issue 15, item 4): a moderator
closes a question with a reason (a member sees the banner and no answer form) and reopens it,
marks another question as a duplicate (its page links to the original, and searching for the
duplicate's words leads there), and locks a thread (a member gets no comment form)."""
import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import PASSWORD, ask, register, unique
from tests.servers import flask


def sign_in(page, base, username):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account")).to_contain_text(username)


def moderate(page, base, question_id, link):
    """Follow one of the moderator's links under the question."""
    page.goto(f"{base}/questions/{question_id}")
    page.locator("nav.thread-moderation").get_by_role("link", name=link, exact=True).click()


def test_close_reopen_duplicate_and_lock(live_server, new_page):
    base = live_server.url
    member, moderator = new_page(), new_page()
    member_name, moderator_name = unique("memb"), unique("mod")
    register(member, base, member_name)
    flask(live_server.env, "create-user", moderator_name, "--email",
          f"{moderator_name}@example.org", "--password", PASSWORD, "--role", "moderator")
    sign_in(moderator, base, moderator_name)
    word = unique("zq")  # a word only the duplicate holds
    original = ask(member, base, f"How do we keep contact with a boy who moves every night? "
                                 f"{member_name}")
    duplicate = ask(member, base, f"Keeping in touch with a teenager without a phone {word}")
    expect(member.locator("nav.thread-moderation")).to_have_count(0)

    # Close with a reason: the member sees who closed it and why, and no answer form.
    moderate(moderator, base, original, "Close")
    moderator.get_by_role("button", name="Close this question").click()
    expect(moderator.locator("#reason-error")).to_be_visible()  # no reason chosen
    moderator.get_by_label("Needs details: the situation is not described enough to answer") \
        .check()
    moderator.fill("#note", "Which city, and how old is he?")
    moderator.get_by_role("button", name="Close this question").click()
    expect(moderator.locator("#thread-closed")).to_contain_text("Closed by")
    member.goto(f"{base}/questions/{original}")
    banner = member.locator("#thread-closed")
    expect(banner).to_contain_text(moderator_name)
    expect(banner).to_contain_text("Needs details")
    expect(banner).to_contain_text("Which city, and how old is he?")
    expect(member.get_by_role("button", name="Post your answer")).to_have_count(0)
    expect(member.locator("#your-answer ~ p")).to_contain_text("closed to new answers")
    # Comments are still possible on a closed question.
    expect(member.locator("article.question details.add-comment")).to_have_count(1)

    # Reopen.
    moderate(moderator, base, original, "Reopen")
    moderator.get_by_role("button", name="Reopen this question").click()
    expect(moderator.locator("#thread-closed")).to_have_count(0)
    member.goto(f"{base}/questions/{original}")
    expect(member.get_by_role("button", name="Post your answer")).to_be_visible()

    # Mark the second question as a duplicate, typing a wrong number first.
    moderate(moderator, base, duplicate, "Mark as duplicate")
    moderator.fill("#original", str(duplicate))
    moderator.get_by_role("button", name="Mark this question as a duplicate").click()
    expect(moderator.locator("#original-error")).to_contain_text("itself")
    moderator.fill("#original", f"{base}/questions/{original}/how-do-we-keep-contact")
    moderator.get_by_role("button", name="Mark this question as a duplicate").click()
    expect(moderator.locator("#thread-duplicate")).to_contain_text("same subject")
    member.goto(f"{base}/questions/{duplicate}")
    member.locator("#thread-duplicate a").click()
    expect(member).to_have_url(re.compile(rf"/questions/{original}/"))
    # Searching for the duplicate's own words leads to the original.
    member.goto(f"{base}/search?q={word}")
    result = member.locator("ul.results li.summary").first
    expect(result).to_contain_text("duplicate")
    result.locator("p.related a").click()
    expect(member).to_have_url(re.compile(rf"/questions/{original}/"))
    expect(member.locator("h1")).to_contain_text("keep contact")

    # Lock the original: the member gets no comment form and no answer form.
    moderate(moderator, base, original, "Lock")
    moderator.get_by_role("button", name="Lock this thread").click()
    expect(moderator.locator("#reason-error")).to_be_visible()
    moderator.fill("#reason", "The discussion turned to one family's details.")
    moderator.get_by_role("button", name="Lock this thread").click()
    expect(moderator.locator("#thread-locked")).to_be_visible()
    member.goto(f"{base}/questions/{original}")
    expect(member.locator("#thread-locked")).to_contain_text("no new answers or comments")
    expect(member.locator("details.add-comment")).to_have_count(0)
    expect(member.get_by_role("button", name="Post your answer")).to_have_count(0)
    # The moderator unlocks it: the member can comment again.
    moderate(moderator, base, original, "Unlock")
    moderator.get_by_role("button", name="Unlock this thread").click()
    member.goto(f"{base}/questions/{original}")
    expect(member.locator("article.question details.add-comment")).to_have_count(1)
