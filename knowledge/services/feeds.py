"""The Atom feed of newly published good-practice articles (core.feeds).

Published articles only, newest publication first, as the knowledge base lists them: never a
draft, an article in review or an archived one. An article's row holds its published text (a
change waiting for review lives in a revision), so the summary never shows unreviewed words;
a redacted passage is already gone from the row."""
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core import markup
from core.extensions import db
from core.feeds import FEED_SIZE, SUMMARY_LENGTH, Entry, Feed, tag_uri
from core.urls import absolute_url
from knowledge.models import Article


def _entry(article):
    summary = (markup.shorten(article.summary, SUMMARY_LENGTH) if article.summary.strip()
               else markup.excerpt(article.body_html, SUMMARY_LENGTH))
    published = article.published_at or article.updated_at
    return Entry(id=tag_uri("article", article.id), title=article.title,
                 updated=max(published, article.updated_at), published=published,
                 author=article.curator.name,
                 url=absolute_url(url_for("knowledge.article", slug=article.slug)),
                 summary=summary, lang=article.lang,
                 categories=[tag.name for tag in article.tags])


def published_articles():
    """The feed of the newest published articles."""
    rows = db.session.scalars(
        select(Article).where(Article.status == "published")
        .options(joinedload(Article.curator), selectinload(Article.tags))
        .order_by(Article.published_at.desc(), Article.id.desc()).limit(FEED_SIZE)).all()
    return Feed(title=f"{_('Newest good practices')} · {_('Carnets')}",
                url=absolute_url(url_for("knowledge.index")),
                self_url=absolute_url(url_for("kb_feeds.articles")),
                entries=[_entry(article) for article in rows], lang=str(get_locale()))
