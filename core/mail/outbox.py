"""Queueing mail in the current transaction: the caller commits, so that a message exists if
and only if its cause does."""
import json
import secrets
from email.utils import make_msgid

from core.extensions import db
from core.mail.models import OutboxMessage
from core.timeutil import utcnow

NOTIFICATION = "notification"
DIGEST = "digest"


def _message_id():
    return make_msgid(idstring=secrets.token_hex(8), domain="carnets")


def queue_message(to_address, category, subject, text_body, html_body="", recipient=None):
    """Queue a message written now (an account link...): the caller rendered it in the
    recipient's language. Returns the OutboxMessage, not yet flushed."""
    message = OutboxMessage(to_address=to_address, category=category, subject=subject,
                            text_body=text_body, html_body=html_body,
                            recipient_id=recipient.id if recipient is not None else None,
                            message_id=_message_id(), next_attempt_at=utcnow())
    db.session.add(message)
    return message


def queue_notifications(recipient, notification_ids, period=None):
    """Queue a mail about these notifications, written by the sender when it sends it (so that
    it carries only what the recipient may still see then). `period`: "daily" or "weekly" for
    a digest, None for a mail at once. Payload: {"ids": [...], "period": ...}."""
    category = DIGEST if period else NOTIFICATION
    payload = {"ids": sorted(int(i) for i in notification_ids), "period": period}
    message = OutboxMessage(to_address=recipient.email, category=category,
                            payload=json.dumps(payload),
                            recipient_id=recipient.id, message_id=_message_id(),
                            next_attempt_at=utcnow())
    db.session.add(message)
    return message
