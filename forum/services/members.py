"""What moderators and administrators do to accounts: warn the author of a post, suspend and
lift a suspension, change a role. Each checks its rule, then writes the change and its audit
entry in one transaction."""
from datetime import timedelta

from core.accounts import services as accounts
from core.audit import services as audit
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications.services import notify
from core.timeutil import utcnow
from core.transactions import transactional
from forum.models import Answer, Comment, ModeratorWarning, Question
from forum.permissions import allow_change_role, allow_suspend, allow_warn

# The lengths a moderator chooses from: a fixed list, so that no typed date can suspend
# someone for a century by mistake. {key: (label, length)}
DURATIONS = {
    "1d": (_l("1 day"), timedelta(days=1)),
    "3d": (_l("3 days"), timedelta(days=3)),
    "7d": (_l("7 days"), timedelta(days=7)),
    "30d": (_l("30 days"), timedelta(days=30)),
    "1y": (_l("1 year"), timedelta(days=365)),
}
POST_MODELS = {"question": Question, "answer": Answer, "comment": Comment}
REASON_LENGTH = 1000
WARNING_LENGTH = 2000
REASON_REQUIRED = _l("Write the reason: the member will read it.")


def _text(value, field, length, required_message):
    text = (value or "").replace("\x00", "").strip()
    if not text:
        raise InvalidInput(required_message, field=field)
    if len(text) > length:
        raise InvalidInput(_l("Keep it under %(count)s characters.", count=length), field=field)
    return text


def suspend_member(moderator, member, duration, reason):
    """Suspend `member` for one of DURATIONS with `reason` (which they read when signing in);
    their sessions end. Raises Forbidden (allow_suspend) or InvalidInput naming the field."""
    allow_suspend(moderator, member)
    if duration not in DURATIONS:
        raise InvalidInput(_l("Choose one of the lengths offered."), field="duration")
    reason = _text(reason, "reason", REASON_LENGTH, REASON_REQUIRED)
    until = utcnow() + DURATIONS[duration][1]
    # accounts.suspend_user owns the commit, the audit entry and the end of the sessions.
    accounts.suspend_user(member, until, reason, actor=moderator)
    return until


def lift_suspension(moderator, member, reason=""):
    """End `member`'s suspension now (audited; nothing happens when they are not suspended)."""
    allow_suspend(moderator, member)
    reason = (reason or "").replace("\x00", "").strip()
    if len(reason) > REASON_LENGTH:
        raise InvalidInput(_l("Keep it under %(count)s characters.", count=REASON_LENGTH),
                           field="reason")
    accounts.suspend_user(member, None, reason, actor=moderator)


def change_role(admin, member, role, reason):
    """Give `member` a role (administrators only; the last administrator keeps theirs)."""
    allow_change_role(admin, member)
    reason = _text(reason, "reason", REASON_LENGTH,
                   _l("Write why the role changes: it is kept in the audit log."))
    accounts.set_role(member, role, actor=admin, reason=reason)


def warned_post(member, post_type, post_id):
    """The question, answer or comment `post_id` written by `member`, or None when no post is
    named; raises NotFound for a post that does not exist or is someone else's."""
    if not post_type and post_id is None:
        return None
    model = POST_MODELS.get(post_type)
    post = db.session.get(model, post_id) if model is not None and post_id else None
    if post is None or post.author_id != member.id:
        raise NotFound()
    return post


@transactional
def warn_member(moderator, member, message, post_type=None, post_id=None):
    """Warn `member` (about one of their posts, when named) with `message`, which only they
    read, on their notifications page; audited as "warn"."""
    allow_warn(moderator, member)
    post = warned_post(member, post_type, post_id)
    message = _text(message, "message", WARNING_LENGTH,
                    _l("Write the message the member will read."))
    warning = ModeratorWarning(user_id=member.id, moderator_id=moderator.id,
                               target_type=post.post_type if post else None,
                               target_id=post.id if post else None, message=message)
    db.session.add(warning)
    db.session.flush()
    notify(member.id, "warning", warning, actor=moderator)
    details = {"warning": warning.id}
    if post is not None:
        details.update(post_type=post.post_type, post_id=post.id)
    audit.record(moderator, "warn", "user", member.id, reason=message, details=details)
    db.session.commit()
    return warning
