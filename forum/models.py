"""Forum tables: questions, answers, threaded comments, votes and tags. Models never commit."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.extensions import db
from core.timeutil import utcnow

QUESTION_STATUSES = ("open", "closed", "duplicate")

question_tag = Table(
    "question_tag",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_question_tag_tag_id_question_id", "tag_id", "question_id"),
)


class SoftDeleteMixin:
    """Posts are never removed: deletion stamps who and when, and can be undone."""

    deleted_at: Mapped[datetime | None] = mapped_column()
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class Tag(db.Model):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(35), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    question_count: Mapped[int] = mapped_column(default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Question(SoftDeleteMixin, db.Model):
    __tablename__ = "question"
    # Lists read the newest rows of one ordering and skip the few deleted ones on the way:
    # single-column indexes keep those plans cheap whatever the planner's statistics say.
    __table_args__ = (
        Index("ix_question_created_at", "created_at"),
        Index("ix_question_last_activity_at", "last_activity_at"),
        Index("ix_question_score", "score"),
        Index("ix_question_answer_count_created_at", "answer_count", "created_at"),
        Index("ix_question_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    lang: Mapped[str] = mapped_column(String(8), index=True)
    score: Mapped[int] = mapped_column(default=0)
    answer_count: Mapped[int] = mapped_column(default=0)
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", use_alter=True, name="fk_question_accepted_answer_id_answer"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    tags: Mapped[list[Tag]] = relationship(secondary=question_tag, order_by=Tag.name)
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="question", foreign_keys="Answer.question_id")
    accepted_answer: Mapped["Answer | None"] = relationship(
        foreign_keys=[accepted_answer_id], post_update=True)

    post_type = "question"

    @property
    def question_id(self):
        return self.id

    @property
    def tag_names(self):
        return " ".join(tag.name for tag in self.tags)


class Answer(SoftDeleteMixin, db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        Index("ix_answer_created_at", "created_at"),
        Index("ix_answer_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    score: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()

    question: Mapped[Question] = relationship(back_populates="answers", foreign_keys=[question_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    post_type = "answer"


class Comment(SoftDeleteMixin, db.Model):
    """A comment on a question or an answer, optionally replying to another comment."""

    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint("(question_id IS NULL) <> (answer_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every comment of a page shares its question's id here, so one query loads them all.
    thread_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])

    post_type = "comment"


class Vote(db.Model):
    """One vote per user and post, +1 or -1; the post's score is kept equal to their sum."""

    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id", name="uq_vote_user_question"),
        UniqueConstraint("user_id", "answer_id", name="uq_vote_user_answer"),
        CheckConstraint("(question_id IS NULL) <> (answer_id IS NULL)", name="one_target"),
        CheckConstraint("value IN (-1, 1)", name="value_sign"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    value: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

