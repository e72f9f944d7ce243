"""The life of an article after it is written: draft -> in review -> published -> archived,
a change to a published article approved or returned, re-verification once a year, and what
an article page tells an expert about the text awaiting review."""
from dataclasses import dataclass
from datetime import timedelta

from core.accounts.permissions import is_expert
from core.errors import Conflict, Forbidden
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications import services as notifications
from core.revisions import latest_revision
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import check_length
from knowledge import permissions
from knowledge.services import drafting, review
from knowledge.services.articles import get_article
from knowledge.services.editing import apply_revision, changed, possible_reviewers
from knowledge.services.editing import record_revision

COMMENT_LENGTH = (5, 2000)
# Laws and services change: an article is checked again a year after it was verified.
REVIEW_INTERVAL = timedelta(days=365)


def _in_status(user, slug, allowed, message):
    """The article a curator moves through the workflow, if its status allows the move."""
    # The writer first: a member learns nothing of a draft.
    permissions.allow_curate(user)
    article = get_article(slug, user)
    if article.status not in allowed:
        raise Conflict(message)
    return article


@transactional
def submit_for_review(user, slug):
    """draft -> in_review: another expert now approves or returns it; the experts who may
    are told ("review_waiting")."""
    article = _in_status(user, slug, ("draft",),
                         _l("Only a draft can be submitted for review."))
    article.status, article.submitted_at = "in_review", utcnow()
    article.review_comment = ""
    for reviewer_id in possible_reviewers(article):
        notifications.notify(reviewer_id, "review_waiting", article, actor=user)
    changed(article)
    db.session.commit()
    return article


def _awaiting_review(user, slug, seen, message):
    """The article whose text `user` reviews (in review, or published with a change), and
    the change if it is one. `seen`: the revision number the reviewer read, if known."""
    article = _in_status(user, slug, ("in_review", "published"), message)
    change = review.pending_change(article)
    if article.status == "published" and change is None:
        raise Conflict(_l("No change to this article awaits review."))
    permissions.allow_review(user, article)
    latest = latest_revision("article", article.id)
    if seen is not None and latest is not None and latest.number != seen:
        raise Conflict(_l("The text changed since you read it: read it again before you "
                          "decide."))
    return article, change


@transactional
def approve(user, slug, seen=None):
    """in_review -> published, or a published article's change goes live; by an expert who
    wrote none of the text since the last publication (nor curated a first publication)."""
    article, change = _awaiting_review(user, slug, seen,
                                       _l("Only an article in review can be published."))
    refused = drafting.refusal(*_text_awaiting(article, change))
    if refused:
        raise Conflict(refused)
    now = utcnow()
    if change is not None:
        apply_revision(article, change.revision)
        for editor_id in sorted(change.editors):
            notifications.notify(editor_id, "article_published", article, actor=user)
    else:
        article.published_at = now
        notifications.notify(article.curator_id, "article_published", article, actor=user)
        for credit in article.contributors:
            if credit.source_answer_id is not None:
                notifications.notify(credit.user_id, "promoted", article, actor=user)
    latest = latest_revision("article", article.id)
    article.published_revision = latest.number if latest is not None else None
    if latest is not None:  # a reviewed text: restoring it later excludes nobody
        latest.fields = {**(latest.fields or {}), review.PUBLISHED: True}
    article.status, article.reviewer, article.review_comment = "published", user, ""
    article.verified_at = now
    if article.review_by is None or article.review_by <= now.date():
        article.review_by = (now + REVIEW_INTERVAL).date()
    changed(article)
    db.session.commit()
    return article


def _text_awaiting(article, change):
    """(title, summary, body) of what publication would show: the change, else the row."""
    if change is not None:
        revision = change.revision
        return (revision.title or article.title,
                (revision.fields or {}).get("summary", article.summary), revision.body)
    return article.title, article.summary, article.body


def unfinished(article):
    """Why the article's text awaiting publication (a draft, a text in review, a change to a
    published article) cannot be published yet: messages, empty when nothing stops it."""
    if article.status == "archived":
        return []
    change = review.pending_change(article)
    if article.status == "published" and change is None:
        return []
    return drafting.problems(*_text_awaiting(article, change))


@transactional
def return_to_draft(user, slug, comment, seen=None):
    """in_review -> draft with the reviewer's comment for the curator. A change to a
    published article is declined instead: the published text stays, the change stays in the
    history, and a revision with the published text records the decision."""
    article, change = _awaiting_review(user, slug, seen,
                                       _l("Only an article in review can be returned."))
    article.review_comment = check_length(comment, COMMENT_LENGTH, "comment")
    article.reviewer = user
    if change is not None:
        revision = record_revision(article, user, str(_l("Change returned by its reviewer")))
        revision.fields = {**(revision.fields or {}), review.PUBLISHED: True}
        db.session.flush()
        article.published_revision = revision.number
        for editor_id in sorted(change.editors):
            notifications.notify(editor_id, "article_returned", article, actor=user)
    else:
        article.status = "draft"
        notifications.notify(article.curator_id, "article_returned", article, actor=user)
    changed(article)
    db.session.commit()
    return article


@transactional
def mark_verified(user, slug):
    """A curator checked a published article again: it is current for another year."""
    article = _in_status(user, slug, ("published",),
                         _l("Only a published article can be verified."))
    now = utcnow()
    article.verified_at, article.review_by = now, (now + REVIEW_INTERVAL).date()
    changed(article)
    db.session.commit()
    return article


@transactional
def mark_obsolete(user, slug):
    """published -> archived: readers who follow a link see that it is no longer current."""
    article = _in_status(user, slug, ("published",),
                         _l("Only a published article can be archived."))
    article.status = "archived"
    changed(article)
    db.session.commit()
    return article


@transactional
def reopen(user, slug):
    """archived -> draft, to bring an obsolete article up to date (from its newest revision,
    so that a change that was awaiting review is not set aside)."""
    article = _in_status(user, slug, ("archived",),
                         _l("Only an archived article can be reopened."))
    latest = latest_revision("article", article.id)
    if latest is not None and latest.number > (article.published_revision or 0):
        apply_revision(article, latest)
    article.status = "draft"
    changed(article)
    db.session.commit()
    return article


@dataclass
class ReviewState:
    """What an article page tells an expert about the text awaiting review."""

    awaiting: bool           # a text awaits review (in review, or a change to a published one)
    change: review.PendingChange | None
    refusal: str | None      # why the viewer may not review it; None when they may
    seen: int | None         # the revision the viewer reads, sent back with their decision


def review_state(article, viewer):
    """The review state for an expert viewing the article; None for anyone else."""
    if not is_expert(viewer):
        return None
    change = review.pending_change(article)
    awaiting = article.status == "in_review" or change is not None
    refusal = None
    if awaiting:
        try:
            permissions.allow_review(viewer, article)
        except Forbidden as error:
            refusal = error.message
    latest = latest_revision("article", article.id)
    return ReviewState(awaiting, change, refusal, latest.number if latest is not None else None)
