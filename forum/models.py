"""Forum tables: questions, answers, threaded comments, votes and tags. Models never commit."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy import UniqueConstraint, and_, true
from sqlalchemy.ext.hybrid import hybrid_property
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


class HideMixin:
    """A moderator (or two members flagging it as identifying a child) can hide a post: like a
    deleted one, it is then seen by its author and moderators only, until it is shown again."""

    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    # The one rule for deleted-or-hidden, in Python and in SQL: a post that is not live is
    # seen by its author and moderators only, and never reaches lists, search or e-mails.
    # (Every class with this mixin is soft-deletable too.)
    @hybrid_property
    def is_live(self):
        return self.deleted_at is None and self.hidden_at is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls):
        return and_(cls.deleted_at.is_(None), cls.hidden_at.is_(None))


class Tag(db.Model):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(35), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # The language the description is written in, so that it is read with its own voice and
    # direction in a page of another language; None for descriptions older than the field.
    description_lang: Mapped[str | None] = mapped_column(String(8))
    question_count: Mapped[int] = mapped_column(default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A synonym points to the main tag of its group (never to another synonym: groups are
    # one level deep), so that `maraude` and `street-outreach` are found as one tag.
    synonym_of_id: Mapped[int | None] = mapped_column(ForeignKey("tag.id"), index=True)


class Question(SoftDeleteMixin, HideMixin, db.Model):
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
    # open, closed (to new answers, with closed_reason) or duplicate (of duplicate_of_id).
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"), index=True)
    # A locked thread takes no new answers, comments, votes or edits (but moderators').
    locked_at: Mapped[datetime | None] = mapped_column()
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    tags: Mapped[list[Tag]] = relationship(secondary=question_tag, order_by=Tag.name)
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="question", foreign_keys="Answer.question_id")
    accepted_answer: Mapped["Answer | None"] = relationship(
        foreign_keys=[accepted_answer_id], post_update=True)
    duplicate_of: Mapped["Question | None"] = relationship(
        foreign_keys=[duplicate_of_id], remote_side=[id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    locked_by: Mapped[User | None] = relationship(foreign_keys=[locked_by_id])

    post_type = "question"

    @property
    def question_id(self):
        return self.id

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def tag_names(self):
        return " ".join(tag.name for tag in self.tags)


class Answer(SoftDeleteMixin, HideMixin, db.Model):
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


class Comment(SoftDeleteMixin, HideMixin, db.Model):
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
    # The thread's rules (a locked thread) apply to its comments; usually already loaded.
    thread: Mapped["Question"] = relationship(foreign_keys=[thread_id])
    # The answer it is on, if any: a hidden answer takes its comments out of sight.
    answer: Mapped["Answer | None"] = relationship(foreign_keys=[answer_id])

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



FLAG_REASONS = ("identifies_child", "spam", "offensive", "other")
FLAG_STATUSES = ("open", "dismissed", "actioned")


class Flag(db.Model):
    """A member reports a post (question, answer or comment) to the moderators."""

    __tablename__ = "flag"
    __table_args__ = (
        Index("ix_flag_status_created_at", "status", "created_at"),
        Index("ix_flag_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column()
    # The thread the post is in, so that the queue shows it in context with one join.
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class SafeguardingAlert(db.Model):
    """"A child may be in danger now": a private alert about a post to the safeguarding leads,
    with a deadline for their response. Seen by the leads only."""

    __tablename__ = "safeguarding_alert"
    __table_args__ = (Index("ix_safeguarding_alert_closed_at_due_at", "closed_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column()
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    alerter_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column()
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    # What the lead did (called the partner organisation, informed child protection...).
    action_taken: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column()

    alerter: Mapped[User] = relationship(foreign_keys=[alerter_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class ModeratorWarning(db.Model):
    """A moderator's warning to a member about one of their posts; the member reads it on
    their notifications page."""

    __tablename__ = "moderator_warning"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    target_type: Mapped[str | None] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column()
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    moderator: Mapped[User] = relationship(foreign_keys=[moderator_id])


class QuestionFollow(db.Model):
    """A member following a thread: told of its new answers. The asker and each answerer
    follow automatically; `following` False remembers an unfollow, so that answering again
    does not undo the member's choice."""

    __tablename__ = "question_follow"
    __table_args__ = (Index("ix_question_follow_question_id", "question_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    following: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TagFollow(db.Model):
    """A member following a tag: told of new questions carrying it."""

    __tablename__ = "tag_follow"
    __table_args__ = (Index("ix_tag_follow_tag_id", "tag_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
