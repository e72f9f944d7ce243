"""What a moderator redacts from a forum post leaves the articles promoted from its thread:
their text, every revision, the offline bundle and search."""
import io
import re
import zipfile

from sqlalchemy import select

from core.extensions import db
from core.revisions import list_revisions
from forum.services import answers, redaction
from knowledge.models import Article
from knowledge.services import editing, promotion, workflow
from knowledge.services.notebooks import create_notebook
from tests import factories

NAME = "Zorblatine"
ANSWER_BODY = (f"I went back every evening at eight with tea for {NAME} near the gate.\n\n"
               "- Always the same hour, the same bench.\n"
               "- Never a question about the family at first.")
QUESTION_BODY = ("A boy sleeps by the market and runs away when a social worker comes near. "
                 "How do I start?")


def _promoted(app):
    with app.app_context():
        asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
        curator = factories.user("expert", "curator")
        question = factories.question(asker, body=QUESTION_BODY)
        answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
        answers.accept_answer(asker, answer.id)
        article, _ = promotion.promote(curator, question.id, [answer.id])
        editing.edit_article(curator, article.slug, editing.ArticleText(
            article.title, "Come back.", article.body + "\n\nBring tea.", "trust", "en"))
        workflow.submit_for_review(curator, article.slug)
        workflow.approve(factories.user("expert", "reviewer"), article.slug)
        notebook = create_notebook("street", "Children in street situations", "Outreach.",
                                   [{"title": "First contacts", "body": "Go slowly."}])
        article.modules.append(notebook.modules[0])
        db.session.commit()
        assert NAME in article.body
        return article.id, answer.id


def _article_texts(app, article_id):
    with app.app_context():
        article = db.session.get(Article, article_id)
        return "\n".join([article.title, article.summary or "", article.body,
                          article.body_html] + [
            f"{r.title} {r.body} {r.fields}" for r in list_revisions("article", article_id)])


def _moderator(app):
    with app.app_context():
        return factories.user("moderator", "mod").id


def test_a_redacted_passage_leaves_the_articles_quoting_it(app, client):
    article_id, answer_id = _promoted(app)
    moderator_id = _moderator(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    found = client.get(f"/search?q={NAME}").get_data(as_text=True)
    assert re.search(r'href="/kb/articles/[^"]', found) and re.search(r"/questions/\d", found)
    with app.test_request_context():
        from core.accounts.models import User
        redaction.redact_passage(db.session.get(User, moderator_id), "answer", answer_id,
                                 NAME, "names a child")
    texts = _article_texts(app, article_id)
    assert NAME not in texts
    assert "tea for [redacted] near the gate" in texts
    assert "Always the same hour" in texts  # the rest of the quote stays
    with app.app_context():
        newest = list_revisions("article", article_id)[0]
        assert newest.summary == "A passage was redacted by a moderator"
        assert newest.editor_id == moderator_id
    found = client.get(f"/search?q={NAME}").get_data(as_text=True)
    assert not re.search(r'href="/kb/articles/[^"]', found), found
    assert not re.search(r"/questions/\d", found)
    bundle = client.get("/kb/notebooks/street/offline.zip")
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as archive:
        offline = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "the same bench" in offline and NAME not in offline


def test_a_redacted_revision_leaves_the_articles_quoting_it(app):
    article_id, answer_id = _promoted(app)
    moderator_id = _moderator(app)
    with app.app_context():
        answerer = db.session.scalar(select(factories.User).where(
            factories.User.username == "answerer"))
        answers.edit_answer(answerer, answer_id, ANSWER_BODY.replace(
            f"with tea for {NAME} near the gate", "with tea"))
    with app.test_request_context():
        redaction.redact_revision(db.session.get(factories.User, moderator_id), "answer",
                                  answer_id, 1, "names a child")
    texts = _article_texts(app, article_id)
    assert NAME not in texts
    # Lines the current answer still holds stay quoted.
    assert "Always the same hour, the same bench." in texts
    with app.app_context():
        assert list_revisions("article", article_id)[0].summary == (
            "A passage was redacted by a moderator")
