"""The forum's notification kinds: what it tells people about their posts.

"accepted" is about the answer (its question's title, its place on the question's page).
Kinds to come about forum posts (an answer to your question, a comment, a reply) take the same
rule: withheld from whoever may not see the post or the question they are in (deleted, or
hidden by a moderator).
"""
from sqlalchemy.orm import joinedload, load_only

from flask_babel import ngettext

from core.i18n import lazy_gettext as _l
from core.notifications.kinds import Kind, Subject, register_kind
from forum.models import Answer, ModeratorWarning, Question, SafeguardingAlert
from forum.permissions import can_handle_alerts, can_see_post, can_see_warning

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
# A moderator's warning: its message is its title, read by the member warned and nobody else
# (only they receive it; `visible` holds even if a row were ever sent elsewhere).
WARNING = Subject(
    "warning", ModeratorWarning,
    title=lambda warning: warning.message,
    link=lambda warning: ("members.warning", {"warning_id": warning.id}))
# A safeguarding alert: for the leads only (anyone else reads the sentence without its title).
ALERT = Subject(
    "alert", SafeguardingAlert,
    title=lambda alert: alert.question.title,
    link=lambda alert: ("safeguarding.alert", {"alert_id": alert.id}),
    options=(load_only(SafeguardingAlert.id, SafeguardingAlert.question_id),
             joinedload(SafeguardingAlert.question).load_only(Question.title)))


def in_visible_question(viewer, post):
    """Whether `viewer` may see `post` and the question it belongs to: once either is deleted
    or hidden, its title and link are for its author and moderators only."""
    return can_see_post(viewer, post) and can_see_post(viewer, post.question)


def by_question(post):
    """Gathers notifications about the posts of one thread."""
    return f"question:{post.question_id}"


def new_answers(num):
    """The line of `num` new answers gathered ("3 new answers on" + the question's title)."""
    return ngettext("%(num)s new answer on", "%(num)s new answers on", num)


def init_app(app):
    """Register the forum's kinds with `app`."""
    register_kind(app, Kind("answer", _l("New answer to your question:"), ANSWER,
                            visible=in_visible_question, hidden=DELETED_QUESTION,
                            label=_l("Answers to my questions"), default_channel="instant",
                            group=by_question, many=new_answers))
    register_kind(app, Kind("accepted", _l("Your answer was accepted:"), ANSWER,
                            visible=in_visible_question, hidden=DELETED_QUESTION))
    register_kind(app, Kind("warning", _l("A moderator warned you:"), WARNING,
                            visible=can_see_warning))
    register_kind(app, Kind("safeguarding_alert",
                            _l("Safeguarding alert, a child may be in danger:"), ALERT,
                            visible=lambda viewer, alert: can_handle_alerts(viewer),
                            hidden=_l("an alert for the safeguarding leads")))
