"""Experts and admins write notebooks and modules; every module edit keeps the text before it."""
import pytest

from core.errors import Forbidden, InvalidInput
from core.revisions import list_revisions
from knowledge.services import notebooks
from knowledge.services.notebooks import create_notebook
from tests import factories


def test_modules_are_added_in_order_and_every_edit_is_kept(ctx):
    expert = factories.user("expert")
    notebook = notebooks.save_notebook(expert, "Children in street situations", "", "fr",
                                      new_slug="street")
    notebooks.add_module(expert, "street", "First contacts", "Outreach.", "- Come back",
                        "Go slowly.")
    second = notebooks.add_module(expert, "street", "Arrival at the shelter", "", "", "A bed.")
    assert [m.position for m in notebook.modules] == [1, 2] and second.position == 2
    notebooks.edit_module(expert, "street", 1, "First contacts in the street", "Outreach.",
                         "- Come back", "Go **slowly**.", "Emphasis")
    module = notebooks.get_module("street", 1)
    assert module.body_html == "<p>Go <strong>slowly</strong>.</p>"
    history = list_revisions("module", module.id)
    assert [(r.number, r.title) for r in history] == [
        (2, "First contacts in the street"), (1, "First contacts")]
    with pytest.raises(InvalidInput):
        notebooks.edit_module(expert, "street", 1, "First contacts in the street", "Outreach.",
                             "- Come back", "Go **slowly**.")


def test_a_loaded_module_keeps_its_first_text_at_its_first_edit(ctx):
    admin = factories.user("admin")
    create_notebook("care", "Care notebook", "", [{"title": "Arrival", "body": "Original."}])
    notebooks.edit_module(admin, "care", 1, "Arrival and first days", "", "", "Changed.")
    bodies = [r.body for r in list_revisions("module", notebooks.get_module("care", 1).id)]
    assert bodies == ["Changed.", "Original."]


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_experts_and_admins_write_notebooks(ctx, role):
    someone = factories.user(role)
    with pytest.raises(Forbidden):
        notebooks.save_notebook(someone, "A notebook title", "", "en", new_slug="nb")
    create_notebook("care", "Care notebook", "", [{"title": "Arrival"}])
    with pytest.raises(Forbidden):
        notebooks.add_module(someone, "care", "Another module", "", "", "")
    with pytest.raises(Forbidden):
        notebooks.edit_module(someone, "care", 1, "Arrival changed", "", "", "")


def test_bad_addresses_are_refused(ctx):
    expert = factories.user("expert")
    for slug in ("Has Spaces", "", "x" * 81, "trailing-"):
        with pytest.raises(InvalidInput):
            notebooks.save_notebook(expert, "A notebook title", "", "en", new_slug=slug)
    notebooks.save_notebook(expert, "A notebook title", "", "en", new_slug="taken")
    with pytest.raises(InvalidInput):
        notebooks.save_notebook(expert, "Another notebook", "", "en", new_slug="taken")


def test_editing_pages_without_javascript(app, user_client, client):
    expert = user_client("expert")
    response = expert.post_form("/kb/notebooks/new", {
        "slug": "street", "title": "Children in street situations", "summary": "", "lang": "en"})
    assert response.status_code == 302 and response.location.endswith("/kb/notebooks/street")
    response = expert.post_form("/kb/notebooks/street/modules/new", {
        "title": "First contacts", "summary": "Outreach.", "objectives": "- Come back",
        "body": "Go slowly."})
    assert response.location.endswith("/kb/notebooks/street/modules/1")
    response = expert.post_edit("/kb/notebooks/street/modules/1/edit", {
        "title": "First contacts in the street", "summary": "Outreach.",
        "objectives": "- Come back", "body": "Go slowly, and come back.",
        "edit_summary": "Come back"})
    assert response.status_code == 302
    assert "come back" in client.get("/kb/notebooks/street/modules/1").get_data(as_text=True)
    history = client.get("/kb/notebooks/street/modules/1/revisions").get_data(as_text=True)
    assert "Revision 2" in history and "Come back" in history
    member = user_client("member")
    assert member.get("/kb/notebooks/new").status_code == 403
    assert member.post_edit("/kb/notebooks/street/modules/1/edit", {
        "title": "Vandalised", "body": "x"}).status_code == 403
    bad = expert.post_form("/kb/notebooks/new", {"slug": "Bad Slug", "title": "Some notebook",
                                                  "lang": "en"})
    assert bad.status_code == 400
