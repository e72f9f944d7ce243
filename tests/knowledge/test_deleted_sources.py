"""Posts deleted after their thread was promoted: the article's history is for experts,
moderators and admins only, and the quoted text leaves every draft, revision, diff and the
search index, for everyone."""
import html
import io
import re
import zipfile

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from core.extensions import db
from core.revisions import Revision, list_revisions
from forum.services import answers, deletion
from knowledge.services import articles, editing, promotion, workflow
from knowledge.models import Article
from knowledge.services.notebooks import create_notebook
from tests import factories
from tests.conftest import PASSWORD
from tests.notes import targets as notes_targets

PLACEHOLDER = "This passage quoted a post that was deleted."
# What the curator writes under the "Good practice" heading a promoted draft leaves empty.
PRACTICE = "\n\nCome back at the same hour, every evening."
# Words found nowhere else, so that a search or a page shows whether the quote leaked.
ANSWER_WORD = "zorblatine"
QUESTION_WORD = "quixomarle"
ANSWER_BODY = (f"I went back every evening at eight with tea for {ANSWER_WORD} near the gate.\n\n"
               "- Always the same hour, the same bench.\n"
               "- Never a question about the family at first.")
QUESTION_BODY = (f"A boy called {QUESTION_WORD} sleeps by the market and runs away when a "
                 "social worker comes near. How do I start?")
SECRET_TITLE = "Girl Nadiavelle aged 9 at the Rue Kessler shelter"
NEUTRAL_TITLE = "Good practice from a deleted discussion"
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
        answers.accept_answer(asker, answer.id)
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
    with app.app_context():
        notebook = create_notebook("street", "Children in street situations", "Outreach.",
                                   [{"title": "First contacts", "body": "Go slowly."}])
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        article.modules.append(notebook.modules[0])
        db.session.commit()
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
        bundle = someone.get("/kb/notebooks/street/offline.zip")
        assert bundle.status_code == 200
        offline = _unzipped(bundle.data)
        assert "Bring tea." in offline  # the article is in the bundle, redacted
        assert ANSWER_WORD not in offline and QUESTION_WORD not in offline
        for word in (ANSWER_WORD, QUESTION_WORD):
            results = someone.get(f"/search?q={word}").get_data(as_text=True)
            assert f"/kb/articles/{slug}" not in results
    page = third_expert.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert PLACEHOLDER in page
    assert "Bring tea." in page  # the curator's own text stays
    history = third_expert.get(f"/kb/articles/{slug}/revisions").get_data(as_text=True)
    assert PLACEHOLDER in history
    # A change awaiting review shows on the curation dashboard; it is redacted too.
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        editing.edit_article(factories.user("expert", "late"), slug, editing.ArticleText(
            article.title, "Come back.", article.body + "\n\nA late line.", "trust", "en"))
    board = third_expert.get("/kb/curation").get_data(as_text=True)
    assert f"/kb/articles/{slug}" in board
    assert ANSWER_WORD not in board and QUESTION_WORD not in board


def _unzipped(data):
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return "".join(bundle.read(name).decode() for name in bundle.namelist())


def test_restoring_an_old_revision_does_not_bring_a_deleted_quote_back(app, ctx):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator, reviewer = factories.user("expert", "curator"), factories.user("expert", "rev")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    deletion.delete_post(answerer, "answer", answer.id)
    deletion.undelete_post(answerer, "answer", answer.id)
    db.session.expire_all()
    # Undeleting the answer does not put the quote back: a curator quotes it again by hand.
    assert ANSWER_WORD not in article.body and PLACEHOLDER in article.body
    assert QUESTION_WORD in article.body  # the question was not deleted
    editing.restore_revision(reviewer, article.slug, 1)
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
    deletion.delete_post(asker, "question", question.id)
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
        answers.edit_answer(answerer, answer.id, "Nothing of the first text is left here now.")
    # The curator writes around the quote and merges two of its lines into one.
    merged = article.body.replace(".\n> - Never", ". Never")
    assert merged != article.body
    text = editing.ArticleText(article.title, "", "Intro written by the curator.\n\n" + merged,
                                "trust", "en")
    editing.edit_article(curator, article.slug, text)
    deletion.delete_post(answerer, "answer", answer.id)
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
    article = editing.create_article(curator, editing.ArticleText(
        "Earning trust in the first street contacts", "", ARTICLE_BODY, "trust", "en"))
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(reviewer, article.slug)
    for viewer in (None, member):
        with pytest.raises(NotFound):
            articles.history(article.slug, viewer)
        with pytest.raises(NotFound):
            articles.revision_pair(article.slug, viewer, 1, 1)
    assert [r.number for r in articles.history(article.slug, reviewer)[1]] == [1]


def _form(page):
    base = re.search(r'name="base_revision"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="base_revision"', page)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    return base.group(1), html.unescape(body).lstrip("\n")


def test_a_stale_edit_form_cannot_put_a_deleted_quote_back(app, user_client):
    slug, _question_id, answer_id = _published_from_thread(app, user_client)
    editor = _english(user_client("expert"))
    base, body = _form(editor.get(f"/kb/articles/{slug}/edit").get_data(as_text=True))
    assert ANSWER_WORD in body
    # The answer is deleted while the expert's form is open.
    assert _client_for(app, "answerer").post_form(f"/answers/{answer_id}/delete").status_code \
        == 302
    fields = {"title": "Earning trust in the first street contacts", "summary": "Come back.",
              "body": body + "\n\nOne more line.", "tags": "trust", "lang": "en",
              "countries": "", "review_by": "", "translation_of": "0", "edit_summary": "x"}
    response = editor.post_form(f"/kb/articles/{slug}/edit", dict(fields, base_revision=base))
    # The redaction is a revision of its own: the stale form meets the conflict page.
    assert response.status_code == 409
    assert "Quotes of a deleted post removed" in editor.get(
        f"/kb/articles/{slug}/revisions").get_data(as_text=True)
    # Saved again from the newest base (or pasted back), the quote is taken out on the way in.
    base, _body = _form(response.get_data(as_text=True))
    assert editor.post_form(f"/kb/articles/{slug}/edit",
                            dict(fields, base_revision=base)).status_code == 302
    reviewer = _english(user_client("expert"))
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    page = _english(app.test_client()).get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "One more line." in page and PLACEHOLDER in page
    assert ANSWER_WORD not in page
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        for revision in list_revisions("article", article.id):
            assert ANSWER_WORD not in revision.body


def test_every_text_entering_an_article_is_scrubbed_of_deleted_posts(ctx):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator, reviewer = factories.user("expert", "curator"), factories.user("expert", "rev")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    stale = article.body
    deletion.delete_post(answerer, "answer", answer.id)
    # A draft edited from text copied before the deletion.
    editing.edit_article(curator, article.slug, editing.ArticleText(
        article.title, "", stale + "\n\nDraft line.", "trust", "en"))
    assert ANSWER_WORD not in article.body and "Draft line." in article.body
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(reviewer, article.slug)
    # A change proposed to the published article, from the same copy.
    editing.edit_article(curator, article.slug, editing.ArticleText(
        article.title, "", stale + "\n\nChange line.", "trust", "en"))
    db.session.expire_all()
    for revision in list_revisions("article", article.id):
        assert ANSWER_WORD not in revision.body
    workflow.approve(reviewer, article.slug)
    assert "Change line." in article.body and ANSWER_WORD not in article.body_html


def test_the_deleted_questions_title_leaves_the_article_its_address_and_notifications(
        app, user_client):
    with app.app_context():
        asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
        curator, reviewer = factories.user("expert", "cur"), factories.user("expert", "rev")
        question = factories.question(asker, title=SECRET_TITLE, body=QUESTION_BODY)
        answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
        article, _ = promotion.promote(curator, question.id, [answer.id])
        editing.edit_article(curator, article.slug, editing.ArticleText(
            article.title, f"About {SECRET_TITLE.lower()}.", article.body + PRACTICE, "trust",
            "en"))
        workflow.submit_for_review(curator, article.slug)
        workflow.approve(reviewer, article.slug)
        old_slug, article_id = article.slug, article.id
        deletion.delete_post(asker, "question", question.id)
        db.session.expire_all()
        article = db.session.get(Article, article_id)
        assert article.title == NEUTRAL_TITLE and "Nadiavelle" not in article.summary
        assert article.slug != old_slug and "nadiavelle" not in article.slug
        for revision in list_revisions("article", article_id):
            assert "Nadiavelle" not in (revision.title or "")
            assert "Nadiavelle" not in str(revision.fields)
        new_slug = article.slug
    reader = _english(app.test_client())
    # Privacy before link stability: the old address, which names the child, is gone.
    assert reader.get(f"/kb/articles/{old_slug}").status_code == 404
    page = reader.get(f"/kb/articles/{new_slug}").get_data(as_text=True)
    assert NEUTRAL_TITLE in page and "Nadiavelle" not in page
    results = reader.get("/search?q=Nadiavelle").get_data(as_text=True)
    assert "/kb/articles/" not in results
    for name in ("answerer", "cur"):
        client = _client_for(app, name)
        notes = client.get("/notifications").get_data(as_text=True)
        assert f"/kb/articles/{new_slug}" in notes_targets(client)
        assert "Nadiavelle" not in notes and old_slug not in notes


def test_translations_of_a_promoted_article_are_redacted_too(ctx):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator, reviewer = factories.user("expert", "cur"), factories.user("expert", "rev")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    editing.edit_article(curator, article.slug, editing.ArticleText(
        article.title, "", article.body + PRACTICE, "trust", "en"))
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(reviewer, article.slug)
    translation = editing.create_article(curator, editing.ArticleText(
        "Gagner la confiance d'un enfant des rues", "",
        article.body.replace("# What worked", "# Ce qui a marché"), "trust", "fr",
        translation_of=article.id))
    workflow.submit_for_review(curator, translation.slug)
    workflow.approve(reviewer, translation.slug)
    deletion.delete_post(answerer, "answer", answer.id)
    db.session.expire_all()
    for text in [translation.body, translation.body_html] + [
            r.body for r in list_revisions("article", translation.id)]:
        assert ANSWER_WORD not in text
    # The placeholder is written in the article's language, as the rest of its text.
    with force_locale("fr"):
        placeholder = gettext("[This passage quoted a post that was deleted.]")
    assert placeholder != "[This passage quoted a post that was deleted.]"
    assert placeholder in translation.body


def test_a_rewrapped_quote_is_found(ctx):
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    curator = factories.user("expert", "cur")
    question = factories.question(asker, body=QUESTION_BODY)
    answer = factories.answer(answerer, question.id, body=ANSWER_BODY)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    body = article.body.replace("with tea for ", "with tea for\n> ")
    body = body.replace("A boy called", "A boy\ncalled").replace("same bench", "*same* bench")
    editing.edit_article(curator, article.slug, editing.ArticleText(
        article.title, "", "Intro written by the curator.\n\n" + body, "trust", "en"))
    deletion.delete_post(asker, "question", question.id)
    db.session.expire_all()
    assert "Intro written by the curator." in article.body
    for text in [article.body] + [r.body for r in list_revisions("article", article.id)]:
        assert ANSWER_WORD not in text and QUESTION_WORD not in text
        assert "same* bench" not in text


def test_a_short_line_of_a_post_does_not_take_the_curators_words_with_it():
    from knowledge.services.redaction import fingerprint, redact

    lines, sentences = fingerprint(["Thank you all!\n\nCome back at the same hour each day."])
    text = ("Say thank you all! to the team, then write it down.\n\n"
            "> Come back at the same\n> *hour* each day.")
    redacted = redact(text, lines, sentences, "[gone]")
    assert redacted == "Say thank you all! to the team, then write it down.\n\n> [gone]"
