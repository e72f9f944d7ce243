"""Who wrote what since an article was last published, and so who may review it.

The one rule: nobody approves (or returns) a text of which they wrote any revision since the
last publication; for a first publication the article's curator does not either. A change to a
published article is the revisions newer than `Article.published_revision`: the article's row
keeps the published text until another expert approves the change.
"""
from dataclasses import dataclass

from sqlalchemy import select

from core.accounts import permissions
from core.errors import Forbidden
from core.extensions import db
from core.i18n import lazy_gettext as _l
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


def refusal(user, article):
    """Why `user` may not review the article's text now, or None when they may."""
    if not permissions.is_curator(user):
        return _l("Only experts and administrators review good-practice articles.")
    if article.status == "in_review" and article.curator_id == user.id:
        return _l("Another expert reviews this article: you curated it.")
    if user.id in editors_since_publication(article):
        return _l("Another expert reviews this text: you wrote part of it.")
    return None


def may_review(user, article):
    """True when `user` may approve or return the article's text awaiting review."""
    return refusal(user, article) is None


def require_reviewer(user, article):
    """Raise Forbidden unless `user` may review the article's text."""
    reason = refusal(user, article)
    if reason is not None:
        raise Forbidden(reason)


@dataclass
class ReviewState:
    """What an article page tells an expert about the text awaiting review."""

    awaiting: bool           # a text awaits review (in review, or a change to a published one)
    change: PendingChange | None
    refusal: str | None      # why the viewer may not review it; None when they may
    seen: int | None         # the revision the viewer reads, sent back with their decision


def state(article, viewer):
    """The review state for an expert viewing the article; None for anyone else."""
    if not permissions.is_expert(viewer):
        return None
    change = pending_change(article)
    awaiting = article.status == "in_review" or change is not None
    reason = refusal(viewer, article) if awaiting else None
    latest = latest_revision("article", article.id)
    return ReviewState(awaiting, change, str(reason) if reason else None,
                       latest.number if latest is not None else None)
