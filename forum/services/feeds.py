"""The forum's Atom feeds (core.feeds): the newest questions, the newest of a tag, and one
question's answers.

A feed is the same for everyone who fetches it, signed in or not: live posts only, on a live
question, as the public lists show them. A summary is the plain text of the post as it reads
now (a redacted passage is gone from it), cut short; never a hidden or deleted post's words.
"""
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core import markup
from core.errors import NotFound
from core.extensions import db
from core.feeds import FEED_SIZE, SUMMARY_LENGTH, Entry, Feed, tag_uri
from core.urls import absolute_url
from forum.links import question_url
from forum.models import Answer, Question
from forum.services import queries
from forum.services import tags as tag_service


def _titled(title):
    """A feed's title as a reader's list of feeds shows it: what it follows, then the site."""
    return f"{title} · {_('Carnets')}"


def _summary(html):
    return markup.excerpt(html, SUMMARY_LENGTH)


def _updated(post):
    return max(post.created_at, post.edited_at or post.created_at)


def _question_entry(question):
    return Entry(id=tag_uri("question", question.id), title=question.title,
                 updated=_updated(question), published=question.created_at,
                 author=question.author.name, url=absolute_url(question_url(question)),
                 summary=_summary(question.body_html), lang=question.lang,
                 categories=[tag.name for tag in question.tags])


def _answer_entry(answer, question):
    return Entry(id=tag_uri("answer", answer.id),
                 title=_("Answer by %(name)s", name=answer.author.name),
                 updated=_updated(answer), published=answer.created_at,
                 author=answer.author.name,
                 url=absolute_url(question_url(question, f"answer-{answer.id}")),
                 summary=_summary(answer.body_html), lang=question.lang,
                 title_is_content=False)


def _newest(tag=None):
    return queries.list_questions(sort="newest", tag=tag, per_page=FEED_SIZE).items


def newest_questions():
    """The feed of the newest live questions."""
    return Feed(title=_titled(_("Newest questions")),
                url=absolute_url(url_for("forum.questions")),
                self_url=absolute_url(url_for("feeds.questions")),
                entries=[_question_entry(question) for question in _newest()],
                lang=str(get_locale()))


def tagged_questions(name):
    """The feed of the newest live questions with the tag `name`; NotFound for no such tag."""
    tag = tag_service.get_main_tag(name)
    return Feed(title=_titled(_("Questions tagged %(tag)s", tag=tag.name)),
                url=absolute_url(url_for("tags.show", name=tag.name)),
                self_url=absolute_url(url_for("feeds.tag", name=tag.name)),
                entries=[_question_entry(question) for question in _newest(tag.name)],
                lang=str(get_locale()), updated=tag.created_at)


def question_answers(question_id):
    """The feed of a live question's live answers, newest first; NotFound when the question
    does not exist for every reader (deleted or hidden)."""
    question = db.session.get(Question, question_id)
    if question is None or not question.is_live:
        raise NotFound()
    answers = db.session.scalars(
        select(Answer).where(Answer.question_id == question.id, Answer.is_live)
        .options(joinedload(Answer.author))
        .order_by(Answer.created_at.desc(), Answer.id.desc()).limit(FEED_SIZE)).all()
    return Feed(title=_titled(_("Answers to “%(title)s”", title=question.title)),
                url=absolute_url(question_url(question)),
                self_url=absolute_url(url_for("feeds.question", question_id=question.id)),
                entries=[_answer_entry(answer, question) for answer in answers],
                lang=str(get_locale()), updated=_updated(question))
