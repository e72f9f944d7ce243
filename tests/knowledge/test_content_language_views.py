"""Content in its own language, through HTTP: the module picker groups modules by notebook
with the notebook's language named and the server refuses a module in another language; the
guidance stands beside the editor; a draft still holding a placeholder is not published."""
import re

from sqlalchemy import select

from core.extensions import db
from core.revisions import list_revisions
from forum.services import answers
from knowledge.models import Article
from knowledge.services.notebooks import create_notebook
from tests import factories

BODY = ("Revenir chaque soir à la même heure, se présenter et laisser l'enfant choisir la "
        "distance : la confiance naît de la régularité.")


def _notebooks(app):
    """An English and a French notebook; the ids of their first modules."""
    with app.app_context():
        english = create_notebook("street", "Children in street situations", "",
                                  [{"title": "First contacts"}, {"title": "Groups"}], lang="en")
        french = create_notebook("rue", "Enfants en situation de rue", "",
                                 [{"title": "Premiers contacts"}, {"title": "Les groupes"}],
                                 lang="fr")
        return english.modules[0].id, french.modules[0].id


def _form(**changes):
    data = {"title": "Revenir à la même heure", "summary": "La régularité.", "body": BODY,
            "tags": "trust", "lang": "fr", "countries": "", "review_by": "",
            "translation_of": "0", "edit_summary": ""}
    data.update(changes)
    return data


def _groups(page):
    """The module picker of an article form, and its part folded away."""
    picker = re.search(r'<fieldset id="modules".*?(?=<div class="field)', page, re.S).group(0)
    folded = picker.split("<details", 1)[1] if "<details" in picker else ""
    return picker, folded


def test_the_picker_groups_modules_by_notebook_with_its_language(app, user_client):
    english_id, french_id = _notebooks(app)
    expert = user_client("expert")
    expert.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    slug = expert.post_form("/kb/articles/new",
                            _form(modules=str(french_id))).location.rsplit("/", 1)[-1]
    page = expert.get(f"/kb/articles/{slug}/edit").get_data(as_text=True)
    picker, folded = _groups(page)
    # The French article's notebook first, named with its language, its module checked...
    assert re.search(r'<legend><span lang="fr"[^>]*>Enfants en situation de rue</span> '
                     r'\(<span lang="fr">français</span>\)</legend>', picker)
    assert re.search(rf'<input checked[^>]*value="{french_id}"', picker)
    assert picker.index("Enfants en situation de rue") < picker.index("<details")
    # ...the English notebook folded away under "other languages", with its language named.
    assert "Notebooks in other languages" in folded
    assert re.search(r'Children in street situations</span> \(<span lang="en">English</span>\)',
                     folded)
    assert "First contacts" in folded and "Premiers contacts" not in folded
    assert "<details open" not in picker


def test_a_new_article_for_a_module_lists_that_modules_notebook_first(app, user_client):
    english_id, _french_id = _notebooks(app)
    expert = user_client("expert")
    page = expert.get(f"/kb/articles/new?module={english_id}",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    picker, folded = _groups(page)
    assert re.search(r'<option selected value="en">|<option value="en" selected>', page)
    assert "First contacts" not in folded and "Premiers contacts" in folded


def test_a_module_in_another_language_is_refused_and_nothing_changes(app, user_client):
    english_id, french_id = _notebooks(app)
    expert = user_client("expert")
    expert.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    refused = expert.post_form("/kb/articles/new", _form(modules=str(english_id)))
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "“Children in street situations › 1. First contacts” belongs to a notebook in " \
           "another language" in page
    # The picker is open where the wrong module is, so the expert sees it to uncheck it.
    assert "<details open" in page
    with app.app_context():
        assert db.session.query(Article).count() == 0
    slug = expert.post_form("/kb/articles/new",
                            _form(modules=str(french_id))).location.rsplit("/", 1)[-1]
    url = f"/kb/articles/{slug}/edit"
    response = expert.post_edit(url, _form(modules=f"{english_id}", edit_summary="English"))
    assert response.status_code == 400
    assert "belongs to a notebook in another language" in response.get_data(as_text=True)
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        assert [module.id for module in article.modules] == [french_id]
        assert len(list_revisions("article", article.id)) == 1


def _promoted_in_review(app, user_client):
    """A thread promoted and submitted for review unchanged; (slug, curator, reviewer)."""
    with app.app_context():
        asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
        question = factories.question(asker)
        answer = factories.answer(answerer, question.id,
                                  body="I went back every evening at eight, with tea. " * 2)
        answers.accept_answer(asker, answer.id)
        question_id, answer_id = question.id, answer.id
    curator, reviewer = user_client("expert"), user_client("expert")
    for someone in (curator, reviewer):
        someone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = curator.post_form(f"/kb/promote/{question_id}", {"answers": str(answer_id)})
    slug = response.location.split("/")[-2]
    return slug, curator, reviewer


def test_the_guidance_stands_beside_the_editor_not_in_the_draft(app, user_client):
    slug, curator, _reviewer = _promoted_in_review(app, user_client)
    page = curator.get(f"/kb/articles/{slug}/edit").get_data(as_text=True)
    guidance = re.search(r'<aside class="notice" id="writing-guidance".*?</aside>', page,
                         re.S).group(0)
    assert "What a colleague should remember" in guidance and "<dt>Good practice</dt>" in guidance
    # Beside the editor (right before it), and nothing of it in the text being edited.
    assert page.index("</aside>") < page.index('name="body"')
    draft = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "# Good practice" in draft and "colleague should remember" not in draft
    assert "Write here" not in draft


def test_a_draft_still_holding_a_placeholder_is_not_published(app, user_client, client):
    slug, curator, reviewer = _promoted_in_review(app, user_client)
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    page = reviewer.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "This text cannot be published yet:" in page
    assert "The section “Good practice” is empty" in page
    assert "Approve and publish" not in page and "Return to its curator" in page
    # Posted anyway (an old page, a crafted form): refused with the reason, nothing changed.
    refused = reviewer.post_decision(f"/kb/articles/{slug}/approve")
    assert refused.status_code == 409
    assert "The section “Good practice” is empty" in refused.get_data(as_text=True)
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        assert article.status == "in_review" and article.published_at is None
    assert client.get(f"/kb/articles/{slug}").status_code == 404
    # The curator's draft page says so before submission too.
    reviewer.post_decision(f"/kb/articles/{slug}/return", {"comment": "Write the practice."})
    own = curator.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "The section “Good practice” is empty" in own
