"""Good-practice articles as readers find them: one by its slug (if the reader may see it),
the lists of the knowledge base, and the history experts read. Also what names an article
(its slug) and how its body renders, which editing and redaction share."""
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import selectinload

from core import markup
from core.extensions import db
from core.errors import NotFound
from core.revisions import get_revision, list_revisions
from core.slugs import slugify
from forum.services import tag_synonyms
from forum.services import tags as tag_service
from knowledge import permissions
from knowledge.models import Article, article_module, article_tag

# An article's "# Section" is an h2, right under its title.
ARTICLE_HEADING = 2
# The page-cache scope of what lists published articles (their feed): every change to an
# article's row announces it (editing.changed, redaction).
PUBLISHED_SCOPE = "published-articles"


def unique_slug(title):
    """A readable slug for an article title (any script), numbered when already taken."""
    base = slugify(title, length=100, fallback="article")
    slug, number = base, 1
    while db.session.scalar(select(Article.id).where(Article.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def render_body(body):
    """The article's body as sanitised HTML, its sections under its title."""
    return markup.render(body, top_heading=ARTICLE_HEADING)


def get_article(slug, viewer=None):
    """The article with this slug if the viewer may see it; raises NotFound."""
    article = db.session.scalar(
        select(Article).where(Article.slug == slug)
        .options(selectinload(Article.contributors), selectinload(Article.modules),
                 selectinload(Article.tags)))
    if article is None:
        raise NotFound()
    permissions.allow_see_article(viewer, article)
    return article


# History (experts, moderators and admins) ---------------------------------------------------

def _history_article(slug, viewer):
    article = get_article(slug, viewer)
    permissions.allow_see_history(viewer)
    return article


def history(slug, viewer):
    """(article, its revisions newest first); raises NotFound for readers and members."""
    article = _history_article(slug, viewer)
    return article, list_revisions("article", article.id)


def revision_pair(slug, viewer, old_number, new_number):
    """(article, old revision, new revision) for a diff; raises NotFound."""
    article = _history_article(slug, viewer)
    old = get_revision("article", article.id, old_number)
    new = get_revision("article", article.id, new_number)
    if old is None or new is None:
        raise NotFound()
    return article, old, new


# Lists ----------------------------------------------------------------------------------------

def translations(article, viewer=None):
    """The other language versions of an article that the viewer may see (never archived
    ones)."""
    group = article.group_id
    found = db.session.scalars(select(Article).where(
        or_(Article.id == group, Article.translation_of_id == group), Article.id != article.id)
        .order_by(Article.lang)).all()
    return [other for other in found
            if other.status != "archived" and permissions.can_see_article(viewer, other)]


def recent_published(limit=10):
    return db.session.scalars(
        select(Article).where(Article.status == "published")
        .order_by(Article.published_at.desc()).limit(limit)).all()


def published_for_module(module_id):
    return db.session.scalars(
        select(Article).join(article_module, article_module.c.article_id == Article.id)
        .where(article_module.c.module_id == module_id, Article.status == "published")
        .order_by(Article.published_at.desc())).all()


def published_for_question(question_id):
    """Published articles promoted from a thread ("Promoted to: ...")."""
    return db.session.scalars(
        select(Article).where(Article.source_question_id == question_id,
                              Article.status == "published").order_by(Article.id)).all()


def tag_counts(limit=40):
    """(tag name, number of published articles) for the most used tags; a synonym's articles
    count under its main tag (articles keep the tags they were written with), once each."""
    tag = tag_service.tag_table()
    main = tag.alias("main_tag")
    articles = func.count(distinct(article_tag.c.article_id))
    rows = db.session.execute(
        select(main.c.name, articles)
        .select_from(article_tag)
        .join(tag, tag.c.id == article_tag.c.tag_id)
        .join(main, main.c.id == func.coalesce(tag.c.synonym_of_id, tag.c.id))
        .join(Article, Article.id == article_tag.c.article_id)
        .where(Article.status == "published")
        .group_by(main.c.name).order_by(articles.desc(), main.c.name).limit(limit))
    return [(name, count) for name, count in rows]


def published_with_tag(name):
    """Published articles with the tag `name` or another tag of its synonym group (articles
    keep the tags they were written with: the forum only retags questions)."""
    tag = tag_service.tag_table()
    tagged = (select(article_tag.c.article_id).join(tag, tag.c.id == article_tag.c.tag_id)
              .where(tag.c.name.in_(tag_synonyms.group_names([name]))))
    return db.session.scalars(
        select(Article).where(Article.id.in_(tagged), Article.status == "published")
        .order_by(Article.published_at.desc())).all()


def all_for_picker(exclude_id=None):
    """(id, "title (lang)") of articles a translation can point to."""
    rows = db.session.execute(select(Article.id, Article.title, Article.lang)
                              .where(Article.status != "archived").order_by(Article.title))
    return [(i, f"{title} ({lang})") for i, title, lang in rows if i != exclude_id]
