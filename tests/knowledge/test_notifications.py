"""The knowledge base's notifications are titled and linked when read: an article given a new
title and address is found from the notifications sent before."""
import re

from core.extensions import db
from knowledge.services import articles, editing, promotion, workflow
from knowledge.models import Article
from tests import factories
from tests.conftest import PASSWORD

# What the curator writes under the "Good practice" heading a promoted draft leaves empty.
PRACTICE = "\n\nCome back at the same hour, every evening."
NEW_TITLE = "Coming back at the same hour every evening"


def _published(curator):
    """An answer by "answerer" promoted by `curator`, completed, reviewed and published (the
    answerer is notified); call inside an app context."""
    answerer = factories.user("member", "answerer")
    question = factories.question(factories.user("member", "asker"))
    answer = factories.answer(answerer, question.id)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    editing.edit_article(curator, article.slug, editing.ArticleText(
        article.title, "", article.body + PRACTICE, "trust", "en"))
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(factories.user("expert", "rev"), article.slug)
    return article


def _answerer_client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.post_form("/auth/login", {"username": "answerer",
                                            "password": PASSWORD}).status_code == 302
    return client


def _opens(client):
    """Where the notifications page's one line leads (through /notifications/<id>/open)."""
    [link] = re.findall(r'href="(/notifications/\d+/open)"',
                        client.get("/notifications").get_data(as_text=True))
    return client.get(link).headers["Location"]


def test_a_notification_follows_the_article_to_its_new_address(app):
    with app.app_context():
        curator = factories.user("expert", "cur")
        article = _published(curator)
        old_slug, article_id = article.slug, article.id
    client = _answerer_client(app)
    assert _opens(client) == f"/kb/articles/{old_slug}"
    with app.app_context():
        # What redaction does to an article whose title named a child: a new title and slug.
        moved = db.session.get(Article, article_id)
        moved.title, moved.slug = NEW_TITLE, articles.unique_slug(NEW_TITLE)
        db.session.commit()
        new_slug = moved.slug
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your answer was promoted" in page and NEW_TITLE in page
    assert old_slug not in page and _opens(client) == f"/kb/articles/{new_slug}"
    assert client.get(f"/kb/articles/{new_slug}").status_code == 200


SECRET = "Working title that names Nadia"


def test_an_article_reopened_as_a_draft_is_withheld_from_readers(app):
    """A reader's notification must not show a draft's working title, though it is read live."""
    with app.app_context():
        curator = factories.user("expert", "cur")
        article = _published(curator)
        workflow.mark_obsolete(curator, article.slug)
        workflow.reopen(curator, article.slug)
        draft = db.session.get(Article, article.id)
        editing.edit_article(curator, draft.slug, editing.ArticleText(
            SECRET, "", draft.body, "trust", "en"))
        slug = db.session.get(Article, article.id).slug
    client = _answerer_client(app)
    assert client.get(f"/kb/articles/{slug}").status_code == 404
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your answer was promoted" in page
    assert "an article that is not published any more" in page
    assert SECRET not in page and slug not in page
