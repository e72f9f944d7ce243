"""Knowledge-base tables: notebooks and their ordered training modules."""
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.timeutil import utcnow

# Questions link to modules; the table lives here so that forum never depends on knowledge.
question_module = Table(
    "question_module",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("module.id", ondelete="CASCADE"), primary_key=True),
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
