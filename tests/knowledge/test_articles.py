"""Articles without HTTP: promotion, the review workflow and its permissions for every role,
attribution that survives edits and deletions, revisions, translations, re-verification."""
from datetime import date, timedelta

import pytest

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.notifications.models import Notification
from core.revisions import list_revisions
from core.timeutil import utcnow
from forum.services import answers, deletion, votes
from knowledge.services import articles, curation, editing, promotion, workflow
from knowledge.services.notebooks import create_notebook
from tests import factories

BODY = ("Sit down at the child's height, say who you are and come back at the same hour the "
        "next days: trust grows from what is repeated.")


def _text(title="Building trust in the first street contacts", body=BODY, tags="trust",
          lang="en", **extra):
    return editing.ArticleText(title, "Come back, and keep your word.", body, tags, lang,
                                **extra)


@pytest.fixture
def people(ctx):
    return {role: factories.user(role) for role in ("member", "expert", "moderator", "admin")} \
        | {"expert2": factories.user("expert", "second_expert")}


@pytest.fixture
def thread(people):
    asker = people["member"]
    answerer = factories.user("member", "answerer")
    other = factories.user("member", "other_answerer")
    question = factories.question(asker)
    accepted = factories.answer(answerer, question.id,
                                body="I went back every evening at eight, with tea. " * 2)
    second = factories.answer(other, question.id, body="A football helped us to talk. " * 3)
    answers.accept_answer(asker, accepted.id)
    return question, accepted, second


def test_promotion_credits_the_answers_authors_and_the_asker(people, thread):
    question, accepted, _second = thread
    _question, _answers, preselected = promotion.candidates(people["expert"], question.id)
    assert preselected == [accepted.id]
    article, created = promotion.promote(people["expert"], question.id, [accepted.id])
    assert created and article.status == "draft"
    assert article.source_question_id == question.id
    assert [c.user.username for c in article.contributors] == ["answerer", question.author.username]
    assert "I went back every evening" in article.body and question.body in article.body
    assert article.curator.id == people["expert"].id
    assert [tag.name for tag in article.tags] == [tag.name for tag in question.tags]
    # Nobody is told before publication.
    assert db.session.query(Notification).filter_by(kind="promoted").count() == 0


def test_promoting_the_same_thread_again_offers_the_existing_article(people, thread):
    question, accepted, second = thread
    first, _ = promotion.promote(people["expert"], question.id, [accepted.id])
    again, created = promotion.promote(people["expert2"], question.id, [second.id])
    assert not created and again.id == first.id
    assert promotion.existing_article(question.id).id == first.id


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_experts_and_admins_promote(people, thread, role):
    question, accepted, _ = thread
    with pytest.raises(Forbidden):
        promotion.promote(people[role], question.id, [accepted.id])


def test_promotion_needs_an_answer(people, thread):
    question, _accepted, _ = thread
    with pytest.raises(InvalidInput):
        promotion.promote(people["expert"], question.id, [])


def _write_good_practice(curator, article):
    """The curator writes the section a promoted draft leaves empty."""
    editing.edit_article(curator, article.slug, _text(
        title=article.title, body=article.body + "\n\nCome back at the same hour.",
        tags=article.tag_names))


def test_review_needs_a_second_expert_then_notifies_the_credited_authors(people, thread):
    question, accepted, second = thread
    article, _ = promotion.promote(people["expert"], question.id, [accepted.id, second.id])
    _write_good_practice(people["expert"], article)
    workflow.submit_for_review(people["expert"], article.slug)
    assert article.status == "in_review"
    with pytest.raises(Forbidden):
        workflow.approve(people["expert"], article.slug)  # its own curator
    for role in ("member", "moderator"):
        with pytest.raises(Forbidden):
            workflow.approve(people[role], article.slug)
    workflow.approve(people["expert2"], article.slug)
    assert article.status == "published" and article.reviewer.id == people["expert2"].id
    assert article.verified_at is not None
    assert article.review_by == (utcnow() + workflow.REVIEW_INTERVAL).date()
    notified = {n.recipient_id for n in db.session.query(Notification).filter_by(kind="promoted")}
    assert notified == {accepted.author_id, second.author_id}
    assert articles.published_for_question(question.id) == [article]


def test_a_returned_article_goes_back_to_draft_with_the_comment(people, thread):
    question, accepted, _ = thread
    article, _ = promotion.promote(people["expert"], question.id, [accepted.id])
    workflow.submit_for_review(people["expert"], article.slug)
    with pytest.raises(InvalidInput):
        workflow.return_to_draft(people["admin"], article.slug, "")
    workflow.return_to_draft(people["admin"], article.slug, "Say which city this applies to.")
    assert article.status == "draft"
    assert article.review_comment == "Say which city this applies to."
    returned = db.session.query(Notification).filter_by(kind="article_returned").one()
    assert returned.recipient_id == people["expert"].id
    with pytest.raises(Conflict):
        workflow.approve(people["admin"], article.slug)  # a draft is not in review


def test_drafts_are_seen_by_experts_moderators_and_admins_only(people):
    article = editing.create_article(people["expert"], _text())
    for role in ("expert", "expert2", "moderator", "admin"):
        assert articles.get_article(article.slug, people[role]).id == article.id
    for viewer in (people["member"], None):
        with pytest.raises(NotFound):
            articles.get_article(article.slug, viewer)


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_experts_and_admins_write(people, role):
    with pytest.raises(Forbidden):
        editing.create_article(people[role], _text())
    article = editing.create_article(people["admin"], _text())
    with pytest.raises((Forbidden, NotFound)):
        editing.edit_article(people[role], article.slug, _text(title="A title changed by them"))


def test_attribution_survives_edits_and_deletions_of_the_sources(people, thread):
    question, accepted, _ = thread
    article, _ = promotion.promote(people["expert"], question.id, [accepted.id])
    answers.edit_answer(accepted.author, accepted.id, "Something else entirely, rewritten. " * 2)
    deletion.delete_post(accepted.author, "answer", accepted.id)
    deletion.delete_post(question.author, "question", question.id)
    db.session.expire_all()
    kept = articles.get_article(article.slug, people["expert"])
    assert [c.user.username for c in kept.contributors][0] == "answerer"
    assert kept.contributors[0].source_answer_id == accepted.id
    # The credit stays; the deleted answer's words leave the article (issue 12, item 4).
    assert "I went back every evening" not in kept.body


def test_every_edit_is_a_revision_that_can_be_restored(people):
    article = editing.create_article(people["expert"], _text())
    editing.edit_article(people["expert2"], article.slug,
                          _text(title="Trust in the first street contacts, revised"), "Shorter")
    with pytest.raises(InvalidInput):  # nothing changed
        editing.edit_article(people["expert2"], article.slug,
                              _text(title="Trust in the first street contacts, revised"))
    assert [r.number for r in list_revisions("article", article.id)] == [2, 1]
    editing.restore_revision(people["admin"], article.slug, 1)
    assert article.title == "Building trust in the first street contacts"
    assert [r.number for r in list_revisions("article", article.id)] == [3, 2, 1]


def test_bad_input_is_refused_and_changes_nothing(people):
    with pytest.raises(InvalidInput) as error:
        editing.create_article(people["expert"], _text(countries="MA XX"))
    assert error.value.field == "countries"
    with pytest.raises(InvalidInput):
        _text(title="short")
    assert db.session.query(articles.Article).count() == 0


def test_translations_are_linked_both_ways(people):
    original = editing.create_article(people["expert"], _text())
    spanish = editing.create_article(
        people["expert"], _text(title="Construir la confianza en la calle", lang="es",
                                translation_of=original.id))
    french = editing.create_article(
        people["expert"], _text(title="Créer la confiance dans la rue", lang="fr",
                                translation_of=spanish.id))
    assert french.translation_of_id == original.id  # the group's first article
    assert {a.lang for a in articles.translations(original, people["expert"])} == {"es", "fr"}
    assert {a.lang for a in articles.translations(spanish, people["expert"])} == {"en", "fr"}
    # Readers see published translations only.
    assert articles.translations(original, None) == []


def test_countries_and_re_verification(people):
    article = editing.create_article(people["expert"], _text(countries="pe ma, CD"))
    assert article.countries == "CD MA PE"
    workflow.submit_for_review(people["expert"], article.slug)
    workflow.approve(people["admin"], article.slug)
    article.review_by = date.today() - timedelta(days=1)
    db.session.commit()
    assert [a.id for a in curation.dashboard(people["expert2"]).due] == [article.id]
    workflow.mark_verified(people["expert2"], article.slug)
    assert article.review_by > date.today()
    assert curation.dashboard(people["expert2"]).due == []
    workflow.mark_obsolete(people["expert2"], article.slug)
    assert article.status == "archived"
    assert articles.get_article(article.slug, None).status == "archived"
    assert articles.recent_published() == []


def test_dashboard_lists_threads_worth_promoting_until_promoted(people, thread):
    question, accepted, _ = thread
    votes.vote(people["expert2"], "answer", accepted.id, 1)
    board = curation.dashboard(people["expert"])
    assert [q.id for q, _score in board.worth_promoting] == [question.id]
    article, _ = promotion.promote(people["expert"], question.id, [accepted.id])
    board = curation.dashboard(people["expert"])
    assert board.worth_promoting == [] and [a.id for a in board.drafts] == [article.id]
    with pytest.raises(Forbidden):
        curation.dashboard(people["member"])


def test_module_pages_list_their_published_articles(people):
    notebook = create_notebook("care", "Care notebook", "", [{"title": "Arrival"}])
    module = notebook.modules[0]
    article = editing.create_article(people["expert"], _text(module_ids=[module.id]))
    assert articles.published_for_module(module.id) == []
    workflow.submit_for_review(people["expert"], article.slug)
    workflow.approve(people["expert2"], article.slug)
    assert articles.published_for_module(module.id) == [article]
