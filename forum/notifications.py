"""The forum's notification kinds: what it tells people about their posts.

"answer", "accepted" and "followed_answer" are about the answer (its question's title, its
place on the question's page); "comment" and "reply" about the comment (its thread's title, its
anchor); "mention" and "tag_question" about the question; "flag_handled" about the member's
flag. Each is withheld from whoever may not see the post or the question it is in (deleted, or
hidden by a moderator). forum.services.notices says who receives which.

Default channels: what is addressed to the member in person (an answer to their question, a
comment on their post, a reply to their comment, their name in a post) is mailed at once,
because a field worker away from the site would otherwise never learn that someone waits for
them, and the mail is small (a title and a link); what they merely follow (a thread, a tag)
comes in a daily digest, so that a busy tag does not fill a mailbox on an expensive connection;
a handled flag stays on the site (it asks nothing of them).
"""
from sqlalchemy.orm import joinedload, load_only

from flask_babel import ngettext

from core.i18n import lazy_gettext as _l
from core.notifications.kinds import Kind, Subject, register_kind
from forum.models import Answer, Comment, Flag, ModeratorWarning, Question, SafeguardingAlert
from forum.permissions import can_handle_alerts, can_see_post, can_see_warning
from forum.permissions import can_moderate as can_handle_flags

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
QUESTION = Subject(
    "question", Question,
    title=lambda question: question.title,
    link=lambda question: ("forum.question", {"question_id": question.id}),
    options=(load_only(Question.id, Question.title, Question.author_id, Question.deleted_at,
                       Question.hidden_at),))
COMMENT = Subject(
    "comment", Comment,
    title=lambda comment: comment.thread.title,
    link=lambda comment: ("forum.question", {"question_id": comment.thread_id,
                                             "_anchor": f"comment-{comment.id}"}),
    options=(load_only(Comment.id, Comment.thread_id, Comment.answer_id, Comment.author_id,
                       Comment.deleted_at, Comment.hidden_at),
             joinedload(Comment.thread).load_only(Question.title, Question.author_id,
                                                  Question.deleted_at, Question.hidden_at),
             joinedload(Comment.answer).load_only(Answer.author_id, Answer.deleted_at,
                                                  Answer.hidden_at)))
# A member's flag: titled by the flagged post's thread, linked to the post.
FLAG = Subject(
    "flag", Flag,
    title=lambda flag: flag.question.title,
    link=lambda flag: ("forum.question", {
        "question_id": flag.question_id,
        **({"_anchor": f"{flag.target_type}-{flag.target_id}"}
           if flag.target_type in ("answer", "comment") else {})}),
    options=(load_only(Flag.id, Flag.question_id, Flag.reporter_id, Flag.target_type,
                       Flag.target_id),
             joinedload(Flag.question).load_only(Question.title, Question.author_id,
                                                  Question.deleted_at, Question.hidden_at)))
HIDDEN_COMMENT = _l("a comment that is no longer shown")
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


def can_see_question(viewer, question):
    """Whether `viewer` may see the question (its title and page)."""
    return can_see_post(viewer, question)


def in_visible_thread(viewer, comment):
    """Whether `viewer` may see the comment where it is: the comment, its question, and the
    answer it is on (a hidden answer takes its comments out of sight)."""
    return (can_see_post(viewer, comment) and can_see_post(viewer, comment.thread)
            and (comment.answer is None or can_see_post(viewer, comment.answer)))


def by_thread(comment):
    return f"question:{comment.thread_id}"


def flag_visible(viewer, flag):
    """The flagger (and moderators) read which thread their flag was about, while they may
    still see it; the moderator's reason is never part of it."""
    return (viewer is not None and viewer.is_authenticated
            and (viewer.id == flag.reporter_id or can_handle_flags(viewer))
            and can_see_post(viewer, flag.question))


def init_app(app):
    """Register the forum's kinds with `app`."""
    register_kind(app, Kind("answer", _l("New answer to your question:"), ANSWER,
                            visible=in_visible_question, hidden=DELETED_QUESTION,
                            label=_l("Answers to my questions"), default_channel="instant",
                            group=by_question, many=new_answers))
    register_kind(app, Kind("followed_answer", _l("New answer in a thread you follow:"), ANSWER,
                            visible=in_visible_question, hidden=DELETED_QUESTION,
                            label=_l("Answers in threads I follow"), default_channel="daily",
                            group=by_question, many=new_answers))
    register_kind(app, Kind("comment", _l("New comment on your post:"), COMMENT,
                            visible=in_visible_thread, hidden=HIDDEN_COMMENT,
                            label=_l("Comments on my posts"), default_channel="instant",
                            group=by_thread))
    register_kind(app, Kind("reply", _l("New reply to your comment:"), COMMENT,
                            visible=in_visible_thread, hidden=HIDDEN_COMMENT,
                            label=_l("Replies to my comments"), default_channel="instant",
                            group=by_thread))
    register_kind(app, Kind("mention", _l("You were mentioned in:"), QUESTION,
                            visible=can_see_question, hidden=DELETED_QUESTION,
                            label=_l("Mentions of my name (@username)"),
                            default_channel="instant", group=by_question))
    register_kind(app, Kind("tag_question", _l("New question in a tag you follow:"), QUESTION,
                            visible=can_see_question, hidden=DELETED_QUESTION,
                            label=_l("New questions in tags I follow"), default_channel="daily",
                            group=by_question))
    register_kind(app, Kind("flag_handled", _l("Moderators handled your flag on:"), FLAG,
                            visible=flag_visible, hidden=_l("a post that is no longer shown"),
                            label=_l("My flags handled by moderators"), default_channel="site",
                            group=lambda flag: f"flag:{flag.question_id}"))
    register_kind(app, Kind("accepted", _l("Your answer was accepted:"), ANSWER,
                            visible=in_visible_question, hidden=DELETED_QUESTION))
    register_kind(app, Kind("warning", _l("A moderator warned you:"), WARNING,
                            visible=can_see_warning))
    register_kind(app, Kind("safeguarding_alert",
                            _l("Safeguarding alert, a child may be in danger:"), ALERT,
                            visible=lambda viewer, alert: can_handle_alerts(viewer),
                            hidden=_l("an alert for the safeguarding leads")))
