"""Browser journeys of account moderation, with JavaScript on and off: a moderator warns the
author of a post (who reads it in their notifications), suspends them with a reason (they are
signed out and read the reason when signing in), lifts the suspension; an administrator changes
a role and finds each of these actions in /moderation/log."""
import re

from playwright.sync_api import expect

from core.demo import demo_password
from tests.e2e.test_journeys import PASSWORD, ask, register, unique

MODERATOR, ADMIN = "amadou_keita", "helene_morel"


def sign_in(page, base, username, password):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button").click()


def signed_in(page):
    expect(page.locator("nav.account form[action='/auth/logout']")).to_have_count(1)


def test_warn_suspend_lift_change_role_and_read_it_all_in_the_log(live_server, new_page):
    base = live_server.url
    member, name = new_page(), unique("warned")
    register(member, base, name)
    question_id = ask(member, base, f"How do we welcome a boy who arrives at night? {name}",
                      tags=f"first-contact {name}")

    # The moderator warns the author of the question (the link the moderation queue gives).
    moderator = new_page()
    sign_in(moderator, base, MODERATOR, demo_password(MODERATOR))
    signed_in(moderator)
    moderator.goto(f"{base}/moderation/users/{name}/warn?post_type=question"
                   f"&post_id={question_id}")
    expect(moderator.locator(f"main a[href^='/questions/{question_id}']")).to_have_count(1)
    moderator.fill("#message", "Please remove the <b>street name</b> from your question.")
    moderator.locator("main form button").click()
    assert re.search(rf"/users/{name}$", moderator.url), moderator.url

    # The member reads it, as text, in their notifications, and nobody else does.
    member.goto(base + "/notifications")
    notice = member.locator("ul.notifications li").first
    expect(notice).to_contain_text("A moderator warned you:")
    expect(notice).to_contain_text("Please remove the <b>street name</b> from your question.")
    notice.locator("a").click()
    expect(member.locator("blockquote")).to_have_text(
        "Please remove the <b>street name</b> from your question.")
    expect(member.locator(f"main a[href^='/questions/{question_id}']")).to_have_count(1)

    # The moderator suspends the member from their profile, for 7 days, with a reason.
    moderator.goto(f"{base}/users/{name}")
    moderator.locator(f"a[href='/moderation/users/{name}/suspend']").click()
    moderator.locator("main form button").last.click()  # empty: refused, fields named
    expect(moderator.locator("#reason-error")).to_have_count(1)
    moderator.select_option("#duration", "7d")
    moderator.fill("#reason", "Names of children posted <again>.")
    moderator.locator("main form button").last.click()
    assert re.search(rf"/users/{name}$", moderator.url), moderator.url

    # The member is signed out at once; a wrong password says nothing of the suspension...
    member.goto(base + "/auth/profile")
    assert "/auth/login" in member.url, member.url
    sign_in(member, base, name, "not the password")
    expect(member.locator("main .errors")).to_contain_text("Unknown user name or wrong password.")
    expect(member.locator("main")).not_to_contain_text("suspended")
    # ...the right one gives the date and the moderator's reason, as text.
    sign_in(member, base, name, PASSWORD)
    error = member.locator("main .errors")
    expect(error).to_contain_text("This account is suspended until")
    expect(error).to_contain_text("Names of children posted <again>.")
    expect(member.locator("nav.account form[action='/auth/logout']")).to_have_count(0)

    # The moderator lifts it; the member signs in again.
    moderator.goto(f"{base}/moderation/users/{name}/suspend")
    moderator.fill("#lift-reason", "Talked it through on the phone.")
    moderator.locator("form[action$='/unsuspend'] button").click()
    sign_in(member, base, name, PASSWORD)
    signed_in(member)

    # The administrator makes the member an expert from their profile.
    admin = new_page()
    sign_in(admin, base, ADMIN, demo_password(ADMIN))
    signed_in(admin)
    admin.goto(f"{base}/users/{name}")
    admin.select_option("form.role-form select[name=role]", "expert")
    admin.fill("form.role-form textarea[name=reason]", "Ten years of street outreach.")
    admin.locator("form.role-form button").click()
    expect(admin.locator("form.role-form select[name=role]")).to_have_value("expert")

    # Every action is in the log, newest first, reached from /moderation.
    admin.goto(base + "/moderation")
    admin.locator("main a[href='/moderation/log']").click()
    entries = admin.locator("ul.audit-log li").filter(
        has=admin.locator(f"a[href='/users/{name}']"))
    expect(entries).to_have_count(4)
    expect(entries.nth(0)).to_contain_text("Ten years of street outreach.")
    expect(entries.nth(1)).to_contain_text("Talked it through on the phone.")
    expect(entries.nth(2)).to_contain_text("Names of children posted <again>.")
    expect(entries.nth(3)).to_contain_text("Please remove the <b>street name</b>")
    # Filtered by action (a plain GET form).
    admin.select_option("#log-action", "suspend")
    admin.locator("form.filters button").click()
    assert "action=suspend" in admin.url
    expect(admin.locator("ul.audit-log li").filter(
        has=admin.locator(f"a[href='/users/{name}']"))).to_have_count(1)
