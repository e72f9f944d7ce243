"""Votes on questions and answers. Scores change by SQL increments so concurrent votes add up."""
from sqlalchemy import delete, insert, select, update

from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.timeutil import utcnow
from core.transactions import RaceLost, transactional
from forum.models import Answer, Question, Vote
from forum.permissions import allow_vote
from forum.services.threads import get_post, thread_changed

MODELS = {"question": Question, "answer": Answer}


@transactional
def vote(user, post_type, post_id, value):
    """Vote +1 or -1; the same vote again withdraws it, the other one replaces it.

    Returns the user's vote after the change (-1, 0 or 1).
    """
    if value not in (-1, 0, 1):
        raise InvalidInput(_l("A vote is up or down."))
    post = get_post(post_type, post_id, user)
    allow_vote(user, post)
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
