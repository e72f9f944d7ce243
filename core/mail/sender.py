"""Draining the outbox: safe with several senders at once, on one server or several.

A sender takes one due message at a time with a conditional UPDATE (it owns the message when
the update changed one row: another sender's claim stands until it expires), sends it, then
marks it sent. Delivery is at least once: a crash after the server accepted a message and
before it is marked sent leaves the claim to expire, and the message leaves again, with the
same Message-ID (mail clients show it once); never zero times.

A failure counts an attempt and waits before the next one (1, 5, 30 minutes, 2 hours, 12
hours); the sixth failure gives up. A permanent refusal (a 5xx answer about this recipient)
gives up at once, and the other messages still go.
"""
import logging
import secrets
from collections import Counter
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from core.extensions import db
from core.mail.messages import Withdrawn, build
from core.mail.models import OutboxMessage
from core.mail.outbox import DIGEST, NOTIFICATION
from core.mail.transport import PermanentFailure, Unreachable, open_transport
from core.timeutil import utcnow
from core.transactions import transactional

log = logging.getLogger(__name__)

CLAIM = timedelta(minutes=5)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
ERROR_LENGTH = 500
OUTCOMES = ("sent", "failed", "abandoned", "withdrawn")


def _due(now):
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.abandoned_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))


@transactional
def _candidates(limit):
    ids = db.session.scalars(select(OutboxMessage.id).where(*_due(utcnow()))
                             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                             .limit(limit)).all()
    db.session.commit()
    return ids


@transactional
def _claim(message_id, token):
    """True when this sender now owns the message: the update changed its row."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, *_due(now))
        .values(claimed_by=token, claimed_until=now + CLAIM)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _spent(row):
    """What a message written at queue time keeps once it has left or was given up: nothing
    of its body (a password reset link must not outlive its sending in the database)."""
    if row.category in (NOTIFICATION, DIGEST):
        return {}
    return {"text_body": "", "html_body": ""}


@transactional
def _finish(message_id, token, **values):
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                   OutboxMessage.claimed_by == token)
                       .values(claimed_until=None, **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


@transactional
def _failed(row, token, error, permanent=False):
    """Count a failed attempt; returns "failed" (tried again later) or "abandoned"."""
    attempts = row.attempts + 1
    # The read ends before the write: SQLite refuses at once to turn a reader into a writer
    # after another sender's commit.
    db.session.commit()
    text = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    now = utcnow()
    if permanent or attempts >= MAX_ATTEMPTS:
        _finish(row.id, token, attempts=attempts, last_error=text, abandoned_at=now,
                **_spent(row))
        return "abandoned"
    _finish(row.id, token, attempts=attempts, last_error=text,
            next_attempt_at=now + BACKOFF[attempts - 1])
    return "failed"


def send_due(limit=100):
    """Send up to `limit` due messages; {outcome: count} for OUTCOMES (messages that another
    sender took first are not counted)."""
    counts = Counter({outcome: 0 for outcome in OUTCOMES})
    token = secrets.token_hex(16)
    with open_transport(current_app.config) as transport:
        for message_id in _candidates(limit):
            if not _claim(message_id, token):
                continue
            row = db.session.get(OutboxMessage, message_id, populate_existing=True)
            try:
                message = build(row)
            except Withdrawn as withdrawn:
                _finish(row.id, token, abandoned_at=utcnow(), last_error=str(withdrawn))
                counts["withdrawn"] += 1
                continue
            except Exception as error:  # a message that cannot be written: not the others
                db.session.rollback()
                log.exception("outbox message %s could not be written", message_id)
                counts[_failed(row, token, error)] += 1
                continue
            # Nothing is held open while the mail server answers (ends a read: nothing to
            # retry; send_due itself never runs again, or a mail would leave twice).
            db.session.commit()
            try:
                transport.send(message, message["To"].addresses[0].addr_spec,
                               name=str(message_id))
            except PermanentFailure as error:
                counts[_failed(row, token, error, permanent=True)] += 1
                continue
            except Unreachable as error:
                # The next messages would wait for the same timeout: they stay due.
                log.warning("mail server unreachable: %s", error)
                counts[_failed(row, token, error)] += 1
                break
            except Exception as error:
                log.warning("outbox message %s not sent: %s", message_id, error)
                counts[_failed(row, token, error)] += 1
                continue
            _finish(row.id, token, sent_at=utcnow(), last_error="", **_spent(row))
            counts["sent"] += 1
    return dict(counts)
