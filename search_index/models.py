"""The durable indexing queue: a row per change, written in the changing transaction."""
from datetime import datetime

from sqlalchemy import Index, String
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
