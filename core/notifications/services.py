"""Notifications: written in the transaction of what caused them, read on the user's page."""
import functools
from dataclasses import dataclass
from typing import Any

from flask_babel import ngettext
from sqlalchemy import String, bindparam, cast, func, or_, select, update

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
    """How many lines of unread notifications `user` has, counted as the notifications page
    shows them: notifications of one kind sharing a group key are one line ("3 new answers
    on ..."), any other unread notification is a line of its own."""
    if user is None or not user.is_authenticated:
        return 0
    return db.session.scalar(_unread_lines(), {"recipient_id": user.id})


@functools.cache
def _unread_lines():
    # Built once (every signed-in page counts): building the statement and its cache key cost
    # more than running it.
    line = func.coalesce(Notification.group_key, "#" + cast(Notification.id, String))
    grouped = (select(Notification.kind, line)
               .where(Notification.recipient_id == bindparam("recipient_id"),
                      Notification.read_at.is_(None))
               .group_by(Notification.kind, line).subquery())
    return select(func.count()).select_from(grouped)


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


@dataclass(frozen=True)
class Line:
    """One line of the notifications page: `shown` (the newest notification of the line, whose
    title and link the line gives) stands for `count` notifications of one kind and group, all
    unread, or a single one. `sentence` comes before the title: the kind's own for one
    notification, its `many(count)` for a group. `open_id` is the notification whose opening
    marks the line read."""

    shown: Shown
    withheld: bool
    count: int
    sentence: Any

    @property
    def open_id(self):
        return self.shown.notification.id

    @property
    def read_at(self):
        return self.shown.read_at

    @property
    def created_at(self):
        return self.shown.created_at


def _group_sentence(kind, count):
    if kind is not None and kind.many is not None:
        return kind.many(count)
    return ngettext("%(num)s new notification about", "%(num)s new notifications about", count)


def lines(user, limit=PAGE_SIZE):
    """The user's latest notifications as the page shows them, newest first: the unread ones
    of one kind sharing a group key (answers to one question) become one Line with their
    count, placed where the newest of them is; read ones and ungrouped ones stay one a line.

    A line's title and link are those of its newest notification its reader may see; the
    count leaves out those withheld (an answer hidden since), and a line whose every
    notification is withheld shows the kind's `hidden` text."""
    pairs = recent(user, limit)
    groups = {}
    for shown, withheld in pairs:
        note = shown.notification
        if note.read_at is None and note.group_key is not None:
            groups.setdefault((note.kind, note.group_key), []).append((shown, withheld))
    result, placed = [], set()
    for shown, withheld in pairs:
        note = shown.notification
        key = (note.kind, note.group_key)
        if note.read_at is not None or note.group_key is None or len(groups[key]) == 1:
            result.append(Line(shown, withheld, 1, shown.sentence))
            continue
        if key in placed:
            continue
        placed.add(key)
        members = groups[key]
        visible = [pair for pair in members if not pair[1]]
        newest, newest_withheld = (visible or members)[0]
        count = len(visible) or len(members)
        if count == 1:
            result.append(Line(newest, newest_withheld, 1, newest.sentence))
        else:
            result.append(Line(newest, newest_withheld, count,
                               _group_sentence(get_kind(note.kind), count)))
    return result


@transactional
def open_notification(user, notification_id):
    """Mark the notification `notification_id` of `user` read, with every unread one of its
    line (same kind and group key), and return it as (Shown, withheld) for the address to go
    to; None (nothing changed) if `user` has no such notification."""
    note = db.session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.recipient_id == user.id))
    if note is None:
        return None
    same_line = [Notification.id == note.id]
    if note.group_key is not None:
        same_line.append((Notification.kind == note.kind)
                         & (Notification.group_key == note.group_key))
    db.session.execute(update(Notification).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None),
        or_(*same_line)).values(read_at=utcnow()))
    db.session.commit()
    [pair] = shown_by_ids(user, [note.id])
    return pair
