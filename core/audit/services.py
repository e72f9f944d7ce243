"""Writing the audit log. The caller's transaction commits the entry with the action itself,
so that an action is never done without its entry, nor logged without being done."""
from core.audit.models import AuditEntry
from core.extensions import db


def record(actor, action, target_type=None, target_id=None, reason="", details=None):
    """Add an entry for `action` done by `actor` (a User, or None for the system) on the
    target; the caller commits. Never put the text being hidden or redacted in `details`."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), action=action,
                       target_type=target_type, target_id=target_id,
                       reason=(reason or "").strip(), details=details)
    db.session.add(entry)
    return entry
