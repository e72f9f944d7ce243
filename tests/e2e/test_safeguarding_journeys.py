"""Browser journey of a safeguarding alert, with JavaScript on and off: an admin names a lead;
a member raises an alert on an answer; the lead sees it on /moderation and in the
notifications, acknowledges it and closes it with what was done; another member and a
moderator who is not a lead see nothing of it."""
import re
import uuid

from playwright.sync_api import expect

from tests.e2e.test_journeys import register

ADMIN = ("helene_morel", "demo-helene_morel-2026")
MODERATOR = ("amadou_keita", "demo-amadou_keita-2026")  # a moderator, not a lead


def sign_in(page, base, username, password):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account form[action='/auth/logout']")).to_have_count(1)


def test_an_alert_reaches_the_lead_and_nobody_else(live_server, new_page):
    base = live_server.url
    tag = uuid.uuid4().hex[:8]
    alerter, other, lead = new_page(), new_page(), new_page()
    lead_name = f"lead{tag}"
    register(alerter, base, f"alerter{tag}")
    register(other, base, f"other{tag}")
    register(lead, base, lead_name)

    # The admin names the lead from the lead's profile page (the demo admin reads French).
    admin = new_page()
    sign_in(admin, base, *ADMIN)
    admin.goto(f"{base}/users/{lead_name}")
    admin.locator("form[action$='/safeguarding-lead'] button").click()
    expect(admin.locator("form[action$='/safeguarding-lead'] button[value=no]")).to_have_count(1)

    # A member raises an alert on an answer of the seeded thread.
    big = live_server.seed["big_question"]
    alerter.goto(f"{base}/questions/{big}")
    answer = alerter.locator("article.answer").nth(2)
    answer_id = answer.get_attribute("id")
    answer.locator(".actions a.alert-link").click()
    expect(alerter.locator("h1")).to_have_text("A child may be in danger now")
    expect(alerter.locator("main")).to_contain_text("emergency services or child helpline")
    note = f"The boy in this answer said tonight that a man threatens him {tag}."
    alerter.fill("#note", note)
    alerter.get_by_role("button", name="Send the alert to the safeguarding leads").click()
    expect(alerter.locator("main .flash")).to_contain_text(
        "Your alert was sent to the safeguarding leads.")
    assert alerter.url.endswith(f"#{answer_id}")

    # The lead: the alerts come first on /moderation, and the notification links to the alert.
    lead.goto(f"{base}/moderation")
    alerts = lead.locator("section[aria-labelledby=alerts-heading]")
    expect(alerts.locator("article.alert", has_text=tag)).to_have_count(1)
    expect(alerts.locator("article.alert", has_text=tag)).to_contain_text("due in")
    assert lead.locator("main h2").first.get_attribute("id") == "alerts-heading"
    lead.goto(f"{base}/notifications")
    expect(lead.locator("main")).to_contain_text("Safeguarding alert, a child may be in danger:")
    # The line links through /notifications/<id>/open, which leads to the alert.
    lead.locator("main ul.notifications li", has_text="Safeguarding alert").first.locator(
        "a").click()
    expect(lead.locator("main")).to_contain_text(tag)
    alert_url = lead.url
    assert re.search(r"/moderation/alerts/\d+$", alert_url)
    expect(lead.locator("main")).to_contain_text("Nobody has acknowledged it yet.")
    lead.get_by_role("button", name="I am handling it").click()
    expect(lead.locator("main")).to_contain_text("Acknowledged by")
    lead.get_by_role("button", name="Close the alert").click()  # what was done is required
    expect(lead.locator("#action_taken-error")).to_be_visible()
    lead.fill("#action_taken", f"Called the partner shelter; a team visits tonight {tag}.")
    lead.get_by_role("button", name="Close the alert").click()
    expect(lead.locator("main .flash")).to_contain_text("The alert is closed")
    expect(lead.locator("main")).not_to_contain_text(tag)
    lead.goto(alert_url)
    expect(lead.locator("main")).to_contain_text("Closed by")
    expect(lead.locator("main")).to_contain_text("a team visits tonight")

    # Another member and a moderator who is not a lead see nothing of it.
    moderator = new_page()
    sign_in(moderator, base, *MODERATOR)
    for page in (other, moderator):
        assert page.goto(alert_url).status == 404
        page.goto(f"{base}/notifications")
        expect(page.locator("main")).not_to_contain_text(tag)
        expect(page.locator("main ul.notifications li",
                            has_text="Safeguarding alert")).to_have_count(0)
        page.goto(f"{base}/questions/{big}")
        expect(page.locator("main")).not_to_contain_text(tag)
    assert other.goto(f"{base}/moderation").status == 403
    moderator.goto(f"{base}/moderation")
    expect(moderator.locator("#alerts-heading")).to_have_count(0)
    expect(moderator.locator("main")).not_to_contain_text(tag)
