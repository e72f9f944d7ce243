"""The curation dashboard: what experts have to write, review, re-verify or promote."""
from dataclasses import dataclass

from sqlalchemy import exists, func, select

from core.extensions import db
from core.revisions import Revision
from core.timeutil import utcnow
from forum.services import queries
from knowledge import permissions
from knowledge.models import Article

WORTH_PROMOTING = 20


@dataclass
class Dashboard:
    drafts: list
    in_review: list
    changes: list  # published articles with a change awaiting review
    due: list
    worth_promoting: list  # (question, accepted answer score)


def dashboard(user):
    """Everything awaiting an expert; raises Forbidden for anyone else."""
    permissions.allow_see_curation(user)
    rows = db.session.scalars(
        select(Article).where(Article.status.in_(("draft", "in_review")))
        .order_by(Article.updated_at.desc())).all()
    changed = exists().where(Revision.target_type == "article",
                             Revision.target_id == Article.id,
                             Revision.number > func.coalesce(Article.published_revision, 0))
    changes = db.session.scalars(
        select(Article).where(Article.status == "published", changed)
        .order_by(Article.updated_at.desc())).all()
    today = utcnow().date()
    due = db.session.scalars(
        select(Article).where(Article.status == "published", Article.review_by <= today)
        .order_by(Article.review_by)).all()
    promoted = db.session.scalars(select(Article.source_question_id).where(
        Article.source_question_id.is_not(None), Article.status != "archived")).all()
    return Dashboard(
        drafts=[a for a in rows if a.status == "draft"],
        in_review=[a for a in rows if a.status == "in_review"],
        changes=changes,
        due=due,
        worth_promoting=queries.best_accepted(WORTH_PROMOTING, set(promoted)))
