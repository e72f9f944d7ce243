"""/feeds/articles: the Atom feed of newly published articles, beside the forum's feeds.

Served from the page cache to anonymous readers; every change to an article clears it
(knowledge.services.articles.PUBLISHED_SCOPE)."""
from flask import Blueprint

from core import feeds, pagecache
from knowledge.services import feeds as feed_service
from knowledge.services.articles import PUBLISHED_SCOPE

bp = Blueprint("kb_feeds", __name__, url_prefix="/feeds")


@bp.get("/articles")
@pagecache.anonymous_page(lambda: PUBLISHED_SCOPE)
def articles():
    return feeds.response(feed_service.published_articles())
