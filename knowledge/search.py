"""The knowledge base's document provider: one search document per published article.

Drafts, articles in review and archived ones are never indexed, so search cannot show them to
anyone; an article enters the index when it is published and leaves it when archived.

`question_modules` gives the forum's thread documents the training modules their questions
link to (registered in knowledge.init_app), for the `module:` filter.
"""
from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from core.markup import to_text
from knowledge.models import Article, ArticleContributor, question_module
from search_index.documents import Card, SearchDocument
from search_index.providers import ModelProvider

KIND = "article"
# Above a thread that matches the query as well: the community's curated answer comes first.
BOOST = 1.5
# The forum's documents (search_index keys "question:<id>"), which question_modules completes.
QUESTION_KIND = "question"


class ArticleProvider(ModelProvider):
    kind = KIND
    model = Article

    def visible(self):
        return Article.status == "published"

    def load(self, session, ids):
        found = self.rows(
            session, ids, selectinload(Article.tags), selectinload(Article.modules),
            selectinload(Article.contributors).joinedload(ArticleContributor.user),
            joinedload(Article.curator))
        return {article.id: SearchDocument(
            kind=KIND, id=article.id, title=article.title,
            text="\n".join(part for part in (article.summary, to_text(article.body_html)) if part),
            lang=article.lang, created_at=article.published_at or article.created_at,
            tags=[tag.name for tag in article.tags],
            users=sorted({article.curator.username}
                         | {credit.user.username for credit in article.contributors}),
            modules=[str(module.id) for module in article.modules],
            boost=BOOST) for article in found}

    def cards(self, ids, viewer):
        found = self.rows(db.session, ids, selectinload(Article.tags),
                          joinedload(Article.curator))
        return {a.id: Card(kind=KIND, id=a.id, url=url_for("knowledge.article", slug=a.slug),
                           title=a.title, lang=a.lang, tags=[tag.name for tag in a.tags],
                           score=0, answer_count=0, accepted=False, author_name=a.curator.name,
                           author_url=url_for("users.profile", username=a.curator.username),
                           updated_at=a.updated_at)
                for a in found}


def question_modules(session, question_ids):
    """{question id: [module ids, as text]} of the training modules these questions link to."""
    modules = {}
    for question_id, module_id in session.execute(
            select(question_module.c.question_id, question_module.c.module_id)
            .where(question_module.c.question_id.in_(question_ids))):
        modules.setdefault(question_id, []).append(str(module_id))
    return modules
