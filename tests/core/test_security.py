"""Security posture (DESIGN §10): CSRF, escaping of what users write, permissions, rate limits."""
import pytest
from markupsafe import escape
from sqlalchemy import func, select

from core.accounts import services
from core.accounts.models import User
from core.extensions import db
from core.revisions import Revision
from forum.models import Answer, Comment, Question, Vote
from tests import factories
from tests.conftest import PASSWORD
from tests.core.conftest import BODY as EDIT_BODY
from tests.core.conftest import question_id
from tests.core.forms_html import field_errors
from tests.core.htmlcheck import dangers

CSRF_MESSAGE = "Your form expired or was sent from another site."


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _question(app, author_name, **fields):
    """A question by `author_name`, created through the service; returns its id."""
    with app.app_context():
        author = services.get_user_by_username(author_name)
        return factories.question(author, **fields).id


def _answer(app, author_name, qid):
    with app.app_context():
        return factories.answer(services.get_user_by_username(author_name), qid).id


# --- CSRF --------------------------------------------------------------------------------

def _refused(response):
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)


def test_register_without_token_is_refused(app, client):
    _refused(client.post("/auth/register", data={
        "username": "Amina", "email": "amina@example.org", "password": PASSWORD,
        "confirm": PASSWORD}))
    assert _count(app, User) == 0


def test_login_without_token_is_refused(app, client, make_user):
    name = make_user()
    _refused(client.post("/auth/login", data={"username": name, "password": PASSWORD}))
    assert client.get("/auth/profile").status_code == 302  # not signed in


def test_login_with_a_token_of_another_session_is_refused(app, client, make_user):
    name = make_user()
    stolen = app.test_client().csrf_token()
    _refused(client.post("/auth/login", data={"username": name, "password": PASSWORD,
                                              "csrf_token": stolen}))


def test_ask_without_token_is_refused(app, user_client):
    client = user_client()
    _refused(client.post("/questions/ask", data={
        "title": "How do I build trust with a boy?", "body": factories.BODY,
        "tags": "trust", "lang": "en"}))
    assert _count(app, Question) == 0


def test_answer_without_token_is_refused(app, make_user, user_client):
    qid = _question(app, make_user())
    client = user_client()
    _refused(client.post(f"/questions/{qid}/answers", data={"body": factories.BODY}))
    assert _count(app, Answer) == 0
    with app.app_context():
        assert db.session.get(Question, qid).answer_count == 0


def test_comment_without_token_is_refused(app, make_user, user_client):
    qid = _question(app, make_user())
    client = user_client()
    _refused(client.post(f"/questions/{qid}/comments", data={"body": "Same situation here."}))
    assert _count(app, Comment) == 0


@pytest.mark.parametrize("kind", ["questions", "answers"])
def test_vote_without_token_is_refused(app, make_user, user_client, kind):
    author = make_user()
    qid = _question(app, author)
    post_id = qid if kind == "questions" else _answer(app, author, qid)
    client = user_client()
    _refused(client.post(f"/{kind}/{post_id}/vote", data={"value": "up"}))
    assert _count(app, Vote) == 0
    with app.app_context():
        model = Question if kind == "questions" else Answer
        assert db.session.get(model, post_id).score == 0
    # The same vote with its token counts: the refusal above was the token's doing.
    assert client.post_form(f"/{kind}/{post_id}/vote", {"value": "up"}).status_code == 302
    assert _count(app, Vote) == 1


def test_accept_and_delete_without_token_are_refused(app, make_user, user_client):
    asker = user_client()
    qid = _question(app, asker.username)
    aid = _answer(app, make_user(), qid)
    _refused(asker.post(f"/answers/{aid}/accept"))
    _refused(asker.post(f"/questions/{qid}/delete"))
    with app.app_context():
        question = db.session.get(Question, qid)
        assert question.accepted_answer_id is None and not question.is_deleted


# --- what users write comes back escaped --------------------------------------------------

TITLE = '<script>alert("t")</script> How to reach a child?'
PAGE_PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
    "[x](javascript:alert(4))", '<a href="data:text/html,x">d</a>', "<iframe src=//x.example>",
    '"><b onmouseover=alert(5)>', "<scr<script>ipt>alert(6)</script>", "<javascript:alert(7)>",
]
BODY = "Context of the situation.\n\n" + "\n\n".join(PAGE_PAYLOADS)


def _assert_safe(page, *texts):
    assert dangers(page) == [], dangers(page)
    for text in texts:
        assert text not in page
        assert str(escape(text)) in page


def test_question_title_and_body_are_escaped_everywhere(app, ask, user_client):
    client = user_client()
    qid = question_id(ask(client, title=TITLE, body=BODY, tags="trust"))
    for url in (f"/questions/{qid}", "/questions", "/", f"/users/{client.username}",
                "/tags/trust", f"/questions/{qid}/revisions"):
        page = app.test_client().get(url).get_data(as_text=True)
        _assert_safe(page, TITLE)
    page = app.test_client().get(f"/questions/{qid}").get_data(as_text=True)
    for payload in PAGE_PAYLOADS:
        assert payload not in page


def test_answers_and_comments_are_escaped(app, make_user, user_client):
    qid = _question(app, make_user())
    client = user_client()
    response = client.post_form(f"/questions/{qid}/answers", {"body": BODY})
    assert response.status_code == 302
    for payload in PAGE_PAYLOADS:
        assert client.post_form(f"/questions/{qid}/comments",
                                {"body": f"Comment {payload}"}).status_code == 302
    page = app.test_client().get(f"/questions/{qid}").get_data(as_text=True)
    assert dangers(page) == []
    for payload in PAGE_PAYLOADS:
        assert payload not in page


def test_display_name_and_bio_are_escaped(app, ask, user_client):
    client = user_client()
    name, bio = '<img src=x onerror=alert("n")>', "<script>alert('bio')</script> & more"
    response = client.post_form("/auth/profile", {
        "display_name": name, "email": f"{client.username}@example.org",
        "organisation": '<svg onload=alert("o")>', "country": "", "locale": "", "bio": bio})
    assert response.status_code == 302
    qid = question_id(ask(client))
    others = user_client()
    others.post_form(f"/questions/{qid}/answers", {"body": factories.BODY})
    for reader in (app.test_client(), client):
        for url in (f"/users/{client.username}", f"/questions/{qid}", "/questions", "/"):
            page = reader.get(url).get_data(as_text=True)
            _assert_safe(page, name)
    page = app.test_client().get(f"/users/{client.username}").get_data(as_text=True)
    _assert_safe(page, bio, '<svg onload=alert("o")>')


@pytest.mark.parametrize("tags", ["<script>alert(1)</script>", "trust <img/src=x/onerror=alert(1)>",
                                  '"><svg/onload=alert(1)>', "javascript:alert(1)"])
def test_bad_tags_are_refused_with_a_message(app, ask, user_client, tags):
    client = user_client()
    response = ask(client, tags=tags)
    assert response.status_code == 400
    errors = field_errors(response.get_data(as_text=True), "tags")
    assert len(errors) == 1 and "is not a valid tag" in errors[0]
    assert _count(app, Question) == 0


@pytest.mark.parametrize("tags", ["<script>alert(1)</script>", "trust <img/src=x/onerror=alert(1)>",
                                  '"><svg/onload=alert(1)>'])
def test_a_refused_tag_is_shown_escaped(ask, user_client, tags):
    client = user_client()
    page = ask(client, tags=tags).get_data(as_text=True)
    assert dangers(page) == []
    bad = tags.split()[-1]
    assert bad not in page
    assert str(escape(bad)) in page


def test_a_refused_country_code_is_shown_escaped(app, user_client):
    """InvalidInput quotes what was typed: it reaches the page as text."""
    bad = '"><b>x</b>'
    response = user_client("expert").post_form("/kb/articles/new", {
        "title": "Earning trust in the first street contacts", "summary": "",
        "body": factories.BODY, "tags": "trust", "lang": "en", "countries": f"MA {bad}",
        "review_by": "", "translation_of": "0", "edit_summary": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and dangers(page) == []
    assert "<b>x" not in page
    assert f"“{escape(bad)}” is not a country code" in page


def test_a_promoted_draft_credits_a_hostile_display_name_as_text(app, user_client):
    """The draft's markdown quotes the answerer's name; raw HTML in markdown is shown as text."""
    name = '"><b>x</b><meta http-equiv="refresh" content="0;url=https://evil.example">'
    with app.app_context():
        asker = factories.user("member", "asker")
        answerer = services.create_user("answerer", "answerer@example.org", PASSWORD,
                                        display_name=name)
        qid = factories.question(asker).id
        answer_id = factories.answer(answerer, qid).id
    expert = user_client("expert")
    response = expert.post_form(f"/kb/promote/{qid}", {"answers": str(answer_id)})
    assert response.status_code == 302
    for url in (response.location, response.location.rsplit("/", 1)[0]):
        page = expert.get(url).get_data(as_text=True)
        assert dangers(page) == [] and "<b>x" not in page and "<meta http" not in page, url
        assert "&lt;b&gt;x&lt;/b&gt;&lt;meta http-equiv=" in page, url


@pytest.mark.parametrize("url", [
    '/questions?sort="><script>alert(1)</script>&lang=<svg onload=alert(1)>',
    "/questions?tag=<script>alert(1)</script>",
    '/auth/login?next="><script>alert(1)</script>',
    "/users/<script>alert(1)</script>",
    "/questions/1/<script>alert(1)</script>",
])
def test_query_strings_are_not_reflected_as_html(client, url):
    page = client.get(url).get_data(as_text=True)
    assert dangers(page) == []
    assert "<script>alert(1)</script>" not in page


# --- permissions -------------------------------------------------------------------------

def test_a_member_cannot_edit_someone_elses_question(app, make_user, user_client):
    qid = _question(app, make_user(), title="The original title of the question")
    intruder = user_client()
    response = intruder.get(f"/questions/{qid}/edit")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You are not allowed to do this" in page
    assert '<a href="/">' in page
    response = intruder.post_edit(f"/questions/{qid}/edit", {
        "title": "A title changed by someone else", "body": factories.BODY, "tags": "trust",
        "lang": "en", "summary": ""})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Question, qid).title == "The original title of the question"


def test_an_expert_may_edit_someone_elses_question(app, make_user, user_client):
    qid = _question(app, make_user(), title="The original title of the question")
    expert = user_client("expert")
    assert expert.get(f"/questions/{qid}/edit").status_code == 200
    response = expert.post_edit(f"/questions/{qid}/edit", {
        "title": "A clearer title for the question", "body": factories.BODY, "tags": "trust",
        "lang": "en", "summary": "clearer title"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Question, qid).title == "A clearer title for the question"


def test_nobody_votes_on_their_own_post(app, user_client):
    client = user_client()
    qid = _question(app, client.username)
    response = client.post_form(f"/questions/{qid}/vote", {"value": "up"})
    assert response.status_code == 403
    assert _count(app, Vote) == 0


# --- rate limit --------------------------------------------------------------------------

EDIT_LIMIT = 60  # forum/views/questions.py: "60 per hour" for every edit and restore together


def test_edits_are_rate_limited(separate_app):
    app = separate_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
    qid = _question(app, "Amina", title="How do I build trust with a boy who runs away?")
    aid = _answer(app, "Amina", qid)
    client = app.test_client()
    client.post_form("/auth/login", {"username": "Amina", "password": PASSWORD})
    titles = ["How do I build trust with a boy who runs off?",
              "How do I build trust with a boy who runs away?"]
    bodies = [EDIT_BODY + " He is eleven.", EDIT_BODY]
    for n in range(EDIT_LIMIT):
        if n % 2:
            response = client.post_edit(f"/answers/{aid}/edit", {"body": bodies[n // 2 % 2]})
        else:
            response = client.post_edit(f"/questions/{qid}/edit", {
                "title": titles[n // 2 % 2], "body": EDIT_BODY, "tags": "trust", "lang": "en"})
        assert response.status_code == 302, (n, response.get_data(as_text=True))
    with app.app_context():
        revisions = db.session.scalar(select(func.count()).select_from(Revision))
    refused = [client.post_edit(f"/questions/{qid}/edit", {
                   "title": "How do I build trust with a boy of eleven?", "body": EDIT_BODY,
                   "tags": "trust", "lang": "en"}),
               client.post_edit(f"/answers/{aid}/edit", {"body": EDIT_BODY + " Really."}),
               client.post_form(f"/questions/{qid}/revisions/1/restore")]
    assert [response.status_code for response in refused] == [429, 429, 429]
    assert "Too many attempts" in refused[0].get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions
    assert client.get(f"/questions/{qid}/edit").status_code == 200  # reading stays possible


def test_login_is_rate_limited(separate_app):
    app = separate_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
    client = app.test_client()
    for attempt in range(20):
        response = client.post_form("/auth/login", {"username": "Amina", "password": "guess"})
        assert response.status_code == 400, attempt
    response = client.post_form("/auth/login", {"username": "Amina", "password": PASSWORD})
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page
    assert "Wait a few minutes before trying again." in page
    assert '<a href="/">' in page
    assert client.get("/auth/profile").status_code == 302  # the 21st attempt did not sign in
    assert client.get("/auth/login").status_code == 200  # reading the form stays possible
