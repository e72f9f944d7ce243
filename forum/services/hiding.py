"""Hidden posts: a moderator (or members confirming that a post identifies a child, see
forum.services.flags) takes a question, answer or comment out of everyone's sight but its
author's and the moderators', without deleting it, and can show it again.

A hidden post is not live (HideMixin.is_live), like a deleted one: the same rule keeps it out
of pages, lists, counts, search and notifications. Each change is written in the audit log
in its own transaction, and the thread's cached page and search document follow.
"""
from sqlalchemy import update

from core.audit.services import record
from core.errors import NotFound
from core.extensions import db
from core.ids import MAX_ID
from core.timeutil import utcnow
from core.transactions import RaceLost, transactional
from forum.models import Comment, Question
from forum.permissions import allow_moderate
from forum.services.deletion import adjust_live_counters
from forum.services.signals import post_hidden
from forum.services.threads import get_comment, get_post, thread_changed

POST_TYPES = ("question", "answer", "comment")


def thread_of(post):
    """The id of the question whose page shows `post`."""
    if isinstance(post, Comment):
        return post.thread_id
    return post.id if isinstance(post, Question) else post.question_id


def load_post(viewer, post_type, post_id):
    """The question, answer or comment as `viewer` may see it; NotFound for an unknown type,
    a missing post or one the viewer may not see."""
    if post_type not in POST_TYPES or not (isinstance(post_id, int) and 1 <= post_id <= MAX_ID):
        raise NotFound()
    if post_type == "comment":
        return get_comment(post_id, viewer)
    return get_post(post_type, post_id, viewer)


def _write_hidden(post, hidden_at, hidden_by_id):
    """Flip the hidden stamp only if nobody flipped it first; raises RaceLost otherwise."""
    model = type(post)
    was_hidden = post.is_hidden
    result = db.session.execute(
        update(model).where(model.id == post.id,
                            model.hidden_at.is_not(None) if was_hidden
                            else model.hidden_at.is_(None))
        .values(hidden_at=hidden_at, hidden_by_id=hidden_by_id)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RaceLost()
    db.session.expire(post, ["hidden_at", "hidden_by_id"])
    thread_changed(thread_of(post))


def hide(post, actor, reason="", details=None):
    """Hide `post` in the current transaction, audited as "hide" by `actor` (a User, or None
    for the system); the caller commits. Returns False if it was hidden already."""
    if post.is_hidden:
        return False
    was_deleted = post.is_deleted
    _write_hidden(post, utcnow(), getattr(actor, "id", None))
    if not was_deleted:  # a deleted post was counted out when it was deleted
        adjust_live_counters(post, -1)
    record(actor, "hide", post.post_type, post.id, reason, details)
    post_hidden.send(post, post_type=post.post_type, actor=actor)
    return True


def unhide(post, actor, reason="", details=None):
    """Show a hidden `post` again in the current transaction, audited as "unhide"; the caller
    commits. Returns False if it was not hidden."""
    if not post.is_hidden:
        return False
    _write_hidden(post, None, None)
    if not post.is_deleted:
        adjust_live_counters(post, +1)
    record(actor, "unhide", post.post_type, post.id, reason, details)
    return True


@transactional
def hide_post(actor, post_type, post_id, reason=""):
    """A moderator hides a question, answer or comment (Forbidden for anyone else, NotFound
    for an unknown post). Hiding a hidden post changes nothing."""
    allow_moderate(actor)
    post = load_post(actor, post_type, post_id)
    hide(post, actor, reason)
    db.session.commit()
    return post


@transactional
def unhide_post(actor, post_type, post_id, reason=""):
    """A moderator shows a hidden question, answer or comment again."""
    allow_moderate(actor)
    post = load_post(actor, post_type, post_id)
    unhide(post, actor, reason)
    db.session.commit()
    return post
