"""Soft deletion of questions, answers and comments, and undoing it, with their counters."""
from sqlalchemy import update

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


@transactional
def delete_post(user, post_type, post_id):
    """Soft-delete a question, answer or comment; nothing leaves the database."""
    post = _load_for_deletion(user, post_type, post_id)
    if post.is_deleted:
        return post
    # Counters move only with the write that wins, so two clicks at once count once.
    _soft_delete_write(post, utcnow(), user.id)
    if post_type == "question":
        tag_service.adjust_counts([tag.id for tag in post.tags], -1)
    elif post_type == "answer":
        db.session.execute(update(Question).where(Question.id == post.question_id).values(
            answer_count=Question.answer_count - 1))
        db.session.execute(update(Question).where(
            Question.id == post.question_id, Question.accepted_answer_id == post.id).values(
            accepted_answer_id=None))
    post_deleted.send(post, post_type=post_type, actor=user)
    db.session.commit()
    return post


@transactional
def undelete_post(user, post_type, post_id):
    """Bring a soft-deleted post back, with its counters."""
    post = _load_for_deletion(user, post_type, post_id)
    if not post.is_deleted:
        return post
    _soft_delete_write(post, None, None)
    if post_type == "question":
        tag_service.adjust_counts([tag.id for tag in post.tags], +1)
    elif post_type == "answer":
        db.session.execute(update(Question).where(Question.id == post.question_id)
                           .values(answer_count=Question.answer_count + 1))
    db.session.commit()
    return post
