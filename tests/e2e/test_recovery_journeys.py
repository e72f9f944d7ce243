"""Browser journey of a lost password, with JavaScript on and off: a member who forgot her
password asks for a link from the sign-in page, opens the link read from the mail the server
queued (its outbox row, in the server's own database), chooses a new password and signs in with
it; the phone she had left signed in is signed out, and the used link then shows the clear
"expired" page. An administrator sends a member a link from her profile; a member moves her
account to a new address through the link mailed there."""
import gettext
import re
import sqlite3
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from core.demo import demo_password
from tests.servers import ROOT
from tests.e2e.test_journeys import PASSWORD, register, unique

NEW_PASSWORD = "my new street password"
RESET_RE = re.compile(r"https?://\S+/auth/reset/[A-Za-z0-9_-]+")
EMAIL_RE = re.compile(r"https?://\S+/auth/email/[A-Za-z0-9_-]+")
ADMIN = "helene_morel"


def _mailed_link(server, address, category="password_reset", pattern=RESET_RE, timeout=10):
    """The path of the link in the newest mail of `category` queued for `address`, read
    from the outbox table of the server's database."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(server.folder / "carnets.sqlite") as connection:
            row = connection.execute(
                "SELECT text_body FROM outbox_message WHERE to_address = ? "
                "AND category = ? ORDER BY id DESC LIMIT 1", (address, category)).fetchone()
        if row:
            return urlsplit(pattern.search(row[0]).group(0)).path
        time.sleep(0.2)
    raise AssertionError(f"no {category} mail for {address}")


def _sign_in(page, base, username, password):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()


def test_a_forgotten_password_is_reset_through_the_mailed_link(live_server, new_page):
    base = live_server.url
    page, name = new_page(), unique("forgot")
    register(page, base, name)
    # She stays signed in on another phone, then forgets her password on this one.
    phone = new_page()
    _sign_in(phone, base, name, PASSWORD)
    expect(phone.locator("nav.account")).to_contain_text(name)
    page.get_by_role("button", name="Sign out").click()

    page.goto(base + "/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.fill("#login", f"{name}@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("h1")).to_have_text("Look in your mailbox")
    expect(page.locator("main")).to_contain_text("If an account has this e-mail address")

    link = _mailed_link(live_server, f"{name}@example.org")
    page.goto(base + link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    expect(page.locator("main")).to_contain_text(f"@{name}")
    page.fill("#password", "short")
    page.fill("#confirm", "short")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("#password-error")).to_have_count(1)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("main")).to_contain_text("Your password is changed. Sign in with it.")

    _sign_in(page, base, name, PASSWORD)  # the old password no longer works
    expect(page.locator("main")).to_contain_text("Unknown user name or wrong password.")
    _sign_in(page, base, name, NEW_PASSWORD)
    expect(page.locator("nav.account")).to_contain_text(name)

    # The phone left signed in before the reset is signed out.
    phone.goto(base + "/auth/profile")
    assert "/auth/login" in phone.url, phone.url

    # The used link shows the clear page, with a way to ask again.
    page.goto(base + link)
    expect(page.locator("h1")).to_have_text("This link no longer works")
    expect(page.locator("main")).to_contain_text("This link has expired or was already used.")
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page.locator("#login")).to_have_count(1)


def test_an_administrator_sends_a_member_a_reset_link(live_server, new_page):
    base = live_server.url
    member, name = new_page(), unique("called")
    register(member, base, name)
    admin = new_page()
    _sign_in(admin, base, ADMIN, demo_password(ADMIN))
    admin.goto(f"{base}/users/{name}")
    # The demo administrator reads the site in French (her stored choice).
    french = gettext.translation("messages", localedir=ROOT / "core" / "translations",
                                 languages=["fr"])
    admin.get_by_role("button", name=french.gettext("Send a password reset link")).click()
    assert admin.url.endswith(f"/users/{name}"), admin.url
    sent = french.gettext(
        "A link to choose a new password was sent to the e-mail address of %(name)s.")
    expect(admin.locator("main")).to_contain_text(sent.split("%(name)s")[0].strip())
    link = _mailed_link(live_server, f"{name}@example.org")
    member.goto(base + link)
    member.fill("#password", NEW_PASSWORD)
    member.fill("#confirm", NEW_PASSWORD)
    member.get_by_role("button", name="Save the new password").click()
    _sign_in(member, base, name, NEW_PASSWORD)
    expect(member.locator("nav.account")).to_contain_text(name)
    admin.goto(f"{base}/moderation/log?action=password_reset_sent")
    expect(admin.locator("ul.audit-log li").filter(
        has=admin.locator(f"a[href='/users/{name}']"))).to_have_count(1)


def test_a_new_email_address_is_confirmed_through_its_link(live_server, new_page):
    base = live_server.url
    page, name = new_page(), unique("moving")
    register(page, base, name)
    new_address = f"{name}.new@example.org"
    page.goto(base + "/auth/profile")
    page.fill("#email", new_address)
    page.fill("#email_current_password", PASSWORD)
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator("main")).to_contain_text(
        f"Check your new address: we sent a link to {new_address}.")
    page.goto(base + "/auth/profile")
    expect(page.locator("#email")).to_have_value(f"{name}@example.org")
    expect(page.locator("main")).to_contain_text(f"Waiting for confirmation: {new_address}")
    link = _mailed_link(live_server, new_address, "email_change", EMAIL_RE)
    page.goto(base + link)
    page.get_by_role("button", name="Use this address").click()
    expect(page.locator("main")).to_contain_text(f"Your e-mail address is now {new_address}.")
    expect(page.locator("#email")).to_have_value(new_address)
