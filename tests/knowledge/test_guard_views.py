"""The confidentiality guard on the knowledge base's forms (issue 15): an article or a module
text that may identify a child comes back with the warning and nothing saved; confirmed, it
is saved with the decision recorded (target, revision, kinds)."""
import re

from sqlalchemy import select

from core.confidentiality.models import GuardDecision
from core.extensions import db
from core.revisions import Revision
from knowledge.models import Article, Module
from knowledge.services.notebooks import create_notebook
from tests.forum.conftest import count, html
from tests.knowledge.test_article_views import _form

CHILD = ("Moussa Diallo, 12 years old, slept behind the central market until his uncle, "
         "06 12 34 56 78, took him in.")
FINGERPRINT_RE = re.compile(r'name="guard_fingerprint" value="([0-9a-f]+)"')


def _confirm(data, warned):
    return dict(data, guard_confirm="1",
                guard_fingerprint=FINGERPRINT_RE.search(html(warned)).group(1))


def _warned(response, marked):
    page = html(response)
    assert response.status_code == 200, page
    assert 'class="guard"' in page and f"<mark>{marked}</mark>" in page
    assert "This does not identify a child: post anyway" in page
    return page


def _decisions(app):
    with app.app_context():
        return [(d.target_type, d.target_id, d.revision_number, d.kinds)
                for d in db.session.scalars(select(GuardDecision).order_by(GuardDecision.id))]


def test_a_new_article_is_warned_then_saved_once_confirmed(app, user_client):
    expert = user_client("expert")
    data = _form(body=CHILD)
    warned = expert.post_form("/kb/articles/new", data)
    _warned(warned, "Moussa Diallo")
    assert count(app, Article) == 0
    assert expert.post_form("/kb/articles/new", dict(data, body=CHILD + " More.")
                            | {"guard_confirm": "1"}).status_code == 200
    response = expert.post_form("/kb/articles/new", _confirm(data, warned))
    assert response.status_code == 302
    with app.app_context():
        article = db.session.scalars(select(Article)).one()
        assert article.body == CHILD
        article_id = article.id
    assert _decisions(app) == [("article", article_id, 1, "phone address name")]


def test_an_article_edit_is_warned_then_saved_with_its_revision(app, user_client):
    expert = user_client("expert")
    slug = expert.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    url = f"/kb/articles/{slug}/edit"
    data = _form(body=CHILD, edit_summary="The boy's story")
    warned = expert.post_edit(url, data)
    _warned(warned, "06 12 34 56 78")
    assert count(app, Revision) == 1
    data["base_revision"] = re.search(r'name="base_revision"[^>]*value="(\d+)"',
                                      html(warned)).group(1)
    assert expert.post_form(url, _confirm(data, warned)).status_code == 302
    with app.app_context():
        article_id = db.session.scalars(select(Article.id)).one()
    assert _decisions(app) == [("article", article_id, 2, "phone address name")]


def test_a_module_text_is_warned_then_saved_once_confirmed(app, user_client):
    with app.app_context():
        create_notebook("care", "Care notebook", "", [{"title": "Arrival", "body": "Original."}],
                        lang="en")
    expert = user_client("expert")
    url = "/kb/notebooks/care/modules/1/edit"
    data = {"title": "Arrival", "summary": "", "objectives": "", "body": CHILD,
            "edit_summary": "A story"}
    warned = expert.post_edit(url, data)
    _warned(warned, "Moussa Diallo")
    with app.app_context():
        assert db.session.scalars(select(Module.body)).one() == "Original."
    data["base_revision"] = re.search(r'name="base_revision"[^>]*value="(\d+)"',
                                      html(warned)).group(1)
    assert expert.post_form(url, _confirm(data, warned)).status_code == 302
    with app.app_context():
        module = db.session.scalars(select(Module)).one()
        assert module.body == CHILD
        module_id = module.id
    # The text before the first edit is revision 1, the confirmed one revision 2.
    assert _decisions(app) == [("module", module_id, 2, "phone address name")]


def test_a_new_module_is_warned_and_nothing_is_added(app, user_client):
    with app.app_context():
        create_notebook("care", "Care notebook", "", [], lang="en")
    expert = user_client("expert")
    data = {"title": "Night outreach", "summary": "", "objectives": "", "body": CHILD}
    _warned(expert.post_form("/kb/notebooks/care/modules/new", data), "Moussa Diallo")
    assert count(app, Module) == 0
    data["body"] = "A boy of about 12 slept near a market until an uncle took him in."
    assert expert.post_form("/kb/notebooks/care/modules/new", data).status_code == 302
    assert count(app, Module) == 1 and _decisions(app) == []


def test_a_notebook_summary_is_warned_then_saved_once_confirmed(app, user_client):
    expert = user_client("expert")
    data = {"slug": "night", "title": "Night outreach", "lang": "en",
            "summary": "Written with Moussa Diallo, who slept behind the central market."}
    warned = expert.post_form("/kb/notebooks/new", data)
    _warned(warned, "Moussa Diallo")
    from knowledge.models import Notebook
    assert count(app, Notebook) == 0
    assert expert.post_form("/kb/notebooks/new", _confirm(data, warned)).status_code == 302
    with app.app_context():
        notebook_id = db.session.scalars(select(Notebook.id)).one()
    assert _decisions(app) == [("notebook", notebook_id, None, "address name")]
