"""Answering a question, editing an answer, and accepting one."""
from sqlalchemy import update

from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications import services as notifications
from core.revisions import add_revision, check_base
from core.timeutil import utcnow
from core.transactions import RaceLost, transactional
from core.validation import check_length
from forum.models import Answer, Question
from forum.permissions import allow_accept, allow_answer, allow_edit
from forum.services import follows, mentions, notices
from forum.services.limits import BODY_LENGTH, SUMMARY_LENGTH
from forum.services.threads import get_answer, get_question, thread_changed


@transactional
def post_answer(author, question_id, body):
    """Answer a visible, open question; updates its counters and activity."""
    question = get_question(question_id, author)
    allow_answer(author, question)
    body = check_length(body, BODY_LENGTH, "body")
    now = utcnow()
    body_html, mentioned = mentions.render(body)
    answer = Answer(question_id=question.id, body=body, body_html=body_html,
                    author=author, created_at=now, score=0)
    db.session.add(answer)
    db.session.flush()
    db.session.execute(update(Question).where(Question.id == question.id).values(
        answer_count=Question.answer_count + 1, last_activity_at=now))
    add_revision("answer", answer.id, author, body)
    notices.answer_posted(answer, author, mentioned)
    follows.auto_follow(author.id, question.id)
    thread_changed(question.id)
    db.session.commit()
    return answer


@transactional
def edit_answer(editor, answer_id, body, summary="", base_revision=None):
    """Save a new version of an answer; EditConflict when `base_revision` is not the newest."""
    answer = get_answer(answer_id, editor)
    allow_edit(editor, answer)
    check_base("answer", answer.id, base_revision)
    body = check_length(body, BODY_LENGTH, "body")
    if body == answer.body:
        raise InvalidInput(_l("Nothing was changed."))
    apply_answer_text(answer, editor, body, (summary or "").strip()[:SUMMARY_LENGTH],
                      base_revision)
    db.session.commit()
    return answer


def apply_answer_text(answer, editor, body, summary, base=None):
    """Make this text the answer's current one, as a new revision, in the current
    transaction (the caller checked it and commits)."""
    now = utcnow()
    old_body = answer.body
    answer.body, answer.edited_at = body, now
    answer.body_html, mentioned = mentions.render(body)
    db.session.execute(update(Question).where(Question.id == answer.question_id)
                       .values(last_activity_at=now))
    thread_changed(answer.question_id)
    add_revision("answer", answer.id, editor, body, summary=summary, base=base)
    notices.post_edited(answer, editor, mentioned, old_body)


@transactional
def accept_answer(user, answer_id):
    """Mark the answer that worked; accepting it again withdraws the mark."""
    answer = get_answer(answer_id, user)
    question = get_question(answer.question_id, user)
    allow_accept(user, answer)
    current = question.accepted_answer_id
    accepted = None if current == answer.id else answer.id
    # Conditional on the mark read above: of two acceptances at once, the loser starts again.
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
