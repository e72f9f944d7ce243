"""Votes and accepted answers. Scores change by SQL increments so concurrent votes add up."""
from sqlalchemy import delete, insert, select, update

from core.accounts import permissions
from core.errors import Forbidden, InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications import services as notifications
from core.timeutil import utcnow
from core.transactions import RaceLost, transactional
from forum.models import Answer, Question, Vote
from forum.services.posting import (get_answer, get_post, get_question, require_active_user,
                                    thread_changed)

MODELS = {"question": Question, "answer": Answer}


@transactional
def vote(user, post_type, post_id, value):
    """Vote +1 or -1; the same vote again withdraws it, the other one replaces it.

    Returns the user's vote after the change (-1, 0 or 1).
    """
    require_active_user(user)
    if value not in (-1, 0, 1):
        raise InvalidInput(_l("A vote is up or down."))
    post = get_post(post_type, post_id, user)
    if post.is_deleted:
        raise Forbidden(_l("You cannot vote on a deleted post."))
    if post_type == "answer" and post.question.is_deleted:
        raise Forbidden(_l("You cannot vote in a deleted question."))
    if not permissions.can_vote(user, post):
        raise Forbidden(_l("You cannot vote on your own post."))
    column = Vote.question_id if post_type == "question" else Vote.answer_id
    existing = db.session.execute(select(Vote.id, Vote.value).where(
        Vote.user_id == user.id, column == post.id)).first()
    old = existing.value if existing else 0
    new = 0 if value == old else value
    # Every write is conditional on the row still being as read: two clicks sent at once
    # must not both withdraw the same vote. A lost race starts the transaction again.
    if existing is not None:
        unchanged = (Vote.id == existing.id) & (Vote.value == old)
        statement = delete(Vote) if new == 0 else update(Vote).values(value=new)
        result = db.session.execute(statement.where(unchanged)
                                    .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise RaceLost()
    elif new != 0:
        # A concurrent insert of the same vote hits the unique constraint and is retried.
        db.session.execute(insert(Vote).values(user_id=user.id, value=new, created_at=utcnow(),
                                               **{column.key: post.id}))
    if new != old:
        model = MODELS[post_type]
        db.session.execute(update(model).where(model.id == post.id)
                           .values(score=model.score + (new - old))
                           .execution_options(synchronize_session=False))
        thread_changed(post.id if post_type == "question" else post.question_id)
    db.session.commit()
    return new


@transactional
def accept_answer(user, answer_id):
    """Mark the answer that worked; accepting it again withdraws the mark."""
    require_active_user(user)
    answer = get_answer(answer_id, user)
    question = get_question(answer.question_id, user)
    if not permissions.can_accept(user, question):
        raise Forbidden(_l("Only the person who asked, or a moderator, can accept an answer."))
    if answer.is_deleted or question.is_deleted:
        raise Forbidden(_l("You cannot accept a deleted post."))
    current = question.accepted_answer_id
    accepted = None if current == answer.id else answer.id
    result = db.session.execute(
        update(Question).where(Question.id == question.id,
                               Question.accepted_answer_id.is_(None) if current is None
                               else Question.accepted_answer_id == current)
        .values(accepted_answer_id=accepted, last_activity_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RaceLost()
    if accepted is not None:
        notifications.notify(answer.author_id, "accepted", answer, actor=user)
    thread_changed(question.id)
    db.session.commit()
    return accepted is not None


def votes_of(user, question_id, answer_ids):
    """The user's votes on a question and its answers: {('question'|'answer', id): value}."""
    if user is None or not user.is_authenticated:
        return {}
    condition = Vote.question_id == question_id
    if answer_ids:
        condition = condition | Vote.answer_id.in_(list(answer_ids))
    rows = db.session.execute(select(Vote.question_id, Vote.answer_id, Vote.value)
                              .where(Vote.user_id == user.id, condition))
    return {(("question", q) if q else ("answer", a)): value for q, a, value in rows}
