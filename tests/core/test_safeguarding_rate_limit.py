"""Safeguarding alerts are rate-limited, generously: a worker on a night round may raise
several, a script may not raise hundreds (forum/views/safeguarding.py, ALERT_LIMIT)."""
from sqlalchemy import func, select

from core.accounts import services
from core.extensions import db
from forum.models import SafeguardingAlert
from tests import factories
from tests.conftest import PASSWORD

ALERT_LIMIT = 30  # "30 per hour"


def test_alerts_are_rate_limited_generously(separate_app):
    app = separate_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        author = services.create_user("Amina", "amina@example.org", PASSWORD)
        services.create_user("Bilal", "bilal@example.org", PASSWORD)
        question_id = factories.question(author).id
    client = app.test_client()
    client.post_form("/auth/login", {"username": "Bilal", "password": PASSWORD})
    url = f"/questions/{question_id}/alert"
    for n in range(ALERT_LIMIT):
        assert client.post_form(url, {"note": f"Alert {n}"}).status_code == 302, n
    refused = client.post_form(url, {"note": "One too many"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(SafeguardingAlert.id))) == ALERT_LIMIT
    assert client.get(url).status_code == 200  # reading the form stays possible
