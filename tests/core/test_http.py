"""HTTP policies for slow links and for safety: compression, validators, headers, error pages."""
import gc
import gzip
import re

import pytest

from core.accounts import services
from tests import factories
from tests.conftest import PASSWORD
from tests.core.htmlcheck import elements


def _directives(policy):
    """Content-Security-Policy text → {directive: [sources]}."""
    result = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0].lower()] = words[1:]
    return result


def _page_with_content(app, make_user):
    with app.app_context():
        author = services.get_user_by_username(make_user())
        question = factories.question(author)
        factories.answer(author, question.id)
        return question.id


# --- compression -------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/questions", "/auth/login"])
def test_pages_are_compressed(client, url):
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    html = gzip.decompress(response.data).decode()
    assert html.startswith("<!doctype html>")
    assert len(response.data) < len(html.encode()) / 2


def test_question_page_is_compressed(app, client, make_user):
    qid = _page_with_content(app, make_user)
    response = client.get(f"/questions/{qid}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert factories.BODY in gzip.decompress(response.data).decode()


def test_no_compression_when_the_client_does_not_ask(client):
    response = client.get("/")
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True).startswith("<!doctype html>")


# --- cache validators --------------------------------------------------------------------

@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_an_unchanged_page_is_not_sent_again(app, client, make_user, encoding):
    qid = _page_with_content(app, make_user)
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(f"/questions/{qid}", headers=headers)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag
    assert "no-cache" in first.headers["Cache-Control"]
    assert "private" in first.headers["Cache-Control"]
    again = client.get(f"/questions/{qid}", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_a_changed_page_is_sent_again(app, client, make_user):
    qid = _page_with_content(app, make_user)
    etag = client.get(f"/questions/{qid}").headers["ETag"]
    with app.app_context():
        factories.answer(services.get_user_by_username(make_user()), qid,
                         body="Another answer from the field, long enough to be accepted.")
    again = client.get(f"/questions/{qid}", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "Another answer from the field" in again.get_data(as_text=True)


def test_pages_vary_by_cookie_and_language(client):
    vary = client.get("/").headers["Vary"]
    assert "Cookie" in vary and "Accept-Language" in vary


@pytest.mark.parametrize("url", ["/", "/questions", "/tags", "/tags/trust", "/users/member1"])
def test_anonymous_reading_sets_no_cookie(app, client, make_user, url):
    _page_with_content(app, make_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_anonymous_reader_of_a_question_gets_no_cookie(app, client, make_user):
    qid = _page_with_content(app, make_user)
    response = client.get(f"/questions/{qid}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


# --- security headers --------------------------------------------------------------------

def test_content_security_policy_forbids_inline_script(client):
    policy = _directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    script_sources = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert "*" not in script_sources and "data:" not in script_sources
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/register", "/questions"])
def test_pages_need_nothing_the_policy_forbids(client, url):
    page = client.get(url).get_data(as_text=True)
    found = elements(page)
    assert not [tag for tag, _ in found if tag in ("script", "style")]
    assert not [attrs for _, attrs in found if "style" in attrs
                or any(name.startswith("on") for name in attrs)]
    # The only stylesheet is served from the site itself.
    sheets = [attrs["href"] for tag, attrs in found if tag == "link"
              and attrs.get("rel") == "stylesheet"]
    assert len(sheets) == 1 and sheets[0].startswith("/static/")


@pytest.mark.parametrize("url", ["/", "/questions/999999", "/static/style.css"])
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert _directives(response.headers["Content-Security-Policy"])["default-src"] == [
            "'none'"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly_and_samesite_lax(app, make_user):
    name = make_user()
    client = app.test_client()
    response = client.post_form("/auth/login", {"username": name, "password": PASSWORD,
                                                "remember": "y"})
    assert response.status_code == 302
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        attributes = [part.strip().lower() for part in cookies[name].split(";")]
        assert "httponly" in attributes, cookies[name]
        assert "samesite=lax" in attributes, cookies[name]


def test_cookies_are_secure_when_the_site_is_served_over_https(separate_app, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = separate_app()
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
    https = "https://localhost"
    client = app.test_client()
    token = client.get("/auth/login", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token).group(1)
    # Over HTTPS the CSRF check also wants a same-site Referer, as browsers send.
    response = client.post("/auth/login", base_url=https, headers={
        "Referer": f"{https}/auth/login"}, data={
        "username": "Amina", "password": PASSWORD, "remember": "y", "csrf_token": token})
    assert response.status_code == 302
    headers = response.headers.getlist("Set-Cookie") + client.get(
        "/lang/es", base_url=https).headers.getlist("Set-Cookie")
    assert len(headers) == 3  # session, remember_token, language
    for header in headers:
        assert "secure" in [part.strip().lower() for part in header.split(";")], header


def test_language_cookie_is_httponly_and_samesite_lax(client):
    header = client.get("/lang/es").headers["Set-Cookie"]
    attributes = [part.strip().lower() for part in header.split(";")]
    assert "httponly" in attributes and "samesite=lax" in attributes


# --- static files ------------------------------------------------------------------------

def _stylesheet_url(client):
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)


def test_stylesheet_url_changes_with_its_content(client):
    url = _stylesheet_url(client)
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{10}", url)
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


def test_stylesheet_is_cached_for_a_long_time(client):
    with client.get(_stylesheet_url(client)) as response:
        cache_control = response.headers.get("Cache-Control", "")
    match = re.search(r"max-age=(\d+)", cache_control)
    assert match, cache_control
    assert int(match.group(1)) >= 30 * 24 * 3600
    assert "no-cache" not in cache_control


# Flask-Compress compresses a static file as a stream and never closes the file it read
# (CPython closes it when the generator is collected, with a ResourceWarning): collect it
# here so that the warning is not raised in whichever test runs next.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("accept", ["gzip", "gzip, deflate", "gzip, deflate, br"])
def test_stylesheet_is_compressed(client, accept):
    """What a proxy may send, what browsers send over HTTP, then over HTTPS."""
    url = _stylesheet_url(client)
    with client.get(url) as plain:
        size = len(plain.get_data())
    with client.get(url, headers={"Accept-Encoding": accept}) as response:
        encoding = response.headers.get("Content-Encoding")
        compressed = len(response.get_data())
    del response
    gc.collect()
    assert encoding in accept.split(", ")
    assert compressed < size / 2


# --- error pages -------------------------------------------------------------------------

def _friendly(response, status, title):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    assert f"<h1>{title}</h1>" in page
    assert '<a href="/">' in page
    assert "Traceback" not in page
    return page


def test_unknown_question_is_a_friendly_404(client):
    _friendly(client.get("/questions/999999"), 404, "Page not found")
    _friendly(client.get("/questions/999999/some-slug"), 404, "Page not found")


def test_unknown_user_is_a_friendly_404(client):
    _friendly(client.get("/users/nobody_here"), 404, "Page not found")


def test_unknown_address_is_a_friendly_404(client):
    _friendly(client.get("/no/such/page"), 404, "Page not found")


def test_deleted_question_is_a_404_for_readers(app, client, user_client):
    author = user_client()
    with app.app_context():
        qid = factories.question(services.get_user_by_username(author.username)).id
    assert author.post_form(f"/questions/{qid}/delete").status_code == 302
    _friendly(client.get(f"/questions/{qid}"), 404, "Page not found")
    assert author.get(f"/questions/{qid}").status_code == 200


def test_get_on_logout_is_a_friendly_405(client):
    _friendly(client.get("/auth/logout"), 405, "This action is not available here")


def test_a_member_editing_someone_elses_question_gets_a_friendly_403(app, make_user, user_client):
    qid = _page_with_content(app, make_user)
    _friendly(user_client().get(f"/questions/{qid}/edit"), 403, "You are not allowed to do this")


@pytest.mark.parametrize("url", ["/auth/login", "/questions/ask"])
def test_too_large_a_post_is_a_friendly_413(user_client, url):
    client = user_client()
    response = client.post_form(url, {
        "title": "A question that is far too long", "body": "x" * 2_000_000, "tags": "trust",
        "lang": "en", "username": "someone", "password": "x"})
    _friendly(response, 413, "What you sent is too large")


def test_an_unexpected_error_is_a_friendly_500(separate_app):
    app = separate_app(TESTING=False)

    def broken():
        raise RuntimeError("a bug in a view")

    app.add_url_rule("/broken-for-the-test", view_func=broken)
    page = _friendly(app.test_client().get("/broken-for-the-test"), 500,
                     "Something went wrong on our side")
    assert "a bug in a view" not in page


def test_error_pages_keep_the_user_signed_in(user_client):
    client = user_client()
    page = _friendly(client.get("/questions/999999"), 404, "Page not found")
    assert "Sign out" in page


# --- crawlers (issue 13, item 8) -----------------------------------------------------------

def test_robots_txt_lets_crawlers_read_all_but_the_language_switch(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "User-agent: *\nDisallow: /lang/\n"


def test_a_page_may_read_robots_txt_from_its_own_site(client):
    """Lighthouse fetches /robots.txt from inside the page: connect-src must allow the site,
    and only the site."""
    policy = _directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["connect-src"] == ["'self'"]
