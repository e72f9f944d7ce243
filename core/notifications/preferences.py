"""How each member wants to hear of each kind: on the site, by e-mail at once, or in a digest."""
from sqlalchemy import select

from core.extensions import db
from core.notifications.kinds import get_kind
from core.notifications.models import CHANNELS, NotificationPreference


def channel_for(user_id, kind):
    """The channel `user_id` chose for `kind` (a Kind or its name), or the kind's default."""
    if isinstance(kind, str):
        kind = get_kind(kind)
    if kind is None:
        return "site"
    if kind.label is None:
        return kind.default_channel
    chosen = db.session.scalar(select(NotificationPreference.channel).where(
        NotificationPreference.user_id == user_id, NotificationPreference.kind == kind.name))
    return chosen if chosen in CHANNELS else kind.default_channel
