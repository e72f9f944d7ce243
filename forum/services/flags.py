"""Flags: members report posts to the moderators; the moderation queue reads them and the
moderators decide.

A post flagged as identifying a child is hidden (forum.services.hiding) as soon as a second
member confirms it, or at once when the flag is a moderator's: the moderators then decide
whether it stays hidden. Flags are counted per member in the database, so the limit holds
across every server and only counts flags that were saved.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.accounts.permissions import is_moderator
from core.audit.services import record
from core.errors import DomainError, InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications import services as notifications
from core.timeutil import utcnow
from core.transactions import transactional
from forum.models import FLAG_REASONS, Answer, Comment, Flag, Question
from forum.permissions import allow_flag, allow_moderate
from forum.services import deletion, hiding
from forum.services.threads import lock_question

IDENTIFIES_CHILD = "identifies_child"
TEXT_LENGTH = 500
# How many distinct members flagging a post as identifying a child hide it (a moderator's
# flag hides it at once).
CONFIRMATIONS = 2
# (flags, period, message): a member flags at most this many posts in each period.
LIMITS = (
    (10, timedelta(hours=1), _l("You have flagged %(num)d posts in the last hour, the most "
                                "allowed. Try again later.")),
    (20, timedelta(days=1), _l("You have flagged %(num)d posts in the last 24 hours, the most "
                               "allowed. Try again tomorrow.")),
)
DECISIONS = ("dismiss", "hide", "unhide", "delete")
# What each decision makes of the post's open flags.
STATUS_AFTER = {"dismiss": "dismissed", "unhide": "dismissed", "hide": "actioned",
                "delete": "actioned"}
# The queue shows this many posts at a time, the most urgent first.
QUEUE_SIZE = 20
_MODELS = {"question": Question, "answer": Answer, "comment": Comment}


class TooManyFlags(DomainError):
    """The member reached the flag limit of one period; the message says the figure."""

    status = 429


def _check_limits(user):
    now = utcnow()
    for number, period, message in LIMITS:
        count = db.session.scalar(select(func.count(Flag.id)).where(
            Flag.reporter_id == user.id, Flag.created_at > now - period))
        if count >= number:
            raise TooManyFlags(message % {"num": number})


def _open_flags(post_type, post_id):
    return db.session.scalars(select(Flag).where(
        Flag.target_type == post_type, Flag.target_id == post_id, Flag.status == "open")
        .order_by(Flag.created_at, Flag.id)).all()


def flag_target(user, post_type, post_id):
    """The post `user` is about to flag; NotFound for an unknown type or post, or one the user
    may not see; Forbidden for a user who may not flag."""
    post = hiding.load_post(user, post_type, post_id)
    allow_flag(user, post)
    return post


@transactional
def flag_post(user, post_type, post_id, reason, text=""):
    """`user` flags a post for `reason` (FLAG_REASONS; "other" needs `text`).

    Returns (flag, created): a member's second flag on a post that is still open returns
    their first one and changes nothing. A flag that identifies a child may hide the post
    (see the module's docstring). Raises InvalidInput naming the field, TooManyFlags.
    """
    post = flag_target(user, post_type, post_id)
    if reason not in FLAG_REASONS:
        raise InvalidInput(_l("Choose one of the reasons."), field="reason")
    text = (text or "").strip()
    if len(text) > TEXT_LENGTH:
        raise InvalidInput(_l("Write at most %(max)d characters.") % {"max": TEXT_LENGTH},
                           field="text")
    if reason == "other" and not text:
        raise InvalidInput(_l("Say what is wrong with this post."), field="text")
    question_id = hiding.thread_of(post)
    # Flaggers of one thread go one at a time: each sees the flags the one before saved, so
    # a member never has two open flags on a post and the second confirmation always hides.
    lock_question(question_id)
    for existing in _open_flags(post_type, post.id):
        if existing.reporter_id == user.id:
            return existing, False
    _check_limits(user)
    flag = Flag(target_type=post_type, target_id=post.id, question_id=question_id,
                reporter_id=user.id, reason=reason, text=text)
    db.session.add(flag)
    db.session.flush()
    if reason == IDENTIFIES_CHILD and not post.is_hidden:
        reporters = {f.reporter_id for f in _open_flags(post_type, post.id)
                     if f.reason == IDENTIFIES_CHILD}
        if is_moderator(user) or len(reporters) >= CONFIRMATIONS:
            hiding.hide(post, user, details={"by": "flags", "flags": len(reporters)})
    db.session.commit()
    return flag, True


@dataclass
class FlagGroup:
    """A post with its open flags, as the queue shows it."""

    post_type: str
    post: object
    question: Question
    flags: list = field(default_factory=list)

    @property
    def identifies_child(self):
        return any(flag.reason == IDENTIFIES_CHILD for flag in self.flags)

    @property
    def oldest(self):
        return min(flag.created_at for flag in self.flags)


class Queue(list):
    """The groups shown (a list), and how many posts have open flags in all (`total`)."""

    total = 0


def open_flag_groups(limit=QUEUE_SIZE):
    """The posts with open flags, `identifies_child` first, then the oldest flag first, each
    with its flags and its question; at most `limit` posts (Queue.total says how many)."""
    flags = db.session.scalars(
        select(Flag).where(Flag.status == "open")
        .options(joinedload(Flag.reporter), joinedload(Flag.question))
        .order_by(Flag.created_at, Flag.id)).all()
    grouped = {}
    for flag in flags:
        grouped.setdefault((flag.target_type, flag.target_id), []).append(flag)
    posts = {}
    for post_type, model in _MODELS.items():
        ids = [target_id for kind, target_id in grouped if kind == post_type]
        if ids:
            for post in db.session.scalars(select(model).where(model.id.in_(ids))
                                           .options(joinedload(model.author))):
                posts[(post_type, post.id)] = post
    groups = [FlagGroup(key[0], posts[key], items[0].question, items)
              for key, items in grouped.items() if key in posts]
    groups.sort(key=lambda group: (not group.identifies_child, group.oldest))
    queue = Queue(groups[:limit])
    queue.total = len(groups)
    return queue


@transactional
def decide(moderator, post_type, post_id, decision, reason=""):
    """A moderator's decision on a flagged post: dismiss its flags, hide it, show it again
    (which dismisses them) or delete it. Its open flags are closed with the decision, each
    flagger is told it was handled ("flag_handled"), and the decision is in the audit log. Returns how many flags it closed."""
    allow_moderate(moderator)
    if decision not in DECISIONS:
        raise InvalidInput(_l("Choose one of the decisions."), field="decision")
    post = hiding.load_post(moderator, post_type, post_id)
    reason = (reason or "").strip()[:TEXT_LENGTH]
    open_flags = _open_flags(post_type, post.id)
    details = {"flags": len(open_flags)}
    if decision == "hide":
        # Keeping a post that flags hid hidden is a decision too: the log says who took it.
        if not hiding.hide(post, moderator, reason, details):
            record(moderator, "hide", post_type, post.id, reason, dict(details, kept=True))
    elif decision == "unhide":
        hiding.unhide(post, moderator, reason, details)
    elif decision == "delete":
        if deletion.delete_loaded(moderator, post):
            record(moderator, "delete", post_type, post.id, reason, details)
    elif open_flags:
        record(moderator, "dismiss_flags", post_type, post.id, reason, details)
    now = utcnow()
    for flag in open_flags:
        flag.status = STATUS_AFTER[decision]
        flag.decision = decision
        flag.decided_by_id = moderator.id
        flag.decided_at = now
        # Each flagger hears that their flag was handled; never the moderator's reason.
        notifications.notify(flag.reporter_id, "flag_handled", flag, actor=moderator)
    db.session.commit()
    return len(open_flags)

