"""The forum's part of the audit log: its actions' words, and how the log page names and
links the forum's rows (questions, answers, comments) an entry is about."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.audit.actions import register_action, register_target
from core.extensions import db
from core.i18n import lazy_gettext as _l
from forum.links import question_url
from forum.models import Answer, Comment, Question, Tag
from forum.permissions import visible_posts
from forum.services import tag_synonyms


def _questions(ids, viewer):
    rows = db.session.scalars(select(Question).where(Question.id.in_(ids),
                                                     visible_posts(Question, viewer)))
    return {q.id: (q.title, question_url(q)) for q in rows}


def _answers(ids, viewer):
    rows = db.session.execute(
        select(Answer.id, Question).join(Question, Answer.question_id == Question.id)
        .where(Answer.id.in_(ids), visible_posts(Answer, viewer),
               visible_posts(Question, viewer)))
    return {answer_id: (_("An answer to “%(title)s”", title=q.title),
                        question_url(q, f"answer-{answer_id}")) for answer_id, q in rows}


def _comments(ids, viewer):
    rows = db.session.execute(
        select(Comment.id, Question).join(Question, Comment.thread_id == Question.id)
        .where(Comment.id.in_(ids), visible_posts(Comment, viewer),
               visible_posts(Question, viewer)))
    return {comment_id: (_("A comment in “%(title)s”", title=q.title),
                         question_url(q, f"comment-{comment_id}")) for comment_id, q in rows}


def _tags(ids, viewer):
    rows = db.session.execute(select(Tag.id, Tag.name).where(Tag.id.in_(ids)))
    return {tag_id: (name, url_for("tags.show", name=name)) for tag_id, name in rows}


def init_app(app):
    """Name the forum's audited actions and describe its targets for the log page."""
    register_action(app, "warn", _l("warned a member"))
    register_target(app, "question", _questions)
    register_target(app, "answer", _answers)
    register_target(app, "comment", _comments)
    register_action(app, tag_synonyms.DECLARED, _l("declared a tag synonym"))
    register_action(app, tag_synonyms.REMOVED, _l("removed a tag synonym"))
    register_target(app, "tag", _tags)
