"""Registration, sign-in and sign-out, profile pages and password change, through HTTP."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.accounts import services
from core.accounts.models import User
from core.extensions import db
from core.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.core.forms_html import field_errors, field_names, form_errors, is_invalid

LOGIN_FAILED = "Unknown user name or wrong password."
EVIL_TARGETS = ["https://evil.example", "//evil.example", "/\\evil", "\\/evil",
                "/\t/evil.example", "///evil.example", "https:/evil.example",
                "/\n/evil.example", "javascript:alert(1)"]


def _register(client, username="Amina", email="amina@example.org", password=PASSWORD,
              confirm=None, next_url=None):
    url = "/auth/register" + (f"?next={next_url}" if next_url else "")
    return client.post_form(url, {"username": username, "email": email, "password": password,
                                  "confirm": password if confirm is None else confirm})


def _signed_in_as(client):
    """The user name the client is signed in as, or None."""
    response = client.get("/auth/profile")
    if response.status_code != 200:
        return None
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<a href="/users/([^"]+)">', page).group(1)


def _user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _suspend(app, username, days=2):
    with app.app_context():
        user = services.get_user_by_username(username)
        user.suspended_until = utcnow() + timedelta(days=days)
        db.session.commit()


# --- register ----------------------------------------------------------------------------

def test_register_form_has_the_public_field_names(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert field_names(page) == ["csrf_token", "username", "email", "password", "confirm"]


def test_register_creates_the_account_and_signs_in(app, client):
    response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with app.app_context():
        user = services.get_user_by_username("amina")
        assert (user.username, user.email, user.role) == ("Amina", "amina@example.org", "member")
    home = client.get("/").get_data(as_text=True)
    assert "Welcome to Carnets, <bdi>Amina</bdi>." in home
    assert "Sign out" in home
    assert _signed_in_as(client) == "Amina"


def test_register_then_sign_in_with_the_new_password(app, client, login):
    _register(client)
    other = app.test_client()
    login(other, "amina")
    assert _signed_in_as(other) == "Amina"


@pytest.mark.parametrize("data, field, message", [
    ({"username": "a b"}, "username", "3 to 30 letters, digits or underscores."),
    ({"username": "ab"}, "username", "3 to 30 letters, digits or underscores."),
    ({"confirm": "something else"}, "confirm", "The two passwords differ."),
    ({"password": "short", "confirm": "short"}, "password", None),
    ({"email": "not-an-address"}, "email", None),
    ({"username": ""}, "username", None),
])
def test_register_shows_errors_beside_the_field(app, client, data, field, message):
    response = _register(client, **data)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    errors = field_errors(page, field)
    assert errors, page
    if message:
        assert errors == [message]
    assert is_invalid(page, field)
    other_fields = {"username", "email", "password", "confirm"} - {field}
    assert all(field_errors(page, name) == [] for name in other_fields)
    assert _user_count(app) == 0
    assert _signed_in_as(client) is None


def test_register_refuses_a_taken_user_name_in_another_case(app, client, make_user):
    make_user(username="Amina")
    page = _register(client, username="AMINA", email="new@example.org").get_data(as_text=True)
    assert field_errors(page, "username") == ["This user name is already taken."]
    assert _user_count(app) == 1
    assert _signed_in_as(client) is None


def test_register_refuses_a_taken_email(app, client, make_user):
    make_user(username="Other", email="amina@example.org")
    page = _register(client, email="Amina@Example.org").get_data(as_text=True)
    assert field_errors(page, "email") == ["This e-mail address cannot be used."]
    assert _user_count(app) == 1


def test_register_keeps_what_was_typed_but_never_the_password(client):
    page = _register(client, username="a b", password="my secret words",
                     confirm="my secret words").get_data(as_text=True)
    assert 'value="a b"' in page
    assert 'value="amina@example.org"' in page
    assert "my secret words" not in page


def test_register_goes_to_a_local_next(client):
    response = _register(client, next_url="/questions")
    assert response.headers["Location"] == "/questions"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_register_never_redirects_off_site(client, target):
    response = client.post_form("/auth/register", {
        "username": "Amina", "email": "amina@example.org", "password": PASSWORD,
        "confirm": PASSWORD}, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- login -------------------------------------------------------------------------------

def test_login_form_has_the_public_field_names(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert field_names(page)[:3] == ["csrf_token", "username", "password"]


@pytest.mark.parametrize("name", ["Amina", "amina", "AMINA", "amina@example.org",
                                  "AMINA@example.org"])
def test_login_with_user_name_in_any_case_or_email(app, make_user, name):
    make_user(username="Amina", email="amina@example.org")
    client = app.test_client()
    response = client.post_form("/auth/login", {"username": name, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in_as(client) == "Amina"


def test_unknown_user_and_wrong_password_show_the_same_page(app, make_user):
    make_user(username="Amina")
    pages = []
    for name, password in (("Amina", "wrong password"), ("Nobody", PASSWORD),
                           ("nobody@example.org", PASSWORD)):
        client = app.test_client()
        response = client.post_form("/auth/login", {"username": name, "password": password})
        page = response.get_data(as_text=True)
        pages.append((response.status_code, form_errors(page), field_errors(page, "username"),
                      field_errors(page, "password")))
        assert _signed_in_as(client) is None
    assert pages[0] == pages[1] == pages[2]
    assert pages[0][1] == [LOGIN_FAILED]
    assert pages[0][2] == pages[0][3] == []


def test_login_never_echoes_the_password(client, make_user):
    make_user(username="Amina")
    page = client.post_form("/auth/login", {"username": "Amina", "password": "wrong secret 42"}
                            ).get_data(as_text=True)
    assert "wrong secret 42" not in page


def test_login_requires_both_fields(client):
    page = client.post_form("/auth/login", {"username": "", "password": ""}).get_data(as_text=True)
    assert field_errors(page, "username") and field_errors(page, "password")


@pytest.mark.parametrize("target", ["/questions", "/questions?sort=votes", "/users/amina",
                                    "/tags/trust"])
def test_login_goes_to_a_local_next(app, make_user, target):
    make_user(username="Amina")
    client = app.test_client()
    response = client.post_form("/auth/login", {"username": "Amina", "password": PASSWORD},
                                query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_never_redirects_off_site(app, make_user, target):
    make_user(username="Amina")
    client = app.test_client()
    response = client.post_form("/auth/login", {"username": "Amina", "password": PASSWORD},
                                query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in_as(client) == "Amina"


def test_a_page_that_needs_an_account_sends_to_login_and_back(app, make_user):
    make_user(username="Amina")
    client = app.test_client()
    response = client.get("/auth/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    login_page = client.get(response.headers["Location"])
    assert "Sign in to continue." in login_page.get_data(as_text=True)
    back = client.post_form(response.headers["Location"],
                            {"username": "Amina", "password": PASSWORD})
    assert back.headers["Location"] == "/auth/profile"


# --- suspended accounts ------------------------------------------------------------------

def test_a_suspended_user_cannot_sign_in(app, make_user):
    make_user(username="Amina")
    _suspend(app, "Amina")
    client = app.test_client()
    response = client.post_form("/auth/login", {"username": "Amina", "password": PASSWORD})
    assert response.status_code == 400
    [error] = form_errors(response.get_data(as_text=True))
    assert error.startswith("This account is suspended until ")
    assert _signed_in_as(client) is None


def test_a_suspension_ends_an_open_session(app, user_client):
    client = user_client()
    assert _signed_in_as(client) == client.username
    _suspend(app, client.username)
    assert _signed_in_as(client) is None


# --- logout ------------------------------------------------------------------------------

def test_logout_signs_out(user_client):
    client = user_client()
    response = client.post_form("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in_as(client) is None
    assert "You are signed out on every device." in client.get("/").get_data(as_text=True)


def test_logout_is_post_only(user_client):
    client = user_client()
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert _signed_in_as(client) == client.username


def test_logout_needs_the_csrf_token(user_client):
    client = user_client()
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert _signed_in_as(client) == client.username


# --- profile page and profile edit -------------------------------------------------------

def test_user_page_shows_the_profile(app, client, make_user):
    make_user(username="Amina", display_name="Amina Keita", organisation="Samu Social",
              country="CM")
    with app.app_context():
        user = services.get_user_by_username("amina")
        services.update_profile(user, "Amina Keita", "Samu Social", "CM", "fr",
                                ["fr", "es"], "Educator in Douala since 2015.")
    response = client.get("/users/Amina")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Amina Keita</h1>" in page
    assert "@Amina" in page and "Samu Social" in page and "CM" in page
    assert "Educator in Douala since 2015." in page
    assert '<bdi lang="fr">français</bdi> and <bdi lang="es">español</bdi>' in page
    assert "Edit your profile" not in page


def test_user_page_address_ignores_case(client, make_user):
    make_user(username="Amina")
    assert client.get("/users/aMINA").status_code == 200


def test_own_user_page_links_to_the_profile_edit(user_client):
    client = user_client()
    page = client.get(f"/users/{client.username}").get_data(as_text=True)
    assert 'href="/auth/profile"' in page


def test_profile_edit_saves_and_shows_the_changes(app, user_client):
    client = user_client()
    page = client.get("/auth/profile").get_data(as_text=True)
    assert {"display_name", "email", "organisation", "country", "locale", "languages",
            "bio"} <= set(field_names(page))
    response = client.post_form("/auth/profile", {
        "display_name": "Bakary Traoré", "email": f"{client.username}@example.org",
        "organisation": "Association Tous Ensemble", "country": "ml", "locale": "",
        "languages": ["fr", "mg"], "bio": "Street educator in Bamako."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/users/{client.username}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Bakary Traoré</h1>" in page
    assert "Association Tous Ensemble" in page and "ML" in page
    assert "Street educator in Bamako." in page
    assert "Your profile is saved." in page
    with app.app_context():
        user = services.get_user_by_username(client.username)
        assert (user.email, user.languages, user.locale) == (
            f"{client.username}@example.org", "fr mg", None)


def _profile(email, **changes):
    data = {"display_name": "Someone", "email": email, "organisation": "", "country": "",
            "locale": "", "bio": ""}
    data.update(changes)
    return data


def test_profile_edit_refuses_another_accounts_email(app, make_user, user_client):
    make_user(username="Other", email="other@example.org")
    client = user_client()
    response = client.post_form("/auth/profile", _profile("OTHER@example.org",
                                                          current_password=PASSWORD))
    page = response.get_data(as_text=True)
    assert field_errors(page, "email") == ["This e-mail address cannot be used."]
    with app.app_context():
        assert services.get_user_by_username(client.username).display_name != "Someone"


def test_profile_edit_refuses_a_bad_country(user_client):
    client = user_client()
    page = client.post_form("/auth/profile", _profile(f"{client.username}@example.org",
                                                      country="CMR")).get_data(as_text=True)
    assert field_errors(page, "country") == ["Two letters, e.g. CM or PE."]


def test_profile_edit_needs_an_account(client):
    assert client.get("/auth/profile").status_code == 302
    assert client.post_form("/auth/profile", _profile("x@example.org")).status_code == 302


# --- password change ---------------------------------------------------------------------

def _change(client, current=PASSWORD, new="a brand new secret", confirm=None):
    return client.post_form("/auth/password", {
        "current_password": current, "password": new,
        "confirm": new if confirm is None else confirm})


def test_password_change(app, user_client, login):
    client = user_client()
    response = _change(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/profile"
    assert "Your password is changed." in client.get("/auth/profile").get_data(as_text=True)
    fresh = app.test_client()
    login(fresh, client.username, "a brand new secret")
    refused = app.test_client().post_form("/auth/login", {"username": client.username,
                                                          "password": PASSWORD})
    assert form_errors(refused.get_data(as_text=True)) == [LOGIN_FAILED]


@pytest.mark.parametrize("changes, field, message", [
    ({"current": "not my password"}, "current_password", "The current password is wrong."),
    ({"confirm": "something else"}, "confirm", "The two passwords differ."),
    ({"new": "short"}, "password", None),
])
def test_password_change_errors_beside_the_field(app, user_client, login, changes, field,
                                                 message):
    client = user_client()
    response = _change(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = field_errors(page, field)
    assert errors and (message is None or errors == [message])
    login(app.test_client(), client.username, PASSWORD)  # the old password still works


# --- form markup -------------------------------------------------------------------------

@pytest.mark.parametrize("url, autofocused", [
    ("/auth/login", ["username"]),
    ("/auth/register", ["username"]),
    ("/auth/profile", []),
    ("/questions/ask", ["title"]),
])
def test_form_fields_carry_no_stray_attributes(user_client, url, autofocused):
    client = user_client()
    page = client.get(url).get_data(as_text=True)
    assert '="None"' not in page
    assert re.findall(r'<(?:input|select|textarea)\b[^>]*\bautofocus\b[^>]*\bname="([^"]+)"',
                      page) == autofocused
    assert 'aria-invalid="true"' not in page
