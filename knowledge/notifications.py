"""The knowledge base's notification kinds: an answer promoted into an article, an article
returned by its reviewer, an article published. Each is about the article, titled and linked
as it is when read (a redacted title, the address made from it), and withheld from whoever
may not see it any more (an article reopened as a draft: its new title is working material)."""
from sqlalchemy.orm import load_only

from core.i18n import lazy_gettext as _l
from core.notifications.kinds import Kind, Subject, register_kind
from knowledge.models import Article
from knowledge.permissions import can_see_article

ARTICLE = Subject(
    "article", Article,
    title=lambda article: article.title,
    link=lambda article: ("knowledge.article", {"slug": article.slug}),
    options=(load_only(Article.id, Article.title, Article.slug, Article.status),))
UNPUBLISHED = _l("an article that is not published any more")


def init_app(app):
    """Register the knowledge base's kinds with `app`."""
    for name, sentence in (
            ("promoted", _l("Your answer was promoted into a good-practice article:")),
            ("article_returned", _l("Your article was returned with a comment:")),
            ("article_published", _l("Your article is published:"))):
        register_kind(app, Kind(name, sentence, ARTICLE, visible=can_see_article,
                                hidden=UNPUBLISHED))
    register_kind(app, Kind("review_waiting", _l("An article is waiting for your review:"),
                            ARTICLE, visible=can_see_article, hidden=UNPUBLISHED,
                            label=_l("Articles waiting for my review"),
                            default_channel="instant", applies=can_be_reviewer,
                            group=lambda article: f"article:{article.id}"))


def can_be_reviewer(user):
    """Experts and administrators review articles (moderators do not)."""
    return user.role in ("expert", "admin")
