"""The forum's document provider: one search document per live question and its answers."""
from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from core.accounts.models import User
from core.extensions import db
from core.markup import to_text
from forum.links import question_url
from forum.models import Answer, Question
from search_index.documents import Card, SearchDocument

KIND = "question"


class ThreadProvider:
    """Questions with their live answers; deleted posts never reach the index."""

    kind = KIND

    def load(self, session, ids):
        questions = session.scalars(
            select(Question).where(Question.id.in_(ids), Question.deleted_at.is_(None))
            .options(selectinload(Question.tags), joinedload(Question.author))).all()
        answers = {}
        for question_id, answer_id, html, username in session.execute(
                select(Answer.question_id, Answer.id, Answer.body_html, User.username)
                .join(User, Answer.author_id == User.id)
                .where(Answer.question_id.in_([q.id for q in questions]),
                       Answer.deleted_at.is_(None))
                .order_by(Answer.question_id, Answer.created_at)):
            answers.setdefault(question_id, []).append((answer_id, html, username))
        modules = {}
        # Links to training modules are the knowledge package's table; forum only reads it,
        # by name, when it exists.
        links = db.metadata.tables.get("question_module")
        if links is not None and questions:
            for question_id, module_id in session.execute(
                    select(links.c.question_id, links.c.module_id)
                    .where(links.c.question_id.in_([q.id for q in questions]))):
                modules.setdefault(question_id, []).append(str(module_id))
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
                modules=sorted(modules.get(question.id, [])),
                score=question.score, answer_count=len(thread),
                accepted=question.accepted_answer_id is not None)
        return documents

    def batches(self, session, size):
        last = 0
        while True:
            ids = session.scalars(select(Question.id).where(
                Question.id > last, Question.deleted_at.is_(None))
                .order_by(Question.id).limit(size)).all()
            if not ids:
                return
            yield list(ids)
            last = ids[-1]

    def count(self, session):
        return session.scalar(select(func.count()).select_from(Question).where(
            Question.deleted_at.is_(None)))

    def cards(self, ids, viewer):

        questions = db.session.scalars(
            select(Question).where(Question.id.in_(ids), Question.deleted_at.is_(None))
            .options(selectinload(Question.tags), joinedload(Question.author))).all()
        return {q.id: Card(kind=KIND, id=q.id, url=question_url(q), title=q.title, lang=q.lang,
                           tags=[tag.name for tag in q.tags], score=q.score,
                           answer_count=q.answer_count, accepted=bool(q.accepted_answer_id),
                           author_name=q.author.name,
                           author_url=url_for("users.profile", username=q.author.username),
                           updated_at=q.last_activity_at)
                for q in questions}
