"""Notifications: written in the transaction of what caused them, read on the user's page."""
from sqlalchemy import func, select, update
from sqlalchemy.orm import load_only

from core.extensions import db
from core.timeutil import utcnow
from core.transactions import transactional
from forum import permissions
from forum.models import Notification, Question

KINDS = ("accepted", "promoted", "article_returned", "article_published")
PAGE_SIZE = 50


def notify(recipient_id, kind, title, url, actor=None, question_id=None):
    """Queue a notification in the current transaction (the caller commits); `question_id`
    names the question it is about, if any. Nobody is notified of their own action.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if actor is not None and actor.id == recipient_id:
        return None
    notification = Notification(recipient_id=recipient_id, kind=kind, title=title[:200],
                                url=url[:300], actor_id=actor.id if actor else None,
                                question_id=question_id)
    db.session.add(notification)
    return notification


def linking_to(url):
    """The notifications that link to `url`, to rename or relink when what it names must go
    (knowledge renames an article whose title named a deleted question)."""
    return db.session.scalars(select(Notification).where(Notification.url == url)).all()


def unread_count(user):
    """How many notifications `user` has not seen yet."""
    if user is None or not user.is_authenticated:
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None)))


def recent(user, limit=PAGE_SIZE):
    """The user's latest notifications, newest first, as (notification, withheld) pairs:
    a withheld one is about a deleted question the user may not see, whose title and link
    must not be shown."""
    rows = db.session.execute(
        select(Notification, Question)
        .outerjoin(Question, Question.id == Notification.question_id)
        .options(load_only(Question.author_id, Question.deleted_at))
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
    return [(notification, question is not None and question.is_deleted
             and not permissions.can_see_post(user, question))
            for notification, question in rows]


@transactional
def mark_all_read(user):
    """Mark every notification of `user` as read."""
    db.session.execute(update(Notification).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    db.session.commit()
