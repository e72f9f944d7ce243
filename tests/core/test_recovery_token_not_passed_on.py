"""The reset page promises that "no link of the page passes the token on", yet the header's
"Sign in" link and the six language links carry `next=/auth/reset/<token>`: one click puts the
live token in /auth/login's and /lang/..'s addresses (access logs, history, a Referer from
pages that are not no-referrer), and the login page then redirects back to it."""
import re

from sqlalchemy import select

from core.accounts import recovery, services
from core.extensions import db
from core.mail.models import OutboxMessage
from tests.conftest import PASSWORD


def test_no_link_or_form_on_the_reset_page_carries_the_token(app, client):
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
        recovery.request_password_reset("amina@example.org")
        body = db.session.scalars(select(OutboxMessage)).all()[-1].text_body
        token = re.search(r"/auth/reset/([A-Za-z0-9_-]+)", body).group(1)
    html = client.get(f"/auth/reset/{token}").get_data(as_text=True)
    carrying = re.findall(r'href="([^"]*' + re.escape(token) + r'[^"]*)"', html)
    assert carrying == []
