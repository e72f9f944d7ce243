"""Who wrote what since an article was last published, which decides who may review it
(knowledge.permissions.allow_review).

A change to a published article is the revisions newer than `Article.published_revision`: the
article's row keeps the published text until another expert approves the change.
"""
from dataclasses import dataclass

from sqlalchemy import select

from core.extensions import db
from core.revisions import Revision, latest_revision


@dataclass
class PendingChange:
    """The newest revision of a published article, not yet reviewed, and who wrote it."""

    revision: Revision
    since: int  # the published revision it is compared with
    editors: set


# Keys of Revision.fields that say where a revision's text came from.
RESTORED_FROM = "restored_from"  # the revision a restore copied
PUBLISHED = "published"          # the text was approved (or is the published text a return kept)


def editors_since_publication(article):
    """Ids of the users who wrote any part of the text since its last publication: the editors
    of the newer revisions, and the authors of every text a restore among them brought back."""
    rows = db.session.execute(select(Revision.number, Revision.editor_id, Revision.fields).where(
        Revision.target_type == "article", Revision.target_id == article.id)).all()
    by_number = {row.number: row for row in rows}
    published = article.published_revision or 0
    editors, seen = set(), set()
    pending = [number for number in by_number if number > published]
    while pending:
        number = pending.pop()
        row = by_number.get(number)
        if row is None or number in seen:
            continue
        seen.add(number)
        fields = row.fields or {}
        if number == published or fields.get(PUBLISHED):
            continue  # a reviewed text: its authors are not excluded
        editors.add(row.editor_id)
        # A restore's text is the restored revision's; an edit's builds on the one before it.
        source = fields.get(RESTORED_FROM)
        pending.append(source if isinstance(source, int) else number - 1)
    return editors


def pending_change(article):
    """The change awaiting review on a published article, or None."""
    if article.status != "published":
        return None
    latest = latest_revision("article", article.id)
    if latest is None or latest.number <= (article.published_revision or 0):
        return None
    return PendingChange(latest, article.published_revision or 0,
                         editors_since_publication(article))
