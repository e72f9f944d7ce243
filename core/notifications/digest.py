"""Digests: once a day (or a week), one mail per member gathering the notifications of the
kinds they chose to hear of that way (`flask --app wsgi mail digest --period daily`).

Only unread notifications go in a digest: one the member already opened on the site is news
to nobody, and a digest read on an expensive connection should carry only what is new.
A notification is taken by setting its `mailed_at` with a conditional UPDATE (`mailed_at IS
NULL`): of two runs at once (two servers' cron), the second waits for the first's commit and
then finds nothing left to take, so no notification is ever queued twice and a second run
queues nothing. Withheld notifications (a post deleted or hidden since) are left out and not
taken; the sender checks again when it writes the mail.
"""
from sqlalchemy import and_, exists, false, or_, select, update
from sqlalchemy.orm import aliased

from core.accounts.models import User
from core.extensions import db
from core.mail import outbox
from core.notifications import services
from core.notifications.kinds import all_kinds
from core.notifications.models import CHANNELS, Notification, NotificationPreference
from core.timeutil import utcnow
from core.transactions import transactional

PERIODS = ("daily", "weekly")
# Members gathered in one transaction.
BATCH = 100


def _on_period(period):
    """SQL condition: the notification's recipient hears of its kind by the `period` digest
    (their choice for a labelled kind, else the kind's default, as preferences.channel_for)."""
    chosen = aliased(NotificationPreference)

    def choice(channels):
        return exists().where(chosen.user_id == Notification.recipient_id,
                              chosen.kind == Notification.kind, chosen.channel.in_(channels))

    kinds = all_kinds()
    labelled = {kind.name for kind in kinds if kind.label is not None}
    by_default = {kind.name for kind in kinds if kind.default_channel == period}
    others = [channel for channel in CHANNELS if channel != period]
    conditions = [
        Notification.kind.in_(sorted(by_default - labelled)),
        and_(Notification.kind.in_(sorted(by_default & labelled)), ~choice(others)),
        and_(Notification.kind.in_(sorted(labelled - by_default)), choice([period])),
    ]
    return or_(false(), *conditions)


def _pending(period):
    """The conditions of a notification waiting for the `period` digest."""
    return (Notification.mailed_at.is_(None), Notification.read_at.is_(None),
            _on_period(period))


def recipients(period):
    """Ids of the members with at least one notification waiting for the `period` digest."""
    return db.session.scalars(select(Notification.recipient_id).where(*_pending(period))
                              .distinct().order_by(Notification.recipient_id)).all()


@transactional
def gather_batch(period, user_ids):
    """Queue one `period` digest for each member of `user_ids` with something to tell, in one
    transaction; returns how many were queued."""
    queued = 0
    users = db.session.scalars(select(User).where(User.id.in_(sorted(user_ids)))
                               .order_by(User.id)).all()
    for user in users:
        if not user.email:
            continue
        ids = db.session.scalars(select(Notification.id).where(
            Notification.recipient_id == user.id, *_pending(period))).all()
        visible = [shown.notification.id
                   for shown, withheld in services.shown_by_ids(user, ids) if not withheld]
        if not visible:
            continue
        # The claim: only what no other run took meanwhile.
        taken = db.session.execute(
            update(Notification).where(Notification.id.in_(visible),
                                       Notification.mailed_at.is_(None))
            .values(mailed_at=utcnow()).returning(Notification.id)
            .execution_options(synchronize_session=False)).scalars().all()
        if taken:
            outbox.queue_notifications(user, taken, period)
            queued += 1
    db.session.commit()
    return queued


def gather(period):
    """Queue the `period` digests of every member ("daily" or "weekly"), a batch of members a
    transaction; returns how many digests were queued. Safe to run twice, or on several
    servers at once."""
    if period not in PERIODS:
        raise ValueError(f"a digest is daily or weekly, not {period!r}")
    user_ids = recipients(period)
    queued = 0
    for start in range(0, len(user_ids), BATCH):
        queued += gather_batch(period, user_ids[start:start + BATCH])
    return queued
