"""A change to a published article goes through review like the first publication, and nobody
approves a text of which they wrote any revision since the last publication."""
import re

import pytest

from core.errors import Conflict, Forbidden
from core.extensions import db
from core.revisions import list_revisions
from knowledge.services import editing, review, workflow
from knowledge.models import Article
from tests import factories

BODY = ("Sit down at the child's height, say who you are and come back at the same hour the "
        "next days: trust grows from what is repeated.")
NEW_SENTENCE = "Bring a thermos of sweet tea on cold evenings."


def _english(test_client):
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


def _form(**changes):
    data = {"title": "Earning trust in the first street contacts",
            "summary": "Come back at the same hour.", "body": BODY, "tags": "trust",
            "lang": "en", "countries": "", "review_by": "", "translation_of": "0",
            "edit_summary": ""}
    data.update(changes)
    return data


def _published(user_client):
    curator, reviewer = _english(user_client("expert")), _english(user_client("expert"))
    slug = curator.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    return slug, curator, reviewer


def test_a_curators_change_to_their_published_article_waits_for_review(
        app, user_client, client):
    slug, curator, _first_reviewer = _published(user_client)
    reader = _english(client)
    response = curator.post_edit(f"/kb/articles/{slug}/edit",
                                 _form(body=BODY + "\n\n" + NEW_SENTENCE, edit_summary="Tea"))
    assert response.status_code == 302
    assert NEW_SENTENCE not in reader.get(f"/kb/articles/{slug}").get_data(as_text=True)
    own = curator.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "A change to this article awaits review" in own
    assert NEW_SENTENCE not in own  # the page shows what readers read; the change is a diff
    # The edit form starts from the change, so that the next edit builds on it.
    assert NEW_SENTENCE in curator.get(f"/kb/articles/{slug}/edit").get_data(as_text=True)
    assert "Approve and publish" not in own
    assert curator.post_decision(f"/kb/articles/{slug}/approve").status_code == 403
    assert NEW_SENTENCE not in reader.get(f"/kb/articles/{slug}").get_data(as_text=True)

    another = _english(user_client("expert"))
    board = another.get("/kb/curation").get_data(as_text=True)
    assert f'href="/kb/articles/{slug}"' in board.split("Changes to published articles")[1]
    review = another.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "Approve and publish" in review
    assert another.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    assert NEW_SENTENCE in reader.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "awaits review" not in another.get(f"/kb/articles/{slug}").get_data(as_text=True)


def test_an_expert_who_edited_an_article_in_review_cannot_approve_it(app, user_client):
    curator, editor = _english(user_client("expert")), _english(user_client("expert"))
    slug = curator.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    assert editor.post_edit(f"/kb/articles/{slug}/edit",
                            _form(body=BODY + "\n\n" + NEW_SENTENCE)).status_code == 302
    page = editor.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "Approve and publish" not in page
    assert editor.post_decision(f"/kb/articles/{slug}/approve").status_code == 403
    assert editor.post_decision(f"/kb/articles/{slug}/return",
                            {"comment": "I rewrote it myself."}).status_code == 403
    third = _english(user_client("admin"))
    assert third.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    assert NEW_SENTENCE in _english(app.test_client()).get(
        f"/kb/articles/{slug}").get_data(as_text=True)


@pytest.fixture
def experts(ctx):
    return [factories.user("expert", name) for name in ("ana", "bea", "cid")]


def _text(body=BODY, title="Earning trust in the first street contacts"):
    return editing.ArticleText(title, "Come back.", body, "trust", "en")


def _publish(experts):
    ana, bea, _cid = experts
    article = editing.create_article(ana, _text())
    workflow.submit_for_review(ana, article.slug)
    workflow.approve(bea, article.slug)
    return article


def test_a_pending_change_keeps_the_published_text_until_approved(experts):
    ana, bea, cid = experts
    article = _publish(experts)
    # The first reviewer edits: now ana, who did not write this change, may approve it.
    editing.edit_article(bea, article.slug, _text(body=BODY + " " + NEW_SENTENCE))
    assert NEW_SENTENCE not in article.body and NEW_SENTENCE not in article.body_html
    assert article.status == "published"
    assert review.pending_change(article).editors == {bea.id}
    for someone in (bea,):
        with pytest.raises(Forbidden):
            workflow.approve(someone, article.slug)
    workflow.approve(ana, article.slug)
    assert NEW_SENTENCE in article.body and review.pending_change(article) is None
    assert article.reviewer.id == ana.id
    assert article.published_revision == list_revisions("article", article.id)[0].number
    with pytest.raises(Conflict):  # nothing waits for review any more
        workflow.approve(cid, article.slug)


def test_everyone_who_wrote_part_of_a_change_is_excluded_from_approving_it(experts):
    ana, bea, cid = experts
    article = _publish(experts)
    editing.edit_article(ana, article.slug, _text(body=BODY + " " + NEW_SENTENCE))
    editing.edit_article(bea, article.slug, _text(body=BODY + " " + NEW_SENTENCE + " More."))
    for someone in (ana, bea):
        with pytest.raises(Forbidden):
            workflow.approve(someone, article.slug)
    # Restoring the published revision is a change too: it waits for review.
    editing.restore_revision(cid, article.slug, 1)
    assert NEW_SENTENCE not in article.body
    with pytest.raises(Forbidden):
        workflow.approve(cid, article.slug)


def test_a_returned_change_leaves_the_published_text_and_stays_in_the_history(experts):
    ana, bea, cid = experts
    article = _publish(experts)
    published_body = article.body
    editing.edit_article(ana, article.slug, _text(body=BODY + " " + NEW_SENTENCE))
    with pytest.raises(Forbidden):
        workflow.return_to_draft(ana, article.slug, "I do not like my own change.")
    workflow.return_to_draft(cid, article.slug, "Say where tea is safe to share.")
    assert article.status == "published" and article.body == published_body
    assert review.pending_change(article) is None
    assert article.review_comment == "Say where tea is safe to share."
    assert any(NEW_SENTENCE in r.body for r in list_revisions("article", article.id))
    assert db.session.get(type(article), article.id).status == "published"


def test_nobody_approves_their_own_text_restored_by_someone_else(experts):
    ana, bea, cid = experts
    article = _publish(experts)
    published_body = article.body
    dan = factories.user("expert", "dan")
    editing.edit_article(dan, article.slug, _text(body=BODY + " " + NEW_SENTENCE))
    workflow.return_to_draft(bea, article.slug, "No thanks.")
    # cid restores dan's returned change, then restores that restore again: the text is dan's.
    editing.restore_revision(cid, article.slug, 2)
    assert dan.id in review.pending_change(article).editors
    with pytest.raises(Forbidden):
        workflow.approve(dan, article.slug)
    workflow.return_to_draft(bea, article.slug, "Still no.")
    editing.restore_revision(ana, article.slug, 4)
    with pytest.raises(Forbidden):
        workflow.approve(dan, article.slug)
    assert article.body == published_body
    # Someone who wrote none of it may publish it.
    workflow.approve(bea, article.slug)
    assert NEW_SENTENCE in article.body


def test_restoring_an_edit_counts_the_authors_of_the_text_it_was_built_on(experts):
    ana, bea, cid = experts
    article = _publish(experts)
    dan, eve = factories.user("expert", "dan"), factories.user("expert", "eve")
    editing.edit_article(dan, article.slug, _text(body=BODY + " " + NEW_SENTENCE))
    editing.edit_article(eve, article.slug, _text(body=BODY + " " + NEW_SENTENCE + " More."))
    workflow.return_to_draft(bea, article.slug, "No thanks.")
    editing.restore_revision(cid, article.slug, 3)  # eve's text, built on dan's
    for author in (dan, eve, cid):
        with pytest.raises(Forbidden):
            workflow.approve(author, article.slug)
    # The published text's author is not excluded from reviewing a change to it.
    workflow.approve(ana, article.slug)
    assert article.body.endswith("More.")


def test_restoring_the_published_text_does_not_exclude_its_author(experts):
    ana, bea, cid = experts
    article = _publish(experts)
    editing.edit_article(bea, article.slug, _text(body=BODY + " " + NEW_SENTENCE))
    workflow.approve(ana, article.slug)  # revision 2 is published
    editing.restore_revision(cid, article.slug, 1)  # ana's reviewed first text
    assert review.pending_change(article).editors == {cid.id}
    workflow.approve(ana, article.slug)
    assert NEW_SENTENCE not in article.body


def test_the_author_of_a_restored_text_cannot_approve_it_through_the_page(app, user_client):
    slug, curator, reviewer = _published(user_client)
    author, restorer = _english(user_client("expert")), _english(user_client("expert"))
    page = author.get(f"/kb/articles/{slug}/edit").get_data(as_text=True)
    base = re.search(r'name="base_revision"[^>]*value="(\d+)"', page).group(1)
    assert author.post_edit(f"/kb/articles/{slug}/edit",
                            _form(body=BODY + "\n\n" + NEW_SENTENCE,
                                  base_revision=base)).status_code == 302
    assert reviewer.post_decision(f"/kb/articles/{slug}/return",
                              {"comment": "No thanks.", "revision": "2"}).status_code == 302
    assert restorer.post_form(f"/kb/articles/{slug}/revisions/2/restore").status_code == 302
    assert "Approve and publish" not in author.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert author.post_decision(f"/kb/articles/{slug}/approve",
                            {"revision": "4"}).status_code == 403
    assert NEW_SENTENCE not in _english(app.test_client()).get(
        f"/kb/articles/{slug}").get_data(as_text=True)


@pytest.mark.parametrize("revision", [None, "", "abc", "-1"])
def test_a_decision_without_the_revision_read_is_refused(app, user_client, revision):
    curator, reviewer = _english(user_client("expert")), _english(user_client("expert"))
    slug = curator.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    data = {} if revision is None else {"revision": revision}
    response = reviewer.post_form(f"/kb/articles/{slug}/approve", data)
    assert response.status_code == 400
    assert "This form is out of date: reload the page" in response.get_data(as_text=True)
    response = reviewer.post_form(f"/kb/articles/{slug}/return",
                                  dict(data, comment="Say where tea is safe to share."))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form is out of date: reload the page" in page
    assert "Say where tea is safe to share." in page
    with app.app_context():
        article = db.session.query(Article).one()
        assert article.status == "in_review" and article.review_comment == ""
    assert "In review" in _english(curator).get(f"/kb/articles/{slug}").get_data(as_text=True)
