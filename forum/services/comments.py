"""Comments on questions and answers, and replies to comments."""
from sqlalchemy import update

from core.errors import NotFound
from core.extensions import db
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import check_length
from forum.models import Comment, Question
from forum.permissions import allow_comment, allow_reply
from forum.services import mentions, notices
from forum.services.limits import COMMENT_LENGTH
from forum.services.threads import get_answer, get_comment, get_question, thread_changed


@transactional
def post_comment(author, body, question_id=None, answer_id=None, parent_id=None):
    """Comment on a question or an answer, or reply to a comment (the reply joins its target)."""
    body = check_length(body, COMMENT_LENGTH, "body")
    if parent_id is not None:
        parent = get_comment(parent_id, author)
        allow_reply(author, parent)
        question_id, answer_id = parent.question_id, parent.answer_id
    if answer_id is not None:
        target = get_answer(answer_id, author)
        thread_id, question_id = target.question_id, None
    elif question_id is not None:
        target = get_question(question_id, author)
        thread_id = target.id
    else:
        raise NotFound()
    allow_comment(author, target)
    now = utcnow()
    body_html, mentioned = mentions.render(body)
    comment = Comment(thread_id=thread_id, question_id=question_id, answer_id=answer_id,
                      parent_id=parent_id, body=body, body_html=body_html,
                      author=author, created_at=now)
    db.session.add(comment)
    db.session.execute(update(Question).where(Question.id == thread_id)
                       .values(last_activity_at=now))
    db.session.flush()
    notices.comment_posted(comment, author, mentioned)
    thread_changed(thread_id)
    db.session.commit()
    return comment
