"""A pending e-mail change (perhaps asked by whoever stole the password) must not survive the
owner changing that password: otherwise the thief confirms the link afterwards, moves the
account to their address and resets the password from there."""
import re

import pytest
from sqlalchemy import select

from core.accounts import recovery, services
from core.errors import InvalidInput
from core.extensions import db
from core.mail.models import OutboxMessage
from tests.conftest import PASSWORD

BASE = "https://carnets.example.org"
EMAIL_LINK_RE = re.compile(re.escape(BASE) + r"/auth/email/([A-Za-z0-9_-]+)")


def test_changing_the_password_voids_a_pending_email_change(ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "CARNETS_BASE_URL", BASE)
    user = services.create_user("Amina", "amina@example.org", PASSWORD)
    # The thief, signed in with the stolen password, asks to move the account.
    recovery.request_email_change(user, "thief@example.net", PASSWORD)
    confirm = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "thief@example.net")).one()
    token = EMAIL_LINK_RE.search(confirm.text_body).group(1)
    # Amina reads the notice at her old address and changes her password at once.
    services.change_password(user, PASSWORD, "a completely new secret")
    # The thief's link must now be dead.
    assert recovery.email_change_of(token) is None
    with pytest.raises(InvalidInput):
        recovery.confirm_email_change(token)
    db.session.rollback()
    assert db.session.get(type(user), user.id).email == "amina@example.org"


def test_a_sent_reset_mail_leaves_no_link_in_the_database(ctx, smtp):
    """Only a hash of the token is kept: once the mail has left, the outbox row keeps no body
    (a copy of the database then opens no account)."""
    from core.mail.sender import send_due

    services.create_user("Amina", "amina@example.org", PASSWORD)
    recovery.request_password_reset("amina@example.org")
    assert "/auth/reset/" in db.session.scalars(select(OutboxMessage)).one().text_body
    assert send_due()["sent"] == 1
    assert "/auth/reset/" in smtp.messages[0].get_body(("plain",)).get_content()
    db.session.expire_all()
    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.sent_at is not None and (row.text_body, row.html_body) == ("", "")
