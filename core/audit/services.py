"""Writing the audit log. The caller's transaction commits the entry with the action itself,
so that an action is never done without its entry, nor logged without being done."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.audit.models import AuditEntry
from core.extensions import db
from core.paging import Page


def record(actor, action, target_type=None, target_id=None, reason="", details=None):
    """Add an entry for `action` done by `actor` (a User, or None for the system) on the
    target; the caller commits. Never put the text being hidden or redacted in `details`."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), action=action,
                       target_type=target_type, target_id=target_id,
                       reason=(reason or "").strip(), details=details)
    db.session.add(entry)
    return entry


PAGE_SIZE = 50
# Deeper pages cost more than anyone reads; the filters narrow the list instead.
MAX_PAGE = 2000


def entries(page=1, action=None, actor_id=None, per_page=PAGE_SIZE):
    """A page of the log, newest first, of one action and one actor when given."""
    page = min(max(page or 1, 1), MAX_PAGE)
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    rows = db.session.scalars(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)).all()
    return Page(rows[:per_page], page, len(rows) > per_page)
