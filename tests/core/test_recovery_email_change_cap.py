"""Any member who registers can make the site mail arbitrary third-party addresses: each
e-mail change request mails a confirmation to the new address, greeting it with the member's
display name (free text of their choice). The only bound is the profile form's 30 POSTs an
hour per account; reset links, by contrast, are capped at RESETS_PER_HOUR per account. The
site's mail server becomes a spam relay and its sender reputation suffers."""
from sqlalchemy import func, select

from core.accounts import recovery, services
from core.extensions import db
from core.mail.models import OutboxMessage
from tests.conftest import PASSWORD


def test_email_change_confirmations_are_capped_per_account(ctx):
    user = services.create_user("spammer", "spammer@example.org", PASSWORD,
                                display_name="Cheap pills at pills.example")
    for n in range(10):
        try:
            recovery.request_email_change(user, f"victim{n}@example.net", PASSWORD)
        except Exception:  # a refusal beyond the cap is what we want
            db.session.rollback()
    sent_to_strangers = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.to_address.like("victim%")))
    assert sent_to_strangers <= recovery.RESETS_PER_HOUR
