"""Articles in search, on both engines: found once published, never as drafts, with
`is:article` and `module:`, ranked above a thread that matches as well."""
import pytest

from core.accounts.services import get_user_by_username
from core.extensions import db
from knowledge.services import editing, workflow
from knowledge.services.notebooks import create_notebook, link_question
from search_index import indexing, registry

BODY = ("When a child runs away at the first contact, come back at the same hour every evening, "
        "sit at a distance and let the child choose when to talk.")


@pytest.fixture
def kb(app, make_user, seed):
    """A notebook module, a thread and an article on the same subject (still a draft)."""
    curator, reviewer = make_user("expert"), make_user("expert")
    asker = make_user(username="asker")
    with app.app_context():
        notebook = create_notebook("street", "Children in street situations", "",
                                   [{"title": "First contacts"}])
        module_id = notebook.modules[0].id
        text = editing.ArticleText(
            "Approaching a child who runs away from outreach", "Come back, sit down.", BODY,
            "outreach", "en", module_ids=[module_id])
        slug = editing.create_article(get_user_by_username(curator), text).slug
    thread = seed.question(asker, "Approaching a child who runs away from outreach teams",
                           BODY, tags="outreach")
    return {"curator": curator, "reviewer": reviewer, "slug": slug, "module": module_id,
            "thread": thread}


def _publish(app, kb):
    with app.app_context():
        workflow.submit_for_review(get_user_by_username(kb["curator"]), kb["slug"])
        workflow.approve(get_user_by_username(kb["reviewer"]), kb["slug"])


def _kinds(find, text, viewer=None):
    ids = find(text, viewer)
    return [(item.card.kind, item.card.id) for item in find.last.items], ids


def test_drafts_are_never_found_even_by_their_curator(app, kb, find):
    with app.app_context():
        expert = get_user_by_username(kb["curator"])
        kinds, _ids = _kinds(find, "runs away outreach", expert)
    assert [kind for kind, _id in kinds] == ["question"]
    assert find("is:article") == []


def test_a_published_article_ranks_above_an_equally_matching_thread(app, kb, find):
    _publish(app, kb)
    kinds, _ids = _kinds(find, "child runs away outreach")
    assert [kind for kind, _id in kinds] == ["article", "question"]
    assert "/kb/articles/" + kb["slug"] == find.last.items[0].card.url


def test_is_article_and_module_filters(app, kb, find, seed):
    _publish(app, kb)
    kinds, _ids = _kinds(find, "outreach is:article")
    assert [kind for kind, _id in kinds] == ["article"]
    kinds, _ids = _kinds(find, f"module:{kb['module']}")
    assert [kind for kind, _id in kinds] == ["article"]
    assert find("module:999") == []


def test_an_archived_article_leaves_the_index(app, kb, find):
    _publish(app, kb)
    with app.app_context():
        workflow.mark_obsolete(get_user_by_username(kb["reviewer"]), kb["slug"])
    assert find("is:article") == []


def test_a_question_asked_about_a_module_is_found_with_module(app, kb, find, user_client):
    client = user_client("member")
    response = client.get(f"/questions/ask?module={kb['module']}")
    assert "Children in street situations › 1. First contacts" in response.get_data(as_text=True)
    response = client.post_form("/questions/ask", {
        "title": "Which hour is best for a first street contact?",
        "body": "We go out at night but the children sleep: is the evening better for it?",
        "tags": "outreach", "lang": "en", "module": str(kb["module"]), "similar_checked": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    question_id = int(response.location.split("/")[2])
    assert find(f"module:{kb['module']}") == [question_id]
    page = client.get("/kb/notebooks/street/modules/1").get_data(as_text=True)
    assert f"/questions/{question_id}/" in page


def test_a_rebuild_keeps_the_modules_a_question_links_to(app, kb, find):
    """The modules come from the knowledge package on a rebuild too, not only on a change."""
    with app.app_context():
        link_question(kb["thread"], [kb["module"]])
        db.session.commit()
        registry.backend().clear()
        assert indexing.rebuild().indexed == 1  # the thread; the article is a draft
    assert find(f"module:{kb['module']}") == [kb["thread"]]
