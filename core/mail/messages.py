"""Turning an outbox row into the e-mail that leaves (email.message.EmailMessage).

Mail about notifications is written now, when it is sent, not when it was queued: in the
recipient's language, with only what they may still see (core.notifications.services
.shown_by_ids leaves out a post deleted, hidden or redacted since). It says what happened, the
title of what it is about, who acted and a link, never the words of a post: mailboxes are often
read on shared phones. Every header value goes through compose.one_line: no line break typed
in a title or a name can add a header.
"""
import json
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from datetime import UTC
from email.utils import format_datetime

from flask import current_app
from flask_babel import ngettext

from core.accounts.models import User
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.mail import compose, unsubscribe
from core.mail.outbox import DIGEST, NOTIFICATION
from core.notifications.services import shown_by_ids
from core.timeutil import utcnow

SUBJECT_LIMIT = 150
# Lines fold at 998 characters (RFC 5322), not 78: an unsubscribe address longer than 78
# characters would otherwise be written as encoded words, which List-Unsubscribe may not hold.
POLICY = policy.SMTP.clone(max_line_length=998)
DIGEST_SUBJECTS = {"daily": _l("Your daily digest"), "weekly": _l("Your weekly digest")}


class Withdrawn(Exception):
    """Nothing is left to tell the recipient (everything was withdrawn since, or the
    account is gone): the message is not sent."""


@dataclass(frozen=True)
class Item:
    """One line of a mail: the kind's sentence, the title, who acted, an absolute link."""

    sentence: object
    title: str
    actor: str | None
    url: str


def absolute(path):
    """A path of the site as an absolute link, from CARNETS_BASE_URL as compose does."""
    base = current_app.config.get("CARNETS_BASE_URL") or compose.DEFAULT_BASE_URL
    return base.rstrip("/") + path


def build(row):
    """The EmailMessage of `row` (an OutboxMessage). Raises Withdrawn when nothing is left
    that its recipient may see."""
    if row.category in (NOTIFICATION, DIGEST):
        return _notification_message(row)
    return _assemble(row, None, row.to_address, row.subject, row.text_body, row.html_body)


def _notification_message(row):
    recipient = db.session.get(User, row.recipient_id) if row.recipient_id else None
    if recipient is None or not recipient.email:
        raise Withdrawn("the recipient has no account or no address any more")
    payload = json.loads(row.payload or "{}")
    period = payload.get("period")
    items, kinds = [], set()
    for shown, withheld in shown_by_ids(recipient, payload.get("ids") or []):
        if withheld or not shown.title or not shown.url:
            continue
        actor = shown.notification.actor
        items.append(Item(shown.sentence or "", shown.title, actor.name if actor else None,
                          absolute(shown.url)))
        kinds.add(shown.kind)
    if not items:
        raise Withdrawn("withdrawn: nothing left the recipient may see")
    token = unsubscribe.make_token(recipient, kinds)
    unsubscribe_url = compose.mail_url("mail.unsubscribe", token=token)

    def subject():
        if period in DIGEST_SUBJECTS:
            return DIGEST_SUBJECTS[period]
        if len(items) == 1:
            first = items[0]
            return compose.one_line(f"{first.sentence} {first.title}", SUBJECT_LIMIT)
        return ngettext("%(num)d new notification", "%(num)d new notifications", len(items))

    subject_text, text, html = compose.render(
        recipient, "notifications", subject, items=items, period=period,
        unsubscribe_url=unsubscribe_url, notifications_url=compose.mail_url("notifications.index"))
    message = _assemble(row, recipient, recipient.email, subject_text, text, html)
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def _assemble(row, recipient, to_address, subject, text, html):
    config = current_app.config
    message = EmailMessage(policy=POLICY)
    message["From"] = config["MAIL_SENDER"]
    name = compose.one_line(recipient.name, 80) if recipient is not None else ""
    message["To"] = Address(display_name=name, addr_spec=compose.one_line(to_address, 254))
    message["Subject"] = compose.one_line(subject, 250)
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    message["Message-ID"] = compose.one_line(row.message_id, 200)
    message["Auto-Submitted"] = "auto-generated"
    if recipient is not None:
        message["Content-Language"] = compose.locale_of(recipient)
    # Quoted-printable: readable, and no server needs to take 8-bit mail.
    message.set_content(text or "", cte="quoted-printable")
    if html:
        message.add_alternative(html, subtype="html", cte="quoted-printable")
    return message

