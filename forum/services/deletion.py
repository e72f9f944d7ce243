"""Soft deletion of questions, answers and comments, and undoing it, with their counters."""
from sqlalchemy import update

from core.accounts.permissions import is_author, is_moderator
from core.audit.services import record
from core.extensions import db
from core.timeutil import utcnow
from core.transactions import RaceLost, transactional
from forum.models import Comment, Question
from forum.permissions import allow_delete
from forum.services import tags as tag_service
from forum.services.signals import post_deleted
from forum.services.threads import get_comment, get_post, thread_changed


def _soft_delete_write(post, deleted_at, deleted_by_id):
    """Flip the deleted stamp only if nobody flipped it first; raises RaceLost otherwise."""
    model = type(post)
    was_deleted = post.is_deleted
    result = db.session.execute(
        update(model).where(model.id == post.id,
                            model.deleted_at.is_not(None) if was_deleted
                            else model.deleted_at.is_(None))
        .values(deleted_at=deleted_at, deleted_by_id=deleted_by_id)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RaceLost()
    thread_changed(post.thread_id if isinstance(post, Comment) else
                   post.id if isinstance(post, Question) else post.question_id)


def _load_for_deletion(user, post_type, post_id):
    post = get_comment(post_id, user) if post_type == "comment" else get_post(
        post_type, post_id, user)
    allow_delete(user, post)
    return post


def adjust_live_counters(post, delta):
    """A post stops (`delta` -1) or starts again (+1) being live (deleted or hidden, see
    HideMixin.is_live): its tags' question counts or its question's answer count follow."""
    if post.post_type == "question":
        tag_service.adjust_counts([tag.id for tag in post.tags], delta)
    elif post.post_type == "answer":
        db.session.execute(update(Question).where(Question.id == post.question_id).values(
            answer_count=Question.answer_count + delta))


@transactional
def delete_post(user, post_type, post_id):
    """Soft-delete a question, answer or comment; nothing leaves the database."""
    post = _load_for_deletion(user, post_type, post_id)
    if delete_loaded(user, post):
        _audit_moderator(user, "delete", post)
    db.session.commit()
    return post


def _audit_moderator(user, action, post):
    """A moderator's deletion or restoration of someone else's post goes in the audit log
    (an author's own does not: it is theirs to take back)."""
    if is_moderator(user) and not is_author(user, post):
        record(user, action, post.post_type, post.id)


def delete_loaded(user, post):
    """Soft-delete `post` (loaded, its deletion allowed) in the current transaction; the
    caller commits. Returns False if it was deleted already."""
    if post.is_deleted:
        return False
    was_hidden = post.is_hidden
    # Counters move only with the write that wins, so two clicks at once count once.
    _soft_delete_write(post, utcnow(), user.id)
    if not was_hidden:  # a hidden post was counted out when it was hidden
        adjust_live_counters(post, -1)
    if post.post_type == "answer":
        db.session.execute(update(Question).where(
            Question.id == post.question_id, Question.accepted_answer_id == post.id).values(
            accepted_answer_id=None))
    post_deleted.send(post, post_type=post.post_type, actor=user)
    return True


@transactional
def undelete_post(user, post_type, post_id):
    """Bring a soft-deleted post back, with its counters."""
    post = _load_for_deletion(user, post_type, post_id)
    if not post.is_deleted:
        return post
    _soft_delete_write(post, None, None)
    if not post.is_hidden:
        adjust_live_counters(post, +1)
    _audit_moderator(user, "undelete", post)
    db.session.commit()
    return post
