"""Two people edit the same article or module from the same version: the second save is refused
with a conflict page that shows both texts and keeps what the second editor typed."""
import re
from html import unescape

import pytest

from core.extensions import db
from core.revisions import EditConflict, list_revisions
from knowledge.services import editing, notebooks
from knowledge.models import Article, Module
from tests import factories

BODY = ("Sit down at the child's height, say who you are and come back at the same hour the "
        "next days: trust grows from what is repeated.")
FIRST = "Ana's sentence: bring tea on cold evenings."
SECOND = "Bea's sentence: never ask about the family at first."
BASE_RE = re.compile(r'<input[^>]*name="base_revision"[^>]*>')


def _english(test_client):
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


def _base(page):
    field = BASE_RE.search(page)
    assert field, "the edit form carries the version it was opened on"
    assert 'type="hidden"' in field.group(0)
    return re.search(r'value="(\d+)"', field.group(0)).group(1)


def _article_form(base, body, **changes):
    data = {"title": "Earning trust in the first street contacts", "summary": "Come back.",
            "body": body, "tags": "trust", "lang": "en", "countries": "", "review_by": "",
            "translation_of": "0", "edit_summary": "", "base_revision": base}
    data.update(changes)
    return data


def test_the_second_article_editor_gets_both_texts_and_keeps_theirs(app, user_client):
    ana, bea = _english(user_client("expert")), _english(user_client("expert"))
    slug = ana.post_form("/kb/articles/new", _article_form("", BODY)).location.rsplit("/", 1)[-1]
    base_a = _base(ana.get(f"/kb/articles/{slug}/edit").get_data(as_text=True))
    base_b = _base(bea.get(f"/kb/articles/{slug}/edit").get_data(as_text=True))
    assert base_a == base_b == "1"
    assert ana.post_edit(f"/kb/articles/{slug}/edit",
                         _article_form(base_a, BODY + "\n\n" + FIRST)).status_code == 302
    response = bea.post_edit(f"/kb/articles/{slug}/edit",
                             _article_form(base_b, BODY + "\n\n" + SECOND))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Someone saved a new version while you were editing." in page
    assert FIRST in page  # the newest text, to compare
    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert SECOND in textarea.group(1) and FIRST not in textarea.group(1)  # what Bea typed
    assert _base(page) == "2"  # saving again now is a deliberate choice
    with app.app_context():
        article = db.session.query(Article).one()
        assert FIRST in article.body and SECOND not in article.body
        assert len(list_revisions("article", article.id)) == 2
    assert bea.post_edit(f"/kb/articles/{slug}/edit",
                         _article_form("2", BODY + "\n\n" + SECOND)).status_code == 302
    with app.app_context():
        assert SECOND in db.session.query(Article).one().body


@pytest.mark.parametrize("base", ["-1", "99999999999", "abc"])
def test_a_forged_base_revision_is_refused_and_changes_nothing(app, user_client, base):
    ana = _english(user_client("expert"))
    slug = ana.post_form("/kb/articles/new", _article_form("", BODY)).location.rsplit("/", 1)[-1]
    response = ana.post_edit(f"/kb/articles/{slug}/edit",
                             _article_form(base, BODY + "\n\n" + FIRST))
    assert response.status_code in (400, 409)
    with app.app_context():
        assert FIRST not in db.session.query(Article).one().body


def _module_form(base, body):
    return {"title": "First contacts", "summary": "", "objectives": "", "body": body,
            "edit_summary": "", "base_revision": base}


def test_the_second_module_editor_gets_a_conflict_page(app, user_client):
    with app.app_context():
        notebooks.create_notebook("street", "Children in street situations", "",
                                 [{"title": "First contacts", "body": BODY}])
    ana, bea = _english(user_client("expert")), _english(user_client("expert"))
    url = "/kb/notebooks/street/modules/1/edit"
    base_a = _base(ana.get(url).get_data(as_text=True))
    base_b = _base(bea.get(url).get_data(as_text=True))
    assert base_a == base_b == "0"  # a loaded module has no revision yet
    assert ana.post_form(url, _module_form(base_a, BODY + "\n\n" + FIRST)).status_code == 302
    response = bea.post_form(url, _module_form(base_b, BODY + "\n\n" + SECOND))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert FIRST in page
    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert SECOND in textarea.group(1)
    with app.app_context():
        assert SECOND not in db.session.query(Module).one().body


def test_services_refuse_a_stale_base(ctx):
    ana, bea = factories.user("expert", "ana"), factories.user("expert", "bea")
    article = editing.create_article(ana, editing.ArticleText(
        "Earning trust in the first street contacts", "", BODY, "trust", "en"))
    editing.edit_article(ana, article.slug, editing.ArticleText(
        "Earning trust in the first street contacts", "", BODY + " " + FIRST, "trust", "en"),
        base_revision=1)
    with pytest.raises(EditConflict) as error:
        editing.edit_article(bea, article.slug, editing.ArticleText(
            "Earning trust in the first street contacts", "", BODY + " " + SECOND, "trust",
            "en"), base_revision=1)
    assert error.value.current.number == 2
    notebook = notebooks.create_notebook("street", "Street", "", [{"title": "First contacts"}])
    notebooks.edit_module(ana, "street", 1, "First contacts", "", "", FIRST, base_revision=0)
    with pytest.raises(EditConflict):
        notebooks.edit_module(bea, "street", 1, "First contacts", "", "", SECOND,
                             base_revision=0)
    assert notebook.modules[0].body == FIRST


def test_an_article_or_module_edit_without_its_base_revision_is_refused(app, user_client):
    ana = _english(user_client("expert"))
    slug = ana.post_form("/kb/articles/new", _article_form("", BODY)).location.rsplit("/", 1)[-1]
    with app.app_context():
        notebooks.create_notebook("street", "Children in street situations", "",
                                 [{"title": "First contacts", "body": BODY}])
    for url, data in ((f"/kb/articles/{slug}/edit", _article_form("", BODY + "\n\n" + FIRST)),
                      ("/kb/notebooks/street/modules/1/edit",
                       _module_form("", BODY + "\n\n" + FIRST))):
        for base in (None, "", "abc"):
            if base is None:
                del data["base_revision"]
            else:
                data["base_revision"] = base
            response = ana.post_form(url, data)
            page = unescape(response.get_data(as_text=True))
            assert response.status_code == 400, (url, base)
            assert "This form is out of date: reload the page" in page
            assert FIRST in page  # what the editor typed comes back
    with app.app_context():
        assert FIRST not in db.session.query(Article).one().body
        assert FIRST not in db.session.query(Module).one().body
        assert len(list_revisions("article", db.session.query(Article).one().id)) == 1
