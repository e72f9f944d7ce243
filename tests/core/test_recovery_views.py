"""Account recovery through the pages: "Forgot your password?", the mailed links, the e-mail
change of the profile and an administrator's "Send a password reset link". Mail is read from
the outbox rows (the sender drains them elsewhere)."""
import re

import pytest
from sqlalchemy import select

from core.accounts import services
from core.accounts.models import AccountToken
from core.audit.models import AuditEntry
from core.extensions import db
from core.mail.models import OutboxMessage
from tests.conftest import PASSWORD
from tests.core.forms_html import field_errors, field_names

NEW_PASSWORD = "a brand new secret"
EXPIRED = "This link has expired or was already used."
RESET_RE = re.compile(r"/auth/reset/([A-Za-z0-9_-]+)")
EMAIL_RE = re.compile(r"/auth/email/([A-Za-z0-9_-]+)")


def _mails(app, category=None):
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if category:
            query = query.where(OutboxMessage.category == category)
        rows = [(m.to_address, m.category, m.text_body) for m in db.session.scalars(query)]
        db.session.remove()
        return rows


def _link(app, pattern=RESET_RE, category="password_reset"):
    return pattern.search(_mails(app, category)[-1][2]).group(0)


def _signed_in(client):
    return client.get("/auth/profile").status_code == 200


def _main(response):
    page = response.get_data(as_text=True)
    return page.split('<main id="main">', 1)[-1].split("</main>", 1)[0]


def _forgot(client, login):
    return client.post_form("/auth/forgot", {"login": login}, follow_redirects=True)


def test_the_sign_in_page_links_to_the_forgotten_password_form(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<a href="/auth/forgot">Forgot your password?</a>' in page
    page = client.get("/auth/forgot").get_data(as_text=True)
    assert field_names(page) == ["csrf_token", "login"]
    assert '<label for="login">E-mail or user name</label>' in page


def test_known_and_unknown_addresses_get_the_same_page(app, client, make_user):
    make_user(username="Amina", email="amina@example.org")
    pages = [_main(_forgot(client, login)) for login in
             ("amina@example.org", "nobody@example.org", "Amina", "nobody")]
    assert len(set(pages)) == 1
    assert "If an account has this e-mail address or user name, we have sent a link" in pages[0]
    assert [(to, category) for to, category, _ in _mails(app)] == [
        ("amina@example.org", "password_reset")] * 2


def test_beyond_the_hourly_links_of_an_account_the_page_stays_the_same(app, client, make_user):
    make_user(username="Amina", email="amina@example.org")
    pages = [_main(_forgot(client, "amina")) for _ in range(5)]
    assert len(set(pages)) == 1
    assert len(_mails(app)) == 3


def test_an_empty_request_is_refused_beside_the_field(client):
    response = client.post_form("/auth/forgot", {"login": "  "})
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "login")


def test_too_many_requests_from_one_address_get_the_same_friendly_page(separate_app):
    """Per IP: the eleventh request of the hour is refused whatever it asks for, with the
    same page for a known and an unknown address."""
    app = separate_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
        db.session.remove()
    client = app.test_client()
    statuses = [client.post_form("/auth/forgot", {"login": f"someone{n}@example.org"})
                .status_code for n in range(10)]
    assert statuses == [302] * 10
    known, unknown = (client.post_form("/auth/forgot", {"login": login})
                      for login in ("amina@example.org", "nobody@example.org"))
    assert known.status_code == unknown.status_code == 429
    assert _main(known) == _main(unknown)
    assert "Wait a few minutes before trying again." in _main(known)
    assert _mails(app) == []


def test_a_reset_through_the_pages_signs_out_every_other_device(app, make_user, login):
    name = make_user()
    phone = login(app.test_client(), name)
    client = app.test_client()
    _forgot(client, name)
    link = _link(app)
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    assert f"@{name}" in _main(page)
    assert field_names(page.get_data(as_text=True)) == ["csrf_token", "password", "confirm"]
    response = client.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "Your password is changed. Sign in with it." in client.get("/auth/login").get_data(
        as_text=True)
    assert not _signed_in(phone)
    login(client, name, NEW_PASSWORD)
    assert _signed_in(client)
    # The used link now gives the clear page, which points to a new request.
    again = client.get(link)
    assert again.status_code == 404
    assert EXPIRED in _main(again) and 'href="/auth/forgot"' in _main(again)
    assert again.headers["Referrer-Policy"] == "no-referrer"
    posted = client.post_form(link, {"password": "third secret 123", "confirm":
                                     "third secret 123"})
    assert posted.status_code == 404 and EXPIRED in _main(posted)
    assert _signed_in(client)


def test_a_refused_new_password_keeps_the_link(app, client, make_user):
    name = make_user()
    _forgot(client, name)
    link = _link(app)
    response = client.post_form(link, {"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "password")
    response = client.post_form(link, {"password": NEW_PASSWORD, "confirm": "other secret 1"})
    assert field_errors(response.get_data(as_text=True), "confirm") == [
        "The two passwords differ."]
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("token", ["unknown-token", "A" * 43, "x" * 300])
def test_an_unknown_link_shows_the_clear_page(client, token):
    for response in (client.get(f"/auth/reset/{token}"),
                     client.post_form(f"/auth/reset/{token}",
                                      {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})):
        assert response.status_code == 404
        assert EXPIRED in _main(response)
        assert response.headers["Referrer-Policy"] == "no-referrer"
    response = client.get(f"/auth/email/{token}")
    assert response.status_code == 404 and EXPIRED in _main(response)


def test_a_password_change_keeps_this_device_and_signs_out_the_others(app, make_user, login):
    name = make_user()
    here, there = login(app.test_client(), name), login(app.test_client(), name)
    response = here.post_form("/auth/password", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_in(here) and not _signed_in(there)


def _profile(client, email, **changes):
    data = {"display_name": "Amina", "email": email, "organisation": "", "country": "",
            "locale": "", "bio": ""}
    data.update(changes)
    return client.post_form("/auth/profile", data)


def test_a_new_email_is_used_only_once_confirmed_by_its_link(app, user_client):
    member = user_client()
    old = f"{member.username}@example.org"
    assert _profile(member, "amina.k@example.org").status_code == 400  # no password given
    response = _profile(member, "amina.k@example.org", current_password=PASSWORD)
    assert response.status_code == 302
    page = member.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your new address: we sent a link to amina.k@example.org." in page
    assert [(to, category) for to, category, _ in _mails(app)] == [
        ("amina.k@example.org", "email_change"), (old, "email_change")]
    with app.app_context():
        assert services.get_user_by_username(member.username).email == old
    page = member.get("/auth/profile").get_data(as_text=True)
    assert "Waiting for confirmation: <bdi>amina.k@example.org</bdi>" in page
    link = EMAIL_RE.search(_mails(app)[0][2]).group(0)
    # Opening the link shows a button: a mail scanner that follows links changes nothing.
    shown = member.get(link)
    assert shown.status_code == 200 and shown.headers["Referrer-Policy"] == "no-referrer"
    assert "amina.k@example.org" in _main(shown)
    with app.app_context():
        assert services.get_user_by_username(member.username).email == old
    response = member.post_form(link)
    assert response.status_code == 302
    assert "Your e-mail address is now amina.k@example.org." in member.get(
        response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert services.get_user_by_username(member.username).email == "amina.k@example.org"
    assert EXPIRED in _main(member.get(link))


def test_a_link_for_an_address_taken_meanwhile_says_so(app, make_user, user_client):
    member = user_client()
    _profile(member, "shared@example.org", current_password=PASSWORD)
    link = EMAIL_RE.search(_mails(app)[0][2]).group(0)
    make_user(username="Other", email="shared@example.org")
    response = member.post_form(link)
    assert response.status_code == 404
    assert "Another account took this address meanwhile" in _main(response)
    with app.app_context():
        assert services.get_user_by_username(member.username).email != "shared@example.org"


def test_only_an_administrator_sees_and_uses_the_reset_button(app, make_user, user_client):
    name = make_user(username="Amina", email="amina@example.org")
    button = "Send a password reset link"
    action = f'action="/auth/users/{name}/reset-link"'
    for role in ("member", "moderator"):
        other = user_client(role)
        page = other.get(f"/users/{name}").get_data(as_text=True)
        assert button not in page and action not in page
        assert other.post_form(f"/auth/users/{name}/reset-link").status_code == 403
    assert app.test_client().post_form(f"/auth/users/{name}/reset-link").status_code == 302
    assert _mails(app) == []
    admin = user_client("admin")
    page = admin.get(f"/users/{name}").get_data(as_text=True)
    assert button in page and action in page
    assert admin.post(f"/auth/users/{name}/reset-link").status_code == 400  # no CSRF token
    response = admin.post_form(f"/auth/users/{name}/reset-link")
    assert response.status_code == 302 and response.headers["Location"] == f"/users/{name}"
    assert "A link to choose a new password was sent to the e-mail address of Amina." in \
        admin.get(f"/users/{name}").get_data(as_text=True)
    assert [(to, category) for to, category, _ in _mails(app)] == [
        ("amina@example.org", "password_reset")]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target_id, entry.actor.username) == (
            "password_reset_sent", services.get_user_by_username(name).id, admin.username)
        assert db.session.scalars(select(AccountToken)).one().used_at is None
        db.session.remove()
    log = admin.get("/moderation/log").get_data(as_text=True)
    assert "sent a password reset link" in log
