"""Browser journeys of flags, JavaScript on and off: a reader flags an answer as identifying a
child, a second reader confirms it, and the answer disappears for everyone but its author
(who reads why) and the moderators; a moderator finds it in /moderation and decides."""
import re
import uuid

from playwright.sync_api import expect

from tests.e2e.browser_support import confirm_guard

from tests.servers import flask

PASSWORD = "journey-password"
CHILD_DETAILS = "Ask for Kofi Mensah, he sleeps behind the Rue 12 market stall every night."


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def member(live_server, new_page, prefix, role="member"):
    """A fresh account of `role`, signed in in its own browser profile."""
    name = unique(prefix)
    flask(live_server.env, "create-user", name, "--email", f"{name}@example.org",
          "--password", PASSWORD, "--role", role)
    page = new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account")).to_contain_text(name)
    page.username = name
    return page


def flag(page, base, question_id, answer_id, reason_label):
    page.goto(f"{base}/questions/{question_id}")
    page.locator(f"#answer-{answer_id} a.flag").click()
    expect(page.locator("h1")).to_have_text("Flag a post")
    page.get_by_role("radio", name=reason_label).check()
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.locator("main")).to_contain_text("Thank you, the moderators will look at it.")


def test_two_readers_hide_an_identifying_answer_and_a_moderator_decides(live_server, new_page):
    base = live_server.url
    asker = member(live_server, new_page, "asker")
    asker.goto(base + "/questions/ask")
    title = f"Where can a boy sleep safely when the shelter is full? {asker.username}"
    asker.fill("#title", title)
    asker.fill("#body", "The night shelter turns boys away after ten. Where do other outreach "
                        "teams find a safe place for one night?")
    asker.fill("#tags", "shelter night-outreach")
    asker.select_option("#lang", "en")
    asker.get_by_role("button", name="Post your question").click()
    if asker.get_by_role("button", name="Post my question anyway").count():
        asker.get_by_role("button", name="Post my question anyway").click()
    question_id = int(re.search(r"/questions/(\d+)", asker.url).group(1))

    author = member(live_server, new_page, "author")
    author.goto(f"{base}/questions/{question_id}")
    author.fill("#body", CHILD_DETAILS)
    author.get_by_role("button", name="Post your answer").click()
    # The guard warns; this author confirms anyway: the readers' flags are what catches it.
    confirm_guard(author)
    expect(author.locator("article.answer")).to_contain_text("Kofi Mensah")
    answer_id = int(author.locator("article.answer").first.get_attribute("id").split("-")[1])

    # A form sent without a reason comes back, the field named, nothing saved.
    first = member(live_server, new_page, "reader")
    first.goto(f"{base}/answers/{answer_id}/flag")
    first.get_by_role("button", name="Send to the moderators").click()
    expect(first.locator("#reason-error")).to_contain_text("Choose a reason.")
    flag(first, base, question_id, answer_id, "It identifies a child")
    # One flag hides nothing.
    expect(first.locator(f"#answer-{answer_id}")).to_contain_text("Kofi Mensah")

    second = member(live_server, new_page, "second")
    flag(second, base, question_id, answer_id, "It identifies a child")
    expect(second.locator("main")).not_to_contain_text("Kofi Mensah")

    # Gone for everyone else: a reader who is not signed in, a third member.
    anonymous = new_page()
    anonymous.goto(f"{base}/questions/{question_id}")
    expect(anonymous.locator("h1")).to_have_text(title)
    expect(anonymous.locator("main")).not_to_contain_text("Kofi Mensah")
    third = member(live_server, new_page, "third")
    third.goto(f"{base}/questions/{question_id}")
    expect(third.locator("main")).not_to_contain_text("Kofi Mensah")
    # Its author still reads it, and why nobody else does.
    author.goto(f"{base}/questions/{question_id}")
    expect(author.locator(f"#answer-{answer_id}")).to_contain_text("Kofi Mensah")
    expect(author.locator(f"#answer-{answer_id} .hidden-post")).to_contain_text(
        "This answer is hidden by the moderators")

    # The first reader also reports the question; the moderator dismisses that one and keeps
    # the answer hidden.
    first.goto(f"{base}/questions/{question_id}/flag")
    first.get_by_role("radio", name="Something else").check()
    first.fill("#text", "Posted twice by mistake, I think.")
    first.get_by_role("button", name="Send to the moderators").click()
    expect(first.locator("main")).to_contain_text("Thank you, the moderators will look at it.")

    moderator = member(live_server, new_page, "modo", role="moderator")
    moderator.goto(base + "/moderation")
    answer_group = moderator.locator(f"#flagged-answer-{answer_id}")
    question_group = moderator.locator(f"#flagged-question-{question_id}")
    expect(answer_group).to_contain_text("Kofi Mensah")
    expect(answer_group).to_contain_text("It identifies a child")
    expect(question_group).to_contain_text("Posted twice by mistake")
    # Identifying posts come first.
    groups = [group.get_attribute("id") for group in moderator.locator("li.flag-group").all()]
    assert groups.index(f"flagged-answer-{answer_id}") < groups.index(
        f"flagged-question-{question_id}")
    question_group.get_by_role("button", name="Dismiss the flags").click()
    expect(moderator.locator("main")).to_contain_text("Your decision is recorded.")
    expect(moderator.locator(f"#flagged-question-{question_id}")).to_have_count(0)
    moderator.locator(f"#flagged-answer-{answer_id}").get_by_role(
        "button", name="Keep it hidden").click()
    expect(moderator.locator(f"#flagged-answer-{answer_id}")).to_have_count(0)

    anonymous.goto(f"{base}/questions/{question_id}")
    expect(anonymous.locator("main")).not_to_contain_text("Kofi Mensah")
    moderator.goto(f"{base}/questions/{question_id}")
    expect(moderator.locator(f"#answer-{answer_id} .hidden-post")).to_be_visible()
