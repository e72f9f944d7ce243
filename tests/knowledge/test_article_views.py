"""The knowledge base through HTTP, as a browser without JavaScript uses it: promotion from a
thread, editing, review by a second expert, what each role sees, history, print view."""
import re

from markupsafe import escape

from core.extensions import db
from forum.services import answers
from knowledge.models import Article, Module
from knowledge.services.notebooks import create_notebook
from tests import factories
from tests.core.htmlcheck import dangers
from tests.notes import targets as notes_targets

ARTICLE_BODY = ("Sit down at the child's height, say who you are and come back at the same hour "
                "the next days: trust grows from what is repeated.")


def _thread(app):
    with app.app_context():
        asker = factories.user("member", "asker")
        answerer = factories.user("member", "answerer")
        question = factories.question(asker, title="How do I earn a street child's trust?")
        answer = factories.answer(answerer, question.id,
                                  body="I went back every evening at eight, with tea. " * 2)
        answers.accept_answer(asker, answer.id)
        create_notebook("street", "Children in street situations", "",
                        [{"title": "First contacts"}, {"title": "Arrival at the shelter"}])
        return question.id, answer.id


def _form(article_slug=None, **changes):
    data = {"title": "Earning trust in the first street contacts",
            "summary": "Come back at the same hour.", "body": ARTICLE_BODY,
            "tags": "trust first-contact", "lang": "en", "countries": "MA PE",
            "review_by": "", "translation_of": "0", "edit_summary": "First version"}
    data.update(changes)
    return data


def test_an_expert_goes_from_an_accepted_answer_to_a_published_article(
        app, user_client, client):
    question_id, answer_id = _thread(app)
    curator = user_client("expert")
    reviewer = user_client("expert")

    page = curator.get(f"/questions/{question_id}").get_data(as_text=True)
    assert f'href="/kb/promote/{question_id}"' in page
    form = curator.get(f"/kb/promote/{question_id}").get_data(as_text=True)
    assert re.search(rf'value="{answer_id}" checked', form)
    response = curator.post_form(f"/kb/promote/{question_id}", {"answers": str(answer_id)})
    assert response.status_code == 302 and response.location.endswith("/edit")
    slug = response.location.split("/")[-2]

    with app.app_context():
        module_id = db.session.query(Module).filter_by(position=1).one().id
    response = curator.post_edit(f"/kb/articles/{slug}/edit",
                                 _form(modules=str(module_id), edit_summary="Rewritten"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(f"/kb/articles/{slug}").status_code == 404  # a draft
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302

    own = curator.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "Approve and publish" not in own and "you curated it" in own
    assert curator.post_decision(f"/kb/articles/{slug}/approve").status_code == 403
    review = reviewer.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "Approve and publish" in review
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    public = client.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "Earning trust in the first street contacts" in public
    assert "From the discussion:" in public and f"/questions/{question_id}/" in public
    assert 'href="/users/answerer"' in public and 'href="/users/asker"' in public
    assert "Applies in: Morocco and Peru" in public
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    assert "Marruecos y Perú" in client.get(f"/kb/articles/{slug}").get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    thread = client.get(f"/questions/{question_id}").get_data(as_text=True)
    assert "Promoted to:" in thread and f'href="/kb/articles/{slug}"' in thread
    module = client.get("/kb/notebooks/street/modules/1").get_data(as_text=True)
    assert f'href="/kb/articles/{slug}"' in module
    assert f'href="/kb/articles/{slug}"' in client.get("/kb").get_data(as_text=True)
    assert f'href="/kb/articles/{slug}"' in client.get("/kb?tag=trust").get_data(as_text=True)

    answerer = user_client_for(app, "answerer")
    notes = answerer.get("/notifications").get_data(as_text=True)
    assert "Your answer was promoted" in notes
    assert f"/kb/articles/{slug}" in notes_targets(answerer)


def user_client_for(app, username):
    from tests.conftest import PASSWORD

    new = app.test_client()
    response = new.post_form("/auth/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return new


def test_a_reviewer_returns_a_draft_with_a_comment(app, user_client):
    curator, reviewer = user_client("expert"), user_client("admin")
    response = curator.post_form("/kb/articles/new", _form())
    slug = response.location.rsplit("/", 1)[-1]
    curator.post_form(f"/kb/articles/{slug}/submit")
    empty = reviewer.post_decision(f"/kb/articles/{slug}/return", {"comment": ""})
    assert empty.status_code == 400
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*name="comment"', empty.get_data(as_text=True))
    response = reviewer.post_decision(f"/kb/articles/{slug}/return",
                                  {"comment": "Say which services this needs in Lima."})
    assert response.status_code == 302
    page = curator.get(f"/kb/articles/{slug}/edit").get_data(as_text=True)
    assert "Say which services this needs in Lima." in page
    with app.app_context():
        assert db.session.query(Article).one().status == "draft"


def test_what_each_role_may_do(app, user_client, client):
    expert = user_client("expert")
    slug = expert.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    member, moderator = user_client("member"), user_client("moderator")
    for anyone in (client, member):
        assert anyone.get(f"/kb/articles/{slug}").status_code == 404
        assert anyone.get(f"/kb/articles/{slug}/revisions").status_code == 404
    assert moderator.get(f"/kb/articles/{slug}").status_code == 200
    for someone in (member, moderator):
        assert someone.get("/kb/articles/new").status_code == 403
        assert someone.post_form("/kb/articles/new", _form()).status_code == 403
        assert someone.get(f"/kb/articles/{slug}/edit").status_code in (403, 404)
        assert someone.post_form(f"/kb/articles/{slug}/submit").status_code in (403, 404)
    assert member.get("/kb/curation").status_code == 403
    assert moderator.get("/kb/curation").status_code == 200
    assert client.get("/kb/curation").status_code == 302  # to sign in


def test_a_member_may_not_promote_an_existing_thread(app, user_client):
    question_id, answer_id = _thread(app)
    member = user_client("member")
    # The thread exists and an expert may promote it: the member's 403 is the permission.
    assert member.get(f"/questions/{question_id}").status_code == 200
    assert user_client("expert").get(f"/kb/promote/{question_id}").status_code == 200
    assert member.get(f"/kb/promote/{question_id}").status_code == 403
    response = member.post_form(f"/kb/promote/{question_id}", {"answers": str(answer_id)})
    assert response.status_code == 403
    assert f'href="/kb/promote/{question_id}"' not in member.get(
        f"/questions/{question_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Article).count() == 0


def test_bad_input_gets_a_clear_message_and_saves_nothing(app, user_client):
    expert = user_client("expert")
    response = expert.post_form("/kb/articles/new", _form(countries="XX", title="Short"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write between 10 and 200 characters." in html
    response = expert.post_form("/kb/articles/new", _form(countries="XX"))
    assert response.status_code == 400
    assert "is not a country code" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Article).count() == 0


def test_history_diff_restore_and_print_view(app, user_client):
    expert = user_client("expert")
    slug = expert.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    expert.post_edit(f"/kb/articles/{slug}/edit",
                     _form(body=ARTICLE_BODY + "\n\nBring tea.", edit_summary="Tea"))
    history = expert.get(f"/kb/articles/{slug}/revisions").get_data(as_text=True)
    assert "Revision 2" in history and "Tea" in history
    diff = expert.get(f"/kb/articles/{slug}/revisions/diff?from=1&to=2").get_data(as_text=True)
    assert "<ins>+ Bring tea.</ins>" in diff
    assert expert.post_form(f"/kb/articles/{slug}/revisions/1/restore").status_code == 302
    page = expert.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "Bring tea." not in page
    printed = expert.get(f"/kb/articles/{slug}/print").get_data(as_text=True)
    assert 'class="print"' in printed and "<header" not in printed
    assert "Earning trust in the first street contacts" in printed


def test_archived_articles_warn_readers(app, user_client, client):
    curator, reviewer = user_client("expert"), user_client("expert")
    slug = curator.post_form("/kb/articles/new", _form()).location.rsplit("/", 1)[-1]
    curator.post_form(f"/kb/articles/{slug}/submit")
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    published = client.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert "This article is archived" not in published
    assert f'href="/kb/articles/{slug}"' in client.get("/kb").get_data(as_text=True)
    assert reviewer.post_form(f"/kb/articles/{slug}/obsolete").status_code == 302
    response = client.get(f"/kb/articles/{slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This article is archived" in page
    assert "Earning trust in the first street contacts" in page
    assert f'href="/kb/articles/{slug}"' not in client.get("/kb").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Article).filter_by(slug=slug).one().status == "archived"


def test_article_text_is_sanitised_everywhere_it_shows(app, user_client, client):
    _thread(app)
    with app.app_context():
        module_id = db.session.query(Module).filter_by(position=1).one().id
    curator, reviewer = user_client("expert"), user_client("expert")
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    title = f"Trust {payload}"
    response = curator.post_form("/kb/articles/new", _form(
        title=title, summary=f"Summary {payload}", modules=str(module_id),
        body=ARTICLE_BODY + f"\n\n{payload}\n\n[link](javascript:alert(3))"))
    assert response.status_code == 302, response.get_data(as_text=True)
    slug = response.location.rsplit("/", 1)[-1]
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    shown_title = str(escape(title))
    pages = {}
    for url in (f"/kb/articles/{slug}", f"/kb/articles/{slug}/print", "/kb",
                "/kb?tag=trust", "/kb/notebooks/street/modules/1",
                "/search?q=trust+is:article"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = html = response.get_data(as_text=True)
        # The article is on the page (else the checks below prove nothing)...
        assert f'href="/kb/articles/{slug}"' in html or url.startswith(f"/kb/articles/{slug}")
        assert shown_title in html or url.startswith("/search"), url
        # ...shown as text, never as markup.
        assert dangers(html) == [], (url, dangers(html))
        assert "<script>alert" not in html and not re.search(r"<img[^>]*onerror", html)
        assert 'href="javascript:' not in html
    # The search page highlights words of the title, escaping the rest.
    assert "&lt;script&gt;" in pages["/search?q=trust+is:article"]
    for url in (f"/kb/articles/{slug}", f"/kb/articles/{slug}/print"):
        assert ARTICLE_BODY in pages[url]
        assert str(escape(f"Summary {payload}")) in pages[url]


def _anonymous_page(app, url):
    """The page as a new reader who is not signed in gets it (from the page cache if stored)."""
    reader = app.test_client()
    response = reader.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _publish_pending_change(reviewer, slug):
    # A change to a published article waits for a second expert's approval.
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302


def test_the_thread_shows_the_promoted_article_s_title_at_once(app, user_client):
    question_id, answer_id = _thread(app)
    curator, reviewer = user_client("expert"), user_client("expert")
    response = curator.post_form(f"/kb/promote/{question_id}", {"answers": str(answer_id)})
    slug = response.location.split("/")[-2]
    assert curator.post_edit(f"/kb/articles/{slug}/edit", _form()).status_code == 302  # rev. 2
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    thread, article = f"/questions/{question_id}", f"/kb/articles/{slug}"
    first, renamed = "Earning trust in the first street contacts", "Trust, evening after evening"
    assert first in _anonymous_page(app, thread)

    response = curator.post_edit(f"/kb/articles/{slug}/edit",
                                 _form(title=renamed, edit_summary="Shorter title"))
    assert response.status_code == 302
    _publish_pending_change(reviewer, slug)
    assert renamed in _anonymous_page(app, article)
    page = _anonymous_page(app, thread)
    assert renamed in page and first not in page

    assert curator.post_form(f"/kb/articles/{slug}/revisions/2/restore").status_code == 302
    _publish_pending_change(reviewer, slug)
    assert first in _anonymous_page(app, article)
    page = _anonymous_page(app, thread)
    assert first in page and renamed not in page
