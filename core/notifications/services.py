"""Notifications: written in the transaction of what caused them, read on the user's page."""
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from core.accounts.models import User
from core.extensions import db
from core.mail import outbox
from core.notifications import preferences
from core.notifications.kinds import get_kind, subjects
from core.notifications.models import Notification
from core.timeutil import utcnow
from core.transactions import transactional
from core.urls import path_for

PAGE_SIZE = 50


def notify(recipient_id, kind, subject, actor=None):
    """Queue a notification of a registered `kind` about `subject` (a row of the kind's
    subject model) in the current transaction (the caller commits). Nobody is notified of
    their own action."""
    found = get_kind(kind)
    if found is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not isinstance(subject, found.subject.model):
        raise TypeError(f"a {kind!r} notification is about a {found.subject.model.__name__}")
    if actor is not None and actor.id == recipient_id:
        return None
    notification = Notification(recipient_id=recipient_id, kind=kind,
                                subject_type=found.subject.name, subject_id=subject.id,
                                actor_id=actor.id if actor else None,
                                group_key=found.group(subject))
    db.session.add(notification)
    if preferences.channel_for(recipient_id, found) == "instant":
        db.session.flush()
        recipient = db.session.get(User, recipient_id)
        if recipient is not None and recipient.email:
            notification.mailed_at = utcnow()
            outbox.queue_notifications(recipient, [notification.id])
    return notification


def unread_count(user):
    """How many notifications `user` has not seen yet."""
    if user is None or not user.is_authenticated:
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None)))


@dataclass(frozen=True)
class Shown:
    """A notification as its reader sees it now: its kind's sentence (None for a kind no
    package registers any more), then `title` linking to `url`, or `hidden` instead of both
    when they are withheld."""

    notification: Notification
    sentence: Any
    title: str | None
    url: str | None
    hidden: Any

    @property
    def kind(self):
        return self.notification.kind

    @property
    def created_at(self):
        return self.notification.created_at

    @property
    def read_at(self):
        return self.notification.read_at


def _subjects(notifications):
    """{(subject type, id): row} of what `notifications` are about: one query a type."""
    wanted = {}
    for notification in notifications:
        if notification.subject_id is not None:
            wanted.setdefault(notification.subject_type, set()).add(notification.subject_id)
    found = {}
    for name, subject in subjects().items():
        if name in wanted:
            model = subject.model
            rows = db.session.scalars(select(model).where(model.id.in_(sorted(wanted[name])))
                                      .options(*subject.options))
            found.update(((name, row.id), row) for row in rows)
    return found


def _show(notification, viewer, found):
    """(Shown, withheld) of one notification for `viewer`."""
    kind = get_kind(notification.kind)
    sentence = kind.sentence if kind is not None else None
    hidden = kind.hidden if kind is not None else ""
    row = found.get((notification.subject_type, notification.subject_id))
    if kind is not None and row is not None and kind.subject.name == notification.subject_type:
        if not kind.visible(viewer, row):
            return Shown(notification, sentence, None, None, hidden), True
        endpoint, values = kind.subject.link(row)
        return Shown(notification, sentence, kind.subject.title(row),
                     path_for(endpoint, **values), hidden), False
    if notification.subject_id is None and notification.url:
        # An old row whose subject was never found: shown as it was written.
        return Shown(notification, sentence, notification.title, notification.url, hidden), False
    # Its subject is gone, or no package says any more who may see it.
    return Shown(notification, sentence, None, None, hidden), True


def recent(user, limit=PAGE_SIZE):
    """The user's latest notifications, newest first, as (Shown, withheld) pairs, titled and
    linked now by the package of their kind: a withheld one is about something the user may
    not see (a deleted question), whose title and link are not given."""
    notifications = db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
    found = _subjects(notifications)
    return [_show(notification, user, found) for notification in notifications]


def shown_by_ids(user, ids):
    """The notifications of `user` among `ids`, oldest first, as (Shown, withheld) pairs, as
    they read now (a mail written when it is sent carries only what may still be seen)."""
    if not ids:
        return []
    notifications = db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id,
                                   Notification.id.in_(sorted(ids)))
        .order_by(Notification.created_at, Notification.id)).all()
    found = _subjects(notifications)
    return [_show(notification, user, found) for notification in notifications]


@transactional
def mark_all_read(user):
    """Mark every notification of `user` as read."""
    db.session.execute(update(Notification).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    db.session.commit()
