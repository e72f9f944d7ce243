"""Posts deleted after their thread was promoted: the article's history is for experts,
moderators and admins only, and the quoted text leaves every draft, revision, diff and the
search index, for everyone."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.revisions import Revision, list_revisions
from forum.services import posting, voting
from knowledge import articles, promotion
from knowledge.models import Article
from tests import factories
from tests.conftest import PASSWORD

PLACEHOLDER = "This passage quoted a post that was deleted."
# Words found nowhere else, so that a search or a page shows whether the quote leaked.
ANSWER_WORD = "zorblatine"
QUESTION_WORD = "quixomarle"
ANSWER_BODY = (f"I went back every evening at eight with tea for {ANSWER_WORD} near the gate.\n\n"
               "- Always the same hour, the same bench.\n"
               "- Never a question about the family at first.")
QUESTION_BODY = (f"A boy called {QUESTION_WORD} sleeps by the market and runs away when a "
                 "social worker comes near. How do I start?")
ARTICLE_BODY = ("Sit down at the child's height, say who you are and come back at the same hour "
                "the next days: trust grows from what is repeated.")


def _english(test_client):
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


def _client_for(app, username):
    new = _english(app.test_client())
    assert new.post_form("/auth/login", {"username": username,
                                         "password": PASSWORD}).status_code == 302
    return new


def _thread(app):
    with app.app_context():
        asker = factories.user("member", "asker")
        answerer = factories.user("member", "answerer")
        question = factories.question(asker, title="How do I earn a street child's trust?",
                                      body=QUESTION_BODY)
        answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
        voting.accept_answer(asker, answer.id)
        return question.id, answer.id


def _published_from_thread(app, user_client):
    """Promote a thread, edit the draft once, publish it: three revisions quote the posts."""
    question_id, answer_id = _thread(app)
    curator, reviewer = user_client("expert"), user_client("expert")
    response = curator.post_form(f"/kb/promote/{question_id}", {"answers": str(answer_id)})
    slug = response.location.split("/")[-2]
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        body = article.body + "\n\nBring tea."
    assert curator.post_edit(f"/kb/articles/{slug}/edit", {
        "title": "Earning trust in the first street contacts", "summary": "Come back.",
        "body": body, "tags": "trust", "lang": "en", "countries": "", "review_by": "",
        "translation_of": "0", "edit_summary": "Tea"}).status_code == 302
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    return slug, question_id, answer_id


def _history_urls(slug, numbers):
    urls = [f"/kb/articles/{slug}/revisions"]
    urls += [f"/kb/articles/{slug}/revisions/diff?from={a}&to={b}"
             for a in numbers for b in numbers if a != b]
    return urls


def test_readers_and_members_never_see_an_articles_history(app, user_client, client):
    slug, _question_id, _answer_id = _published_from_thread(app, user_client)
    member = _english(user_client("member"))
    for someone in (_english(client), member):
        assert someone.get(f"/kb/articles/{slug}").status_code == 200
        for url in _history_urls(slug, (1, 2)):
            # 404, not 403: a reader does not learn that a history exists.
            assert someone.get(url).status_code == 404, url
        assert f"/kb/articles/{slug}/revisions" not in someone.get(
            f"/kb/articles/{slug}").get_data(as_text=True)
    for role in ("expert", "moderator", "admin"):
        staff = _english(user_client(role))
        assert staff.get(f"/kb/articles/{slug}/revisions").status_code == 200
        assert staff.get(f"/kb/articles/{slug}/revisions/diff?from=1&to=2").status_code == 200


def test_a_deleted_answer_and_question_leave_every_page_of_the_article(
        app, user_client, client):
    slug, question_id, answer_id = _published_from_thread(app, user_client)
    found = _english(client).get(f"/search?q={ANSWER_WORD}").get_data(as_text=True)
    assert f"/kb/articles/{slug}" in found  # indexed before the deletion

    answerer, asker = _client_for(app, "answerer"), _client_for(app, "asker")
    assert answerer.post_form(f"/answers/{answer_id}/delete").status_code == 302
    assert asker.post_form(f"/questions/{question_id}/delete").status_code == 302

    third_expert = _english(user_client("expert"))
    with app.app_context():
        numbers = [r.number for r in list_revisions(
            "article", db.session.scalar(select(Article.id).where(Article.slug == slug)))]
    urls = [f"/kb/articles/{slug}", f"/kb/articles/{slug}/print",
            f"/kb/articles/{slug}/edit"] + _history_urls(slug, numbers)
    for someone in (_english(client), _english(user_client("member")), third_expert):
        for url in urls:
            page = someone.get(url).get_data(as_text=True)
            assert ANSWER_WORD not in page and QUESTION_WORD not in page, url
        for word in (ANSWER_WORD, QUESTION_WORD):
            results = someone.get(f"/search?q={word}").get_data(as_text=True)
            assert f"/kb/articles/{slug}" not in results
    page = third_expert.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert PLACEHOLDER in page
    assert "Bring tea." in page  # the curator's own text stays
    history = third_expert.get(f"/kb/articles/{slug}/revisions").get_data(as_text=True)
    assert PLACEHOLDER in history


def test_restoring_an_old_revision_does_not_bring_a_deleted_quote_back(app, ctx):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator, reviewer = factories.user("expert", "curator"), factories.user("expert", "rev")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    posting.delete_post(answerer, "answer", answer.id)
    posting.undelete_post(answerer, "answer", answer.id)
    db.session.expire_all()
    # Undeleting the answer does not put the quote back: a curator quotes it again by hand.
    assert ANSWER_WORD not in article.body and PLACEHOLDER in article.body
    assert QUESTION_WORD in article.body  # the question was not deleted
    articles.restore_revision(reviewer, article.slug, 1)
    db.session.expire_all()
    assert ANSWER_WORD not in article.body and ANSWER_WORD not in article.body_html
    for revision in db.session.scalars(select(Revision).where(
            Revision.target_type == "article")):
        assert ANSWER_WORD not in revision.body
    # The answer itself is only soft-deleted and keeps its own history.
    assert ANSWER_WORD in answer.body
    assert ANSWER_WORD in list_revisions("answer", answer.id)[-1].body


def test_deleting_the_question_removes_its_answers_quotes_too(ctx):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator = factories.user("expert", "curator")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    posting.delete_post(asker, "question", question.id)
    db.session.expire_all()
    # Nobody but its author and moderators reads an answer of a deleted question any more.
    for text in [article.body, article.body_html] + [
            r.body for r in list_revisions("article", article.id)]:
        assert ANSWER_WORD not in text and QUESTION_WORD not in text
        assert "Never a question about the family" not in text


@pytest.mark.parametrize("edited", [False, True])
def test_a_quote_the_curator_reflowed_is_removed_too(ctx, edited):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator = factories.user("expert", "curator")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    if edited:  # the answer no longer says what the article quotes
        posting.edit_answer(answerer, answer.id, "Nothing of the first text is left here now.")
    # The curator writes around the quote and merges two of its lines into one.
    merged = article.body.replace(".\n> - Never", ". Never")
    assert merged != article.body
    text = articles.ArticleText(article.title, "", "Intro written by the curator.\n\n" + merged,
                                "trust", "en")
    articles.edit_article(curator, article.slug, text)
    posting.delete_post(answerer, "answer", answer.id)
    db.session.expire_all()
    assert "Intro written by the curator." in article.body
    for body in [article.body, article.body_html] + [
            r.body for r in list_revisions("article", article.id)]:
        assert ANSWER_WORD not in body and "Always the same hour" not in body
        assert "Never a question about the family" not in body


def test_the_history_services_refuse_readers_and_members_as_not_found(ctx):
    from core.errors import NotFound

    curator, reviewer = factories.user("expert", "curator"), factories.user("expert", "rev")
    member = factories.user("member", "reader")
    article = articles.create_article(curator, articles.ArticleText(
        "Earning trust in the first street contacts", "", ARTICLE_BODY, "trust", "en"))
    articles.submit_for_review(curator, article.slug)
    articles.approve(reviewer, article.slug)
    for viewer in (None, member):
        with pytest.raises(NotFound):
            articles.history(article.slug, viewer)
        with pytest.raises(NotFound):
            articles.revision_pair(article.slug, viewer, 1, 1)
    assert [r.number for r in articles.history(article.slug, reviewer)[1]] == [1]
