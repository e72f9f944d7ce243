"""The audit log is append-only: an entry is written with its action and never changed or
removed through the application."""
import pytest

from core.audit import services as audit
from core.audit.models import AuditEntry, AuditLogIsAppendOnly
from core.extensions import db
from tests import factories


def test_an_entry_is_kept_with_who_what_and_why(ctx):
    moderator = factories.user("moderator", "mod")
    audit.record(moderator, "suspend", "user", 42, reason="  spam links  ",
                 details={"until": "2026-12-07"})
    db.session.commit()
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert (entry.actor.username, entry.action, entry.target_type, entry.target_id,
            entry.reason, entry.details) == ("mod", "suspend", "user", 42, "spam links",
                                             {"until": "2026-12-07"})


def test_an_entry_cannot_be_changed(ctx):
    audit.record(None, "hide", "answer", 1, reason="names a child")
    db.session.commit()
    entry = db.session.scalars(db.select(AuditEntry)).one()
    entry.reason = "nothing happened"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(db.select(AuditEntry.reason)).one() == "names a child"


def test_an_entry_cannot_be_removed(ctx):
    audit.record(None, "hide", "answer", 1)
    db.session.commit()
    db.session.delete(db.session.scalars(db.select(AuditEntry)).one())
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 1
