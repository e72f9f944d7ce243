"""Browser journey of a lost password, with JavaScript on and off: a member who forgot her
password asks for a link from the sign-in page, opens the link read from the mail the server
queued (its outbox row, in the server's own database), chooses a new password and signs in with
it; the phone she had left signed in is signed out, and the used link then shows the clear
"expired" page."""
import re
import sqlite3
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.test_journeys import PASSWORD, register, unique

NEW_PASSWORD = "my new street password"
RESET_RE = re.compile(r"https?://\S+/auth/reset/[A-Za-z0-9_-]+")


def _mailed_link(server, address, timeout=10):
    """The reset link of the newest mail queued for `address`, from the outbox table."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(server.folder / "carnets.sqlite") as connection:
            row = connection.execute(
                "SELECT text_body FROM outbox_message WHERE to_address = ? "
                "AND category = 'password_reset' ORDER BY id DESC LIMIT 1", (address,)
            ).fetchone()
        if row:
            return urlsplit(RESET_RE.search(row[0]).group(0)).path
        time.sleep(0.2)
    raise AssertionError(f"no reset mail for {address}")


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
