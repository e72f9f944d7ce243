"""Who the user is and their standing: the mechanism every package's rules stand on.

Each package owns its rules in its own `permissions` module, as pairs: `allow_x(user, obj)`
raises a domain error carrying the reason shown to the user, and `can_x(user, obj)` answers
templates. Core holds no package's rule.
"""
from typing import NamedTuple

from core.errors import Forbidden
from core.i18n import lazy_gettext as _l


class Refusal(NamedTuple):
    """Why a rule says no: the domain error to raise and the message the user reads (None:
    the error's own)."""

    error: type
    message: object = None


def pair(refusal):
    """`allow_x, can_x` of a rule written once as `refusal(user, ...)`, which returns the
    Refusal that applies, or None when the user may.

    `allow_x` raises the refusal's error; `can_x` only tests for one: a page asks its rules
    for every post it shows, and building a translated error each time cost a tenth of the
    question page's time.
    """

    def allow(user, *args):
        found = refusal(_unwrapped(user), *args)
        if found is not None:
            raise found.error(found.message)

    def can(user, *args):
        return refusal(_unwrapped(user), *args) is None

    allow.__doc__ = can.__doc__ = refusal.__doc__
    return allow, can


def _unwrapped(user):
    # Views and templates pass Flask-Login's current_user, a proxy that costs a lookup at each
    # attribute a rule reads: a rule reads the user itself.
    get = getattr(user, "_get_current_object", None)
    return get() if get is not None else user


SIGN_IN = Refusal(Forbidden, _l("Sign in to do this."))
SUSPENDED = Refusal(Forbidden, _l("Your account is suspended."))


def inactive(user):
    """A signed-in user whose account is not suspended acts; the Refusal says which not."""
    if user is None or not user.is_authenticated:
        return SIGN_IN
    if user.is_suspended:
        return SUSPENDED
    return None


allow_active, can_act = pair(inactive)


def _role(user, role):
    return user is not None and user.is_authenticated and user.has_role(role)


def is_moderator(user):
    """Moderators and admins."""
    return _role(user, "moderator")


def is_expert(user):
    """Experts and everyone above them."""
    return _role(user, "expert")


def is_author(user, post):
    """The user wrote `post` (anything with an `author_id`)."""
    return user is not None and user.is_authenticated and post.author_id == user.id


NOT_ADMIN = Refusal(Forbidden, _l("Only an administrator can do this."))


def _send_reset_link(user, _member=None):
    """An active administrator may mail any member a password reset link (audited)."""
    if refusal := inactive(user):
        return refusal
    return None if user.has_role("admin") else NOT_ADMIN


allow_send_reset_link, can_send_reset_link = pair(_send_reset_link)
