"""What authors decided when the guard warned them. Models never commit."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.extensions import db
from core.timeutil import utcnow


class GuardDecision(db.Model):
    """An author confirmed that what the guard found does not identify a child (a public
    figure, an invented name...) and saved anyway. Kept with the post it was saved in: a
    generic reference (target type and id, and the revision number where the post has
    revisions), since core does not know the packages' tables."""

    __tablename__ = "guard_decision"
    __table_args__ = (Index("ix_guard_decision_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
    revision_number: Mapped[int | None] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[str] = mapped_column(String(16), default="confirmed")
    # The kinds of what was found ("name phone"), never the matched text itself.
    kinds: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
