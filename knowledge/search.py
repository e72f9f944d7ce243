"""The knowledge base's document provider: one search document per published article.

Drafts, articles in review and archived ones are never indexed, so search cannot show them to
anyone; an article enters the index when it is published and leaves it when archived.
"""
from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from core.markup import to_text
from knowledge.models import Article, ArticleContributor
from search_index.documents import Card, SearchDocument

KIND = "article"
# Above a thread that matches the query as well: the community's curated answer comes first.
BOOST = 1.5


def _published(query):
    return query.where(Article.status == "published")


class ArticleProvider:
    kind = KIND

    def load(self, session, ids):
        found = session.scalars(_published(select(Article).where(Article.id.in_(ids))).options(
            selectinload(Article.tags), selectinload(Article.modules),
            selectinload(Article.contributors).joinedload(ArticleContributor.user),
            joinedload(Article.curator))).all()
        return {article.id: SearchDocument(
            kind=KIND, id=article.id, title=article.title,
            text="\n".join(part for part in (article.summary, to_text(article.body_html)) if part),
            lang=article.lang, created_at=article.published_at or article.created_at,
            tags=[tag.name for tag in article.tags],
            users=sorted({article.curator.username}
                         | {credit.user.username for credit in article.contributors}),
            modules=[str(module.id) for module in article.modules],
            boost=BOOST) for article in found}

    def batches(self, session, size):
        last = 0
        while True:
            ids = session.scalars(_published(select(Article.id).where(Article.id > last))
                                  .order_by(Article.id).limit(size)).all()
            if not ids:
                return
            yield list(ids)
            last = ids[-1]

    def count(self, session):
        return session.scalar(_published(select(func.count()).select_from(Article)))

    def cards(self, ids, viewer):
        found = db.session.scalars(_published(select(Article).where(Article.id.in_(ids)))
                                   .options(selectinload(Article.tags),
                                            joinedload(Article.curator))).all()
        return {a.id: Card(kind=KIND, id=a.id, url=url_for("knowledge.article", slug=a.slug),
                           title=a.title, lang=a.lang, tags=[tag.name for tag in a.tags],
                           score=0, answer_count=0, accepted=False, author_name=a.curator.name,
                           author_url=url_for("users.profile", username=a.curator.username),
                           updated_at=a.updated_at)
                for a in found}
