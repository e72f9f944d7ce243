"""The forum's notification kinds: what it tells people about their posts.

"accepted" is about the answer (its question's title, its place on the question's page).
Kinds to come about forum posts (an answer to your question, a comment, a reply) take the same
rule: withheld from whoever may not see the post or the question they are in (deleted, or
hidden by a moderator).
"""
from sqlalchemy.orm import joinedload, load_only

from core.i18n import lazy_gettext as _l
from core.notifications.kinds import Kind, Subject, register_kind
from forum.models import Answer, Question
from forum.permissions import can_see_post

ANSWER = Subject(
    "answer", Answer,
    title=lambda answer: answer.question.title,
    link=lambda answer: ("forum.question", {"question_id": answer.question_id,
                                            "_anchor": f"answer-{answer.id}"}),
    options=(load_only(Answer.id, Answer.question_id, Answer.author_id, Answer.deleted_at,
                       Answer.hidden_at),
             joinedload(Answer.question).load_only(Question.title, Question.author_id,
                                                   Question.deleted_at, Question.hidden_at)))
DELETED_QUESTION = _l("a question that is now deleted")


def in_visible_question(viewer, post):
    """Whether `viewer` may see `post` and the question it belongs to: once either is deleted
    or hidden, its title and link are for its author and moderators only."""
    return can_see_post(viewer, post) and can_see_post(viewer, post.question)


def init_app(app):
    """Register the forum's kinds with `app`."""
    register_kind(app, Kind("accepted", _l("Your answer was accepted:"), ANSWER,
                            visible=in_visible_question, hidden=DELETED_QUESTION))
