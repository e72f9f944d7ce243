"""A member downloads her data zip at most 5 times an hour (forum/views/users.py,
EXPORT_LIMIT), counted per account: building it reads every post she wrote."""
from core.accounts import services
from tests.conftest import PASSWORD

EXPORT_LIMIT = 5  # "5 per hour"


def test_the_download_is_rate_limited_per_account(separate_app):
    app = separate_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
        services.create_user("Bilal", "bilal@example.org", PASSWORD)
    amina, bilal = app.test_client(), app.test_client()
    amina.post_form("/auth/login", {"username": "Amina", "password": PASSWORD})
    bilal.post_form("/auth/login", {"username": "Bilal", "password": PASSWORD})
    for n in range(EXPORT_LIMIT):
        response = amina.post_form("/users/Amina/export")
        assert response.status_code == 200 and response.mimetype == "application/zip", n
    refused = amina.post_form("/users/Amina/export")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert refused.headers["Cache-Control"] == "no-store"
    # Another account (from the same address) still downloads hers.
    assert bilal.post_form("/users/Bilal/export").status_code == 200
