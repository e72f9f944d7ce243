"""The forum's document provider: one search document per live question and its answers.

The training modules a question links to (the `module:` filter) are not the forum's to know:
the knowledge package adds them to these documents (search_index.registry.register_field).
"""
from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.accounts.models import User
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.markup import to_text
from forum.links import question_url
from forum.models import Answer, Question
from search_index.documents import Card, Related, SearchDocument
from search_index.providers import ModelProvider

KIND = "question"
# What a result says after the title of a question that is not open.
STATUS_MARKS = {"closed": _l("closed"), "duplicate": _l("duplicate")}


class ThreadProvider(ModelProvider):
    """Questions with their live answers; deleted or hidden posts never reach the index."""

    kind = KIND
    model = Question

    def visible(self):
        return Question.is_live

    def load(self, session, ids):
        questions = self.rows(session, ids, selectinload(Question.tags),
                              joinedload(Question.author))
        answers = {}
        for question_id, answer_id, html, username in session.execute(
                select(Answer.question_id, Answer.id, Answer.body_html, User.username)
                .join(User, Answer.author_id == User.id)
                .where(Answer.question_id.in_([q.id for q in questions]),
                       Answer.is_live)
                .order_by(Answer.question_id, Answer.created_at)):
            answers.setdefault(question_id, []).append((answer_id, html, username))
        documents = {}
        for question in questions:
            # The accepted answer first: its words are the ones most worth a snippet.
            thread = sorted(answers.get(question.id, []),
                            key=lambda answer: answer[0] != question.accepted_answer_id)
            documents[question.id] = SearchDocument(
                kind=KIND, id=question.id, title=question.title,
                text="\n".join([to_text(question.body_html)]
                               + [to_text(html) for _id, html, _user in thread]),
                lang=question.lang, created_at=question.created_at,
                tags=[tag.name for tag in question.tags],
                users=sorted({question.author.username} | {user for _i, _h, user in thread}),
                score=question.score, answer_count=len(thread),
                # A hidden accepted answer is not there to read: is:accepted says so.
                accepted=any(answer_id == question.accepted_answer_id
                             for answer_id, _h, _u in thread))
        return documents

    def cards(self, ids, viewer):
        questions = self.rows(db.session, ids, selectinload(Question.tags),
                              joinedload(Question.author), joinedload(Question.duplicate_of))
        return {q.id: Card(kind=KIND, id=q.id, url=question_url(q), title=q.title, lang=q.lang,
                           tags=[tag.name for tag in q.tags], score=q.score,
                           answer_count=q.answer_count, accepted=bool(q.accepted_answer_id),
                           author_name=q.author.name,
                           author_url=url_for("users.profile", username=q.author.username),
                           updated_at=q.last_activity_at, mark=STATUS_MARKS.get(q.status),
                           related=_original(q))
                for q in questions}



def _original(question):
    """The link from a duplicate's result to its original, which readers may see: the words
    of the duplicate lead to it (its own page points there too)."""
    original = question.duplicate_of if question.status == "duplicate" else None
    if original is None or original.is_deleted or original.is_hidden:
        return None
    return Related(_l("Same subject as:"), original.title, question_url(original),
                   original.lang)
