"""The durable indexing queue: a row per change, written in the changing transaction."""
from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.timeutil import utcnow


class SearchQueue(db.Model):
    """One document to (re)index or remove; `done_at` is stamped once the index has it.

    Done rows are kept for a day: a rebuild that ran meanwhile replays them (see
    search_index.service.rebuild), then `flask search sync` purges them. A document the engine
    refused keeps its rows with `attempts`, `last_error` and `retry_at` (see indexing.py).
    """

    __tablename__ = "search_queue"
    __table_args__ = (Index("ix_search_queue_done_at_id", "done_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500))
    retry_at: Mapped[datetime | None] = mapped_column()


class ThesaurusConcept(db.Model):
    """A concept of the thesaurus as experts edit it: its names per language and its tags.

    `names` is {lang: [name, ...]} as typed (search_index.thesaurus analyses them); `tags` is
    a space-separated list. The file thesaurus.json seeds the table when it is empty.
    """

    __tablename__ = "thesaurus_concept"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    names: Mapped[dict] = mapped_column(JSON)
    tags: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThesaurusVersion(db.Model):
    """One row whose token changes with every change of the concepts: each process compares
    it with the token of the thesaurus it holds (one primary-key read per use) and reloads
    when it differs. A random token rather than a counter, so that a table emptied and filled
    again never gives back a token a process already holds."""

    __tablename__ = "thesaurus_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40))
