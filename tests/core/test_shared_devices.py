"""Shared devices (issue 15, item 7): the "Quick exit" link of every page, and sign-in on "a
shared device" (no "stay signed in" cookie, an idle limit, nothing kept in the browser)."""
import re

import pytest

from core.accounts import devices
from tests.conftest import PASSWORD
from tests.factories import Seed

REMEMBER = "remember_token"
EXIT_LINK = '<a class="quick-exit" href="/exit">Quick exit</a>'
ENDED = "Your session on this shared device has ended."
NEUTRAL = "https://weather.example.net/"


@pytest.fixture
def clock(monkeypatch):
    """The clock of the shared sessions, moved by hand: clock.now += 60."""

    class Clock:
        now = 1_800_000_000

    monkeypatch.setattr(devices, "_now", lambda: Clock.now)
    return Clock


@pytest.fixture
def question_url(app, make_user):
    question_id = Seed(app).question(make_user(), title="Where can a boy sleep tonight?")
    return f"/questions/{question_id}"


def _sign_in(client, username, shared=False, remember=False):
    data = {"username": username, "password": PASSWORD}
    if shared:
        data["shared_device"] = "y"
    if remember:
        data["remember"] = "y"
    response = client.post_form("/auth/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _signed_in(client):
    return client.get("/auth/profile").status_code == 200


def _cookie_deleted(response, name):
    return any(header.startswith(f"{name}=;") and "Max-Age=0" in header
               for header in response.headers.getlist("Set-Cookie"))


# --- the quick exit --------------------------------------------------------------------------

def test_every_main_page_has_the_quick_exit_link(app, client, make_user, question_url):
    member = app.test_client()
    _sign_in(member, make_user())
    for reader in (client, member):
        for url in ("/", question_url, "/search?q=sleep", "/kb", "/auth/login", "/questions",
                    "/nowhere"):
            page = reader.get(url).get_data(as_text=True)
            assert page.count(EXIT_LINK) == 1, url
            # At the top: in the header, before the page's own content.
            assert page.index(EXIT_LINK) < page.index('<main id="main">'), url


def test_quick_exit_signs_out_everywhere_and_leaves(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "CARNETS_QUICK_EXIT_URL", NEUTRAL)
    name = make_user()
    phone, office = app.test_client(), app.test_client()
    _sign_in(phone, name, remember=True)
    _sign_in(office, name)
    cookies = {cookie: phone.get_cookie(cookie).value for cookie in ("session", REMEMBER)}

    response = phone.get("/exit")  # a plain link: no form, no token
    assert response.status_code == 303
    assert response.headers["Location"] == NEUTRAL
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "ETag" not in response.headers
    assert _cookie_deleted(response, "session") and _cookie_deleted(response, REMEMBER)
    assert phone.get_cookie("session") is None and phone.get_cookie(REMEMBER) is None
    assert not _signed_in(phone)
    # As the sign-out button: the user's other sessions end, and the old cookies sign no one in.
    assert not _signed_in(office)
    for cookie, value in cookies.items():
        replay = app.test_client()
        replay.set_cookie(cookie, value)
        assert not _signed_in(replay), cookie
    _sign_in(app.test_client(), name)  # signing in again works


def test_quick_exit_for_a_visitor(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CARNETS_QUICK_EXIT_URL", NEUTRAL)
    client.get("/lang/fr")
    response = client.get("/exit")
    assert response.status_code == 303 and response.headers["Location"] == NEUTRAL
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.head("/exit").status_code == 303


def test_the_default_exit_is_a_neutral_site(client):
    assert client.get("/exit").headers["Location"] == "https://www.google.com/"


# --- signing in on a shared device -----------------------------------------------------------

def test_the_login_form_offers_the_shared_device_box_with_its_explanation(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert re.search(r'<input aria-describedby="shared_device-help" id="shared_device" '
                     r'name="shared_device" type="checkbox" value="y"> This is a shared device',
                     page)
    assert ('<small id="shared_device-help">Signs you out after 30 minutes without use and '
            'keeps no page on this device (&#34;Stay signed in&#34; is then ignored).</small>'
            ) in page
    assert 'name="username"' in page and 'name="password"' in page


def test_a_shared_device_gets_no_remember_cookie_even_when_asked(app, make_user):
    client = app.test_client()
    response = _sign_in(client, make_user(), shared=True, remember=True)
    assert client.get_cookie(REMEMBER) is None
    assert not any(h.startswith(f"{REMEMBER}=") for h in response.headers.getlist("Set-Cookie"))
    assert _signed_in(client)


def test_a_shared_sign_in_deletes_an_earlier_users_remember_cookie(app, make_user):
    client = app.test_client()
    _sign_in(client, make_user(), remember=True)
    assert client.get_cookie(REMEMBER) is not None
    client.post_form("/auth/logout")  # the earlier user forgot nothing, say; then:
    client.set_cookie(REMEMBER, "left-by-someone")
    response = _sign_in(client, make_user(), shared=True)
    assert _cookie_deleted(response, REMEMBER)
    assert client.get_cookie(REMEMBER) is None


def test_every_response_of_a_shared_session_is_stored_nowhere(app, make_user, question_url):
    client = app.test_client()
    response = _sign_in(client, make_user(), shared=True)
    assert response.headers["Cache-Control"] == "no-store"  # the redirect after sign-in
    pages = {
        "question": client.get(question_url),
        "notifications": client.get("/notifications"),
        "home": client.get("/"),
        "not found": client.get("/questions/98765"),
        "redirect": client.get("/lang/fr"),
        "method not allowed": client.get("/auth/logout"),
        "robots": client.get("/robots.txt"),
        "bad form token": client.post("/auth/logout", data={"csrf_token": "forged"}),
    }
    statuses = {name: response.status_code for name, response in pages.items()}
    assert statuses == {"question": 200, "notifications": 200, "home": 200, "not found": 404,
                        "redirect": 302, "method not allowed": 405, "robots": 200,
                        "bad form token": 400}
    for name, response in pages.items():
        assert response.headers.get("Cache-Control") == "no-store", name
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers, name
    # Still signed in, and the same page is sent whole even to a browser naming a validator.
    assert _signed_in(client)
    again = client.get(question_url, headers={"If-None-Match": '"anything"'})
    assert again.status_code == 200 and again.headers["Cache-Control"] == "no-store"


def test_the_stylesheet_stays_cached_in_a_shared_session(app, make_user):
    client = app.test_client()
    _sign_in(client, make_user(), shared=True)
    stylesheet = re.search(r'href="(/static/style\.css\?v=\w+)"',
                           client.get("/").get_data(as_text=True)).group(1)
    response = client.get(stylesheet)
    response.close()
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_a_shared_session_never_reaches_the_anonymous_page_cache(app, make_user, question_url):
    assert app.config["PAGE_CACHE_SECONDS"]
    member = app.test_client()
    name = make_user(display_name="Aminata Shared")
    _sign_in(member, name, shared=True)
    assert "Aminata Shared" in member.get(question_url).get_data(as_text=True)
    visitor = app.test_client()
    page = visitor.get(question_url)
    assert "Aminata Shared" not in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_a_normal_sign_in_keeps_the_caching_of_pages(app, make_user, question_url):
    client = app.test_client()
    response = _sign_in(client, make_user(), remember=True)
    assert client.get_cookie(REMEMBER) is not None
    assert response.headers.get("Cache-Control") != "no-store"
    page = client.get(question_url)
    assert page.headers["Cache-Control"] == "private, no-cache" and page.headers["ETag"]
    again = client.get(question_url, headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304


def test_signing_out_of_a_shared_session_ends_its_special_rules(app, make_user, clock):
    client = app.test_client()
    _sign_in(client, make_user(), shared=True)
    client.post_form("/auth/logout")
    clock.now += 3 * 3600
    page = client.get("/")
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert ENDED not in page.get_data(as_text=True)


# --- the idle limit ---------------------------------------------------------------------------

def test_a_shared_session_ends_after_the_idle_time(app, make_user, clock):
    client, name = app.test_client(), make_user()
    _sign_in(client, name, shared=True)
    captured = client.get_cookie("session").value
    # Each request within the limit keeps the session going: idle time, not time since sign-in.
    for _ in range(3):
        clock.now += 29 * 60
        assert _signed_in(client)
    clock.now += 30 * 60
    page = client.get("/")
    text = page.get_data(as_text=True)
    assert ENDED in text and "Sign in" in text
    assert page.headers["Cache-Control"] == "no-store"
    assert not _signed_in(client)
    assert ENDED not in client.get("/").get_data(as_text=True)  # said once
    # The cookie of the session, captured while it ran, is as dead.
    replay = app.test_client()
    replay.set_cookie("session", captured)
    assert not _signed_in(replay)
    _sign_in(client, name)  # signing in again works
    assert _signed_in(client)


def test_the_idle_limit_is_configurable(app, make_user, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CARNETS_SHARED_SESSION_MINUTES", 5)
    client = app.test_client()
    assert "after 5 minutes without use" in client.get("/auth/login").get_data(as_text=True)
    _sign_in(client, make_user(), shared=True)
    clock.now += 4 * 60
    assert _signed_in(client)
    clock.now += 5 * 60
    assert not _signed_in(client)


def test_a_normal_session_has_no_idle_limit(app, make_user, clock):
    client = app.test_client()
    _sign_in(client, make_user())
    clock.now += 24 * 3600
    assert _signed_in(client)


def test_the_last_request_time_is_written_at_most_once_a_minute(app, make_user, clock):
    client = app.test_client()
    _sign_in(client, make_user(), shared=True)
    client.get("/")  # the page's form token is made
    clock.now += 30
    assert not client.get("/").headers.getlist("Set-Cookie")
    clock.now += 31
    assert client.get("/").headers.getlist("Set-Cookie")


def test_a_session_ended_while_posting_asks_to_sign_in_again(app, make_user, clock,
                                                             question_url):
    client = app.test_client()
    _sign_in(client, make_user(), shared=True)
    token = client.csrf_token()
    clock.now += 31 * 60
    response = client.post(f"{question_url}/answers", data={
        "csrf_token": token, "body": "He can sleep at the night shelter on Rue X."})
    assert response.headers["Cache-Control"] == "no-store"
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert ENDED in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "night shelter" not in client.get(question_url).get_data(as_text=True)
    assert not _signed_in(client)
