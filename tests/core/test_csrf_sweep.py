"""CSRF on every state-changing route (DESIGN §10): the routes come from the application's URL
map, not from a list kept by hand, so that a new POST route cannot escape the sweep.

Each POST route is filled with ids of seeded content and posted by a signed-in administrator
(so that no permission check answers first) with form data that would change something:
without a token, then with the token of another session. Both must get the 400 page that
says the form expired, and leave every table as it was.
"""
import pytest
from sqlalchemy import select

from core.extensions import db
from forum.services import comments, safeguarding
from knowledge.services.notebooks import create_notebook
from search_index import concepts
from tests import factories
from tests.conftest import PASSWORD

CSRF_MESSAGE = "Your form expired or was sent from another site."
# What each form of the site may ask for: a post that got through would change something.
FORM = {
    "title": "A title long enough to be accepted by every form",
    "body": factories.BODY, "summary": "A change made without a token.",
    "objectives": "- one", "comment": "A comment long enough for a review.",
    "description": "A tag description written without a token.",
    "tags": "trust", "lang": "en", "countries": "", "translation_of": "0", "edit_summary": "x",
    "value": "up", "similar_checked": "1", "username": "admin", "email": "new@example.org",
    "password": PASSWORD, "confirm": PASSWORD, "current": PASSWORD, "new": "another password 1",
    "display_name": "Changed without a token", "slug": "new-notebook", "locale": "en",
    "reason": "Changed without a token", "duration": "1d", "role": "expert",
    "message": "A warning sent without a token.",
    # The account's page of /admin/users prefixes its role and lifting forms.
    "role-role": "expert", "role-reason": "Changed without a token",
    "lift-reason": "Lifted without a token",
}


@pytest.fixture
def seeded(app, user_client):
    """An administrator's client and one of everything a route may name."""
    admin = user_client("admin")
    with app.app_context():
        member = factories.user("member", "amina")
        question = factories.question(member)
        answer = factories.answer(factories.user("member", "bilal"), question.id)
        comment = comments.post_comment(member, "A short remark on this.", answer_id=answer.id)
        create_notebook("street", "Children in street situations", "",
                        [{"title": "First contacts"}])
        values = {"question": question.id, "answer": answer.id, "comment": comment.id,
                  "tag": question.tags[0].name, "user": member.username,
                  "user_id": member.id,
                  "alert": safeguarding.raise_alert(member, "answer", answer.id).alert.id}
    response = admin.post_form("/kb/articles/new", {**FORM, "body": factories.BODY * 2})
    assert response.status_code == 302, response.get_data(as_text=True)
    values["article"] = response.location.rsplit("/", 1)[-1]
    values["notebook"] = "street"
    with app.app_context():
        values["concept"] = concepts.save_concept(
            factories.user("expert", "thesaurist"), None, concepts.ConceptInput(
                slug="sweep", names={"fr": ["goûter"]}, tags=[])).id
    return admin, values


def _kinds(rule, name):
    converter = rule._converters[name]
    return sorted(getattr(converter, "items", ()))


# POST routes without a CSRF token by design, each with its reason and the test that shows a
# forged request changes nothing.
EXEMPT = {
    # RFC 8058: mail clients post "List-Unsubscribe=One-Click" without cookies; the signed
    # token in the address is the proof (tests/core/test_mail_unsubscribe.py).
    "/mail/unsubscribe/<token>",
}
POST_IDS = {"questions": "question", "answers": "answer", "comments": "comment"}
SLUG_OWNERS = {"/kb/articles/": "article", "/kb/notebooks/": "notebook"}


def _fill(rule, name, chosen, values):
    """The value of argument `name` of `rule`, or None when the sweep cannot fill it."""
    if name in ("question_id", "answer_id", "comment_id"):
        return values[name.removesuffix("_id")]
    if name == "post_id":
        # A kind chosen among any(...), or fixed by the rule ("/answers/<post_id>/alert").
        return values[POST_IDS[chosen.get("kind") or (rule.defaults or {})["kind"]]]
    if name == "alert_id":
        return values["alert"]
    if name in ("number", "position"):
        return 1
    if name == "slug":
        owner = next((kind for prefix, kind in SLUG_OWNERS.items()
                      if rule.rule.startswith(prefix)), None)
        return values[owner] if owner else None
    if name == "name":
        return values["tag"]
    if name == "username":
        return values["user"]
    if name == "user_id":
        return values["user_id"]
    if name == "concept_id":
        return values["concept"]
    if name == "token":
        return "a-mailed-token-the-sweep-never-reads"
    return None


def post_urls(app, values):
    """Every (rule, URL) the application accepts a POST on, each choice of an `any()` part
    (questions, answers, comments; submit, approve…) on its own; fails on an argument it
    cannot fill."""
    urls, unfilled = [], []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule in EXEMPT:
            continue
        needed = sorted(rule.arguments - set(rule.defaults or {}))
        # A rule's defaults fill its arguments too (one rule per kind: /questions/<id>/flag).
        choices = [dict(rule.defaults or {})]
        for name in needed:
            if _kinds(rule, name):
                choices = [{**chosen, name: item} for chosen in choices
                           for item in _kinds(rule, name)]
        for chosen in choices:
            filled = dict(chosen)
            for name in needed:
                if name not in filled:
                    filled[name] = _fill(rule, name, chosen, values)
            missing = [name for name, value in filled.items() if value is None]
            if missing:
                unfilled.append(f"{rule.rule} ({', '.join(missing)})")
                continue
            built = rule.build(filled, append_unknown=False)
            assert built, f"{rule.rule} could not be built from {filled}"
            urls.append((rule, built[1]))
    assert not unfilled, ("POST routes the CSRF sweep cannot fill; teach _fill their "
                          "arguments: " + "; ".join(unfilled))
    return urls


def _snapshot(app):
    """Every row of every table, to prove that a refused post changed nothing."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            rows[table.name] = sorted(map(repr, db.session.execute(select(table)).all()))
        db.session.remove()
        return rows


def _refused(response, url):
    page = response.get_data(as_text=True)
    assert response.status_code == 400, f"POST {url} → {response.status_code}"
    assert CSRF_MESSAGE in page, f"POST {url}: not the CSRF page"


def test_the_sweep_sees_every_post_route(app, seeded):
    """The sweep is not empty, and every POST rule gave at least one URL."""
    _admin, values = seeded
    urls = post_urls(app, values)
    rules = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert EXEMPT <= rules  # an entry nothing needs any more is removed
    rules -= EXEMPT
    assert {rule.rule for rule, _url in urls} == rules
    assert len(rules) >= 25 and len(urls) > len(rules)


@pytest.mark.parametrize("token", ["none", "another session's"])
def test_every_post_route_refuses_a_form_without_its_own_token(app, seeded, token):
    admin, values = seeded
    stolen = app.test_client().csrf_token()
    before = _snapshot(app)
    for rule, url in post_urls(app, values):
        data = dict(FORM)
        if token != "none":
            data["csrf_token"] = stolen
        _refused(admin.post(url, data=data), url)
        assert _snapshot(app) == before, f"POST {url} without its token changed the database"
    # The administrator is still signed in (the logout was refused too) and may post.
    assert admin.get("/auth/profile").status_code == 200
    response = admin.post_form(f"/questions/{values['question']}/vote", {"value": "up"})
    assert response.status_code == 302
    assert _snapshot(app) != before
