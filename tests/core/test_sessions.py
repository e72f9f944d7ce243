"""Sessions can be ended: after signing out, a password change or a suspension, the cookies
of the old session (the session cookie and the "stay signed in" cookie) sign nobody in."""
from datetime import timedelta

import pytest
from sqlalchemy import text

from core import create_app
from core.accounts import services
from core.extensions import db
from core.timeutil import utcnow
from tests.conftest import CSRF_RE, PASSWORD, test_config

REMEMBER = "remember_token"


def _sign_in(app, username, password=PASSWORD):
    """A client signed in with "stay signed in"; returns it and its two cookies' values."""
    client = app.test_client()
    response = client.post_form("/auth/login", {"username": username, "password": password,
                                                "remember": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    cookies = {name: client.get_cookie(name).value for name in ("session", REMEMBER)}
    return client, cookies


def _replay(app, **cookies):
    """A fresh client holding only the given cookies."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _is_signed_in(client):
    return client.get("/auth/profile").status_code == 200


def _old_cookies_still_sign_in(app, cookies):
    """Whether any of the captured cookies, alone or together, signs a fresh client in."""
    return {
        "both": _is_signed_in(_replay(app, **cookies)),
        "session": _is_signed_in(_replay(app, session=cookies["session"])),
        "remember": _is_signed_in(_replay(app, **{REMEMBER: cookies[REMEMBER]})),
    }


def test_old_cookies_sign_in_before_anything_ends_the_session(app, make_user):
    """The replay works at all: otherwise the tests below would prove nothing."""
    name = make_user()
    _, cookies = _sign_in(app, name)
    assert _old_cookies_still_sign_in(app, cookies) == {
        "both": True, "session": True, "remember": True}


def test_sign_out_ends_the_old_cookies(app, make_user):
    name = make_user()
    client, cookies = _sign_in(app, name)
    assert client.post_form("/auth/logout").status_code == 302
    assert _old_cookies_still_sign_in(app, cookies) == {
        "both": False, "session": False, "remember": False}


def test_sign_out_ends_the_sessions_on_other_devices_too(app, make_user):
    name = make_user()
    phone, _ = _sign_in(app, name)
    office, _ = _sign_in(app, name)
    page = phone.post_form("/auth/logout", follow_redirects=True).get_data(as_text=True)
    assert "You are signed out on every device." in page
    assert not _is_signed_in(office)
    _sign_in(app, name)  # signing in again works


def test_password_change_ends_the_old_cookies_but_keeps_this_device(app, make_user):
    name = make_user()
    client, cookies = _sign_in(app, name)
    response = client.post_form("/auth/password", {
        "current_password": PASSWORD, "password": "a brand new secret",
        "confirm": "a brand new secret"})
    assert response.status_code == 302
    assert _is_signed_in(client)
    assert _old_cookies_still_sign_in(app, cookies) == {
        "both": False, "session": False, "remember": False}
    # The device that changed the password keeps a working "stay signed in" cookie.
    assert _is_signed_in(_replay(app, **{REMEMBER: client.get_cookie(REMEMBER).value}))


def test_a_refused_password_change_ends_nothing(app, make_user):
    name = make_user()
    client, cookies = _sign_in(app, name)
    client.post_form("/auth/password", {"current_password": "not mine", "password":
                                        "a brand new secret", "confirm": "a brand new secret"})
    assert _old_cookies_still_sign_in(app, cookies)["both"]


def test_suspension_ends_the_old_cookies_even_after_it_is_lifted(app, make_user):
    name = make_user()
    _, cookies = _sign_in(app, name)
    with app.app_context():
        user = services.get_user_by_username(name)
        services.suspend_user(user, utcnow() + timedelta(days=2))
        assert _old_cookies_still_sign_in(app, cookies)["both"] is False
        services.suspend_user(user, None)
        db.session.remove()
    assert _old_cookies_still_sign_in(app, cookies) == {
        "both": False, "session": False, "remember": False}
    _sign_in(app, name)


def test_suspend_user_records_the_end(ctx, make_user):
    user = services.get_user_by_username(make_user())
    until = utcnow() + timedelta(days=2)
    services.suspend_user(user, until)
    assert user.is_suspended and user.suspended_until == until
    services.suspend_user(user, None)
    assert not user.is_suspended


@pytest.mark.parametrize("forged", ["1", "1:", ":", "x:y", "", "1:not-the-token", "²:x",
                                    "1:tökén"])
def test_a_session_id_without_the_right_token_loads_nobody(ctx, make_user, forged):
    user = services.get_user_by_username(make_user())
    assert user.id == 1
    assert services.user_for_session(forged) is None
    assert services.user_for_session(user.get_id()) is user


# --- CSRF token rotation -----------------------------------------------------------------

def test_the_csrf_token_of_before_sign_in_is_refused_after_it(app, make_user):
    """A token planted or read before sign-in (e.g. on a shared device) is worth nothing after."""
    name = make_user()
    client = app.test_client()
    before = CSRF_RE.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    response = client.post("/auth/login", data={"csrf_token": before, "username": name,
                                                "password": PASSWORD})
    assert response.status_code == 302
    stale = client.post("/auth/logout", data={"csrf_token": before})
    assert stale.status_code == 400
    assert _is_signed_in(client)
    assert client.post_form("/auth/logout").status_code == 302


# --- HSTS --------------------------------------------------------------------------------

def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_is_not_sent_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


# --- migration ---------------------------------------------------------------------------

def test_the_migration_gives_existing_users_a_token_and_a_name_key(tmp_path):
    app = create_app(test_config(tmp_path, f"sqlite:///{tmp_path / 'old.sqlite'}"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "d5cb1f5226ea"]).exit_code == 0
    with app.app_context():
        for name in ("amina", "bakary"):
            db.session.execute(text(
                "INSERT INTO \"user\" (username, username_key, display_name, email, "
                "password_hash, role, organisation, country, languages, bio, created_at) "
                "VALUES (:n, :n, :d, :e, 'x', 'member', '', '', '', '', CURRENT_TIMESTAMP)"),
                {"n": name, "d": name.upper(), "e": f"{name}@example.org"})
        db.session.commit()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.execute(text(
            'SELECT session_token, display_name_key FROM "user" ORDER BY id')).all()
        db.session.remove()
        db.engine.dispose()
    tokens = [token for token, _ in rows]
    assert len(tokens) == len(set(tokens)) == 2 and all(len(token) == 32 for token in tokens)
    assert [key for _, key in rows] == ["amina", "bakary"]
