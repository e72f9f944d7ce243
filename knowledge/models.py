"""Knowledge-base tables: notebooks, their ordered training modules, and good-practice articles
with their contributors, modules, tags and translations. Models never commit."""
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.extensions import db
from core.timeutil import utcnow

ARTICLE_STATUSES = ("draft", "in_review", "published", "archived")

# Questions link to modules; the table lives here so that forum never depends on knowledge.
question_module = Table(
    "question_module",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("module.id", ondelete="CASCADE"), primary_key=True),
)

article_module = Table(
    "article_module",
    db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("module.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_article_module_module_id_article_id", "module_id", "article_id"),
)

# Articles share the forum's tags (the Tag model is reached by name: knowledge imports only
# forum's services).
article_tag = Table(
    "article_tag",
    db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_article_tag_tag_id_article_id", "tag_id", "article_id"),
)


class Notebook(db.Model):
    __tablename__ = "notebook"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="notebook", order_by="Module.position")


class Module(db.Model):
    __tablename__ = "module"
    __table_args__ = (UniqueConstraint("notebook_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notebook_id: Mapped[int] = mapped_column(ForeignKey("notebook.id"))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")

    notebook: Mapped[Notebook] = relationship(back_populates="modules")

    @property
    def label(self):
        """"Notebook title › 3. Module title", for pickers and links."""
        return f"{self.notebook.title} › {self.position}. {self.title}"


class Article(db.Model):
    """A curated good-practice article; every edit is a Revision (target_type "article")."""

    __tablename__ = "article"
    __table_args__ = (
        Index("ix_article_status_published_at", "status", "published_at"),
        Index("ix_article_source_question_id", "source_question_id"),
        Index("ix_article_translation_of_id", "translation_of_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # ISO 3166 codes, space-separated; empty means "wherever it applies".
    countries: Mapped[str] = mapped_column(String(200), default="")
    curator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The last comment of a reviewer who sent the draft back, shown to its curator.
    review_comment: Mapped[str] = mapped_column(Text, default="")
    source_question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    # Translations point at the article they translate (the first of the group).
    translation_of_id: Mapped[int | None] = mapped_column(ForeignKey("article.id"))
    review_by: Mapped[date | None] = mapped_column()
    verified_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    # The revision readers see. A published article's row holds that text; a newer revision
    # is a change awaiting review, so an edit never goes live without a second expert.
    published_revision: Mapped[int | None] = mapped_column()

    curator: Mapped[User] = relationship(foreign_keys=[curator_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    modules: Mapped[list[Module]] = relationship(secondary=article_module,
                                                 order_by=Module.position)
    tags: Mapped[list["Tag"]] = relationship(  # noqa: F821 (forum's model, by name)
        "Tag", secondary=article_tag, order_by="Tag.name")
    contributors: Mapped[list["ArticleContributor"]] = relationship(
        back_populates="article", order_by="ArticleContributor.position",
        cascade="all, delete-orphan")

    @property
    def tag_names(self):
        return " ".join(tag.name for tag in self.tags)

    @property
    def country_codes(self):
        return self.countries.split()

    @property
    def group_id(self):
        """The id shared by an article and all its translations."""
        return self.translation_of_id or self.id


class ArticleContributor(db.Model):
    """A credited voice of an article. The user and the answer are kept as they were credited:
    editing or deleting the answer later never removes the credit."""

    __tablename__ = "article_contributor"
    __table_args__ = (UniqueConstraint("article_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    source_answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"))

    article: Mapped[Article] = relationship(back_populates="contributors")
    user: Mapped[User] = relationship(lazy="joined")
