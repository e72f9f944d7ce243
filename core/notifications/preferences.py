"""How each member wants to hear of each kind: on the site, by e-mail at once, or in a digest."""
from sqlalchemy import select

from core.extensions import db
from core.notifications.kinds import all_kinds, get_kind
from core.notifications.models import CHANNELS, NotificationPreference
from core.transactions import transactional


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


class PreferenceError(ValueError):
    """A choice the preferences page cannot save: an unknown kind or channel. Nothing changed."""


def choosable(user):
    """The kinds `user` may choose a channel for: labelled, and that can reach them."""
    return [kind for kind in all_kinds() if kind.label is not None and kind.applies(user)]


def choices(user):
    """[(kind, channel)] of every kind `user` chooses for, with the channel in force (their
    choice, else the kind's default), in the order the kinds were registered."""
    kinds = choosable(user)
    chosen = dict(db.session.execute(select(
        NotificationPreference.kind, NotificationPreference.channel).where(
        NotificationPreference.user_id == user.id)).all())
    return [(kind, chosen[kind.name] if chosen.get(kind.name) in CHANNELS
             else kind.default_channel) for kind in kinds]


@transactional
def set_channels(user, channels):
    """Save `user`'s channels, {kind name: channel}, for kinds they may choose. Every pair is
    checked first: an unknown kind (or one that does not concern them) or channel raises
    PreferenceError and nothing changes. Only `user`'s own rows are written."""
    allowed = {kind.name: kind for kind in choosable(user)}
    for name, channel in channels.items():
        if name not in allowed:
            raise PreferenceError(f"unknown notification kind {name!r}")
        if channel not in CHANNELS:
            raise PreferenceError(f"unknown channel {channel!r}")
    current = {row.kind: row for row in db.session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind.in_(
            sorted(channels))))}
    for name, channel in channels.items():
        row = current.get(name)
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=name, channel=channel))
        else:
            row.channel = channel
    db.session.commit()
