"""The audit table. Models never commit."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.accounts.models import User
from core.extensions import db
from core.timeutil import utcnow


class AuditEntry(db.Model):
    """One moderator or admin action. Never changed nor removed by the application."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_created_at", "created_at"),
        Index("ix_audit_entry_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(32), index=True)
    # A generic reference, as in notifications: core does not know the packages' tables.
    target_type: Mapped[str | None] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    # What else the action needs to be understood (a new role, a suspension's end, the
    # revision redacted...) — never the redacted or hidden text itself.
    details: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class AuditLogIsAppendOnly(RuntimeError):
    """Raised at flush when code tries to change or remove an audit entry."""


def _refuse_changes(session, _context, _instances):
    for instance in list(session.dirty) + list(session.deleted):
        if isinstance(instance, AuditEntry) and (
                instance in session.deleted or session.is_modified(instance)):
            raise AuditLogIsAppendOnly(f"audit entry {instance.id} cannot be changed")


def init_app(_app):
    """Refuse, at every flush, a change to an audit entry (listening once is enough)."""
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
