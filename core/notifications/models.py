"""The notification table. Models never commit."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.extensions import db
from core.timeutil import utcnow


class Notification(db.Model):
    """Something a user should know about: an accepted answer, an answer promoted into an
    article... It names its subject (a type of row and its id), not its words: the kind's
    package gives the title and the link when it is read, so that an edit, a new address or a
    deletion shows at once (core.notifications.kinds)."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient_id_created_at", "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # A generic reference, not a foreign key: core does not know the tables of the packages
    # that register kinds.
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column()
    # What notifications showed before they had subjects: kept only on an old row whose
    # subject the migration could not find (3fee89ab4d96), shown as it was.
    title: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    # What several notifications share, so that they show as one line ("3 new answers on
    # ..."): the kind's `group(row)`, e.g. "question:12".
    group_key: Mapped[str | None] = mapped_column(String(40))
    # When a mail (at once, or a digest) took it: a digest never repeats what was mailed.
    mailed_at: Mapped[datetime | None] = mapped_column()

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


CHANNELS = ("site", "instant", "daily", "weekly")


class NotificationPreference(db.Model):
    """How a member wants to hear of one kind of notification: on the site only, by e-mail at
    once, or in a daily or weekly digest. No row: the kind's default."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
