"""Revisions of every editable text (questions, answers, later articles) and their diffs."""
import difflib
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.errors import Conflict
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.timeutil import utcnow


class Revision(db.Model):
    """One saved version of a post; number 1 is the text as first posted."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str | None] = mapped_column(String(8))
    summary: Mapped[str] = mapped_column(String(200), default="")
    # Other fields of the version where the target has more than a title and a body (an
    # article's summary and countries, a module's summary and objectives).
    fields: Mapped[dict | None] = mapped_column(JSON)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator purged this version's text (the text itself is overwritten; who
    # and why are in the audit log).
    redacted_at: Mapped[datetime | None] = mapped_column()
    redacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    editor: Mapped[User] = relationship(lazy="joined", foreign_keys=[editor_id])


def add_revision(target_type, target_id, editor, body, title=None, tags=None, lang=None,
                 summary="", fields=None, base=None):
    """Record a version of a post in the current transaction (the caller commits).

    `base`: the version the editor started from (checked by check_base). The new one is then
    numbered base + 1, so that two saves from one base collide on the unique number — a
    conflict the transaction policy retries into EditConflict — even when the second one read
    the base before the first committed.
    """
    if base is not None:
        last = base
    else:
        last = db.session.scalar(
            select(func.max(Revision.number)).where(
                Revision.target_type == target_type, Revision.target_id == target_id))
    revision = Revision(target_type=target_type, target_id=target_id, number=(last or 0) + 1,
                        title=title, body=body, tags=tags, lang=lang,
                        summary=(summary or "")[:200], fields=fields,
                        editor=editor)
    db.session.add(revision)
    return revision


class EditConflict(Conflict):
    """An edit started from a version that is no longer the newest: saving it would silently
    overwrite someone else's change. `current` is the newest Revision (or None)."""

    default_message = _l("Someone saved a new version while you were editing. Compare the two "
                         "texts below, then save again.")

    def __init__(self, current, message=None):
        super().__init__(message)
        self.current = current


def latest_revision(target_type, target_id):
    """The newest version of a post, or None when it has none."""
    return db.session.scalar(
        select(Revision).where(Revision.target_type == target_type,
                               Revision.target_id == target_id)
        .order_by(Revision.number.desc()).limit(1))


def check_base(target_type, target_id, base_number):
    """Raise EditConflict unless `base_number` (the version the editor's form was opened on)
    is still the newest; None means the client sent no base and is not checked."""
    if base_number is None:
        return
    current = latest_revision(target_type, target_id)
    if current is not None and current.number != base_number:
        raise EditConflict(current)


def list_revisions(target_type, target_id):
    """All versions of a post, newest first."""
    return db.session.scalars(
        select(Revision).where(Revision.target_type == target_type, Revision.target_id == target_id)
        .order_by(Revision.number.desc())).all()


def get_revision(target_type, target_id, number):
    return db.session.scalar(select(Revision).where(
        Revision.target_type == target_type, Revision.target_id == target_id,
        Revision.number == number))


def diff_lines(old, new):
    """Line diff of two texts as (kind, text) pairs, kind in 'same', 'added', 'removed'."""
    result = []
    matcher = difflib.SequenceMatcher(a=(old or "").splitlines(), b=(new or "").splitlines(),
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(("same", line) for line in matcher.a[i1:i2])
            continue
        result.extend(("removed", line) for line in matcher.a[i1:i2])
        result.extend(("added", line) for line in matcher.b[j1:j2])
    return result
