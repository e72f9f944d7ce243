"""One-click unsubscribe (RFC 8058): a signed token names a member and the kinds of
notification a mail was about; using it moves those kinds to "on the site only".

The token is the proof (no sign-in, no CSRF token: mail clients post it without cookies). It
also carries a digest of the member's address: once they change it, old links do nothing.
"""
import hashlib

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from core.notifications.kinds import all_kinds, get_kind
from core.notifications.models import NotificationPreference
from core.transactions import transactional

SALT = "unsubscribe"
ALL = "all"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _address_digest(user):
    return hashlib.sha256((user.email or "").strip().lower().encode()).hexdigest()[:16]


def make_token(user, kinds=ALL):
    """The token that unsubscribes `user` from mail about `kinds` (names), or from all."""
    scope = ALL if kinds == ALL else sorted(set(kinds))
    return _serializer().dumps([user.id, scope, _address_digest(user)])


def read_token(token):
    """(user, kinds) the token names, kinds being Kind objects the member may choose; None
    for a forged, damaged or outdated token (the address changed, the account is gone)."""
    try:
        user_id, scope, digest = _serializer().loads(token)
    except (BadData, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not (scope == ALL or isinstance(scope, list)):
        return None
    user = db.session.get(User, user_id)
    if user is None or digest != _address_digest(user):
        return None
    if scope == ALL:
        kinds = [kind for kind in all_kinds() if kind.label is not None]
    else:
        kinds = [kind for kind in map(get_kind, scope) if kind is not None and kind.label]
    return user, kinds


@transactional
def unsubscribe(user, kinds):
    """Move `kinds` to "on the site only" for `user` (an upsert: a retry after two clicks
    racing each other finds the row)."""
    for kind in kinds:
        preference = db.session.scalar(select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind.name))
        if preference is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind.name,
                                                  channel="site"))
        else:
            preference.channel = "site"
    db.session.commit()
