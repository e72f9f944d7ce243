"""Behind a reverse proxy: TRUSTED_PROXIES=N takes the client's address and scheme from the
X-Forwarded-* headers the last N proxies added; by default (0) those headers are ignored, since
anyone can send them."""
from core.accounts import services
from core.extensions import db
from tests.conftest import PASSWORD


def _proxied_app(separate_app, trusted):
    app = separate_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=trusted)
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
        db.session.remove()
    return app


def _failed_sign_in(client, address):
    return client.post_form("/auth/login", {"username": "Amina", "password": "guess"},
                            headers={"X-Forwarded-For": address}).status_code


def test_with_one_trusted_proxy_each_forwarded_address_has_its_own_limit(separate_app):
    client = _proxied_app(separate_app, 1).test_client()
    assert [_failed_sign_in(client, "203.0.113.7") for _ in range(21)] == [400] * 20 + [429]
    assert _failed_sign_in(client, "198.51.100.9") == 400


def test_by_default_the_forwarded_address_is_ignored(separate_app):
    """Otherwise anyone could pick a new address for each guess."""
    client = _proxied_app(separate_app, 0).test_client()
    assert [_failed_sign_in(client, f"203.0.113.{n}") for n in range(21)] == [400] * 20 + [429]


def test_a_forged_header_before_the_trusted_proxy_is_ignored(separate_app):
    """With one proxy, only the address it appended counts, not what the client wrote."""
    client = _proxied_app(separate_app, 1).test_client()
    statuses = [_failed_sign_in(client, f"10.0.0.{n}, 203.0.113.7") for n in range(21)]
    assert statuses == [400] * 20 + [429]


def test_https_at_the_proxy_makes_secure_pages(separate_app):
    trusted = separate_app(TRUSTED_PROXIES=1).test_client()
    response = trusted.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    untrusted = separate_app().test_client()
    assert "Strict-Transport-Security" not in untrusted.get(
        "/", headers={"X-Forwarded-Proto": "https"}).headers
