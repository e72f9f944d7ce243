"""Bad input never gives a server error: numbers out of range and NUL bytes in every URL rule
and every form of the application, titles made of invisible characters. Each case gets a page
that says what is wrong (400 or 404) and a refused form keeps what the user typed.

The URL sweeps iterate the application's own URL map, so that a rule added later is covered."""
import re

import pytest
from markupsafe import escape
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from core.accounts.services import get_user_by_username
from core.extensions import db
from forum.models import Question, Tag
from forum.services import answers, comments
from knowledge.services import promotion
from knowledge.models import Module
from knowledge.services.notebooks import create_notebook
from tests import factories

BAD_NUMBERS = ["0", "-1", str(2 ** 31), str(2 ** 63), "1" * 25]
BODY = ("We meet a boy of fourteen each night near the station; he runs away when we "
        "approach.")
ARTICLE_BODY = ("Sit down at the child's height, say who you are and come back at the same "
                "hour the next days: trust grows from what is repeated.")
ARGUMENT_RE = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


@pytest.fixture
def site(app):
    """A thread with an accepted answer, a comment, a tag, a notebook with a module, a draft
    article promoted from the thread; returns the names and numbers URLs need."""
    with app.app_context():
        asker = factories.user("member", "asker")
        answerer = factories.user("member", "answerer")
        expert = factories.user("expert", "curator")
        question = factories.question(asker)
        answer = factories.answer(answerer, question.id)
        answers.accept_answer(asker, answer.id)
        comment = comments.post_comment(asker, "A short remark on this.",
                                        question_id=question.id)
        create_notebook("street", "Children in street situations", "",
                        [{"title": "First contacts"}])
        article, _ = promotion.promote(expert, question.id, [answer.id])
        module_id = db.session.scalar(select(Module.id))
        return {"question": question.id, "answer": answer.id, "comment": comment.id,
                "slug": article.slug, "notebook": "street", "tag": "trust",
                "username": "asker", "module": module_id}


@pytest.fixture
def admin(user_client):
    client = user_client("admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _fill(rule, site, number=None, text=None):
    """The path of `rule` with its int arguments set to `number` (or an existing id) and its
    text arguments set to `text` (or an existing name)."""

    def value(match):
        converter, options, name = match.groups()
        if converter == "int":
            return number if number is not None else "1"
        if converter == "any":
            return options.split(",")[0].strip()
        if text is not None:
            return text
        return {"slug": site["slug"] if "/articles/" in rule.rule else site["notebook"],
                "name": site["tag"], "username": site["username"]}.get(name, "x")

    return ARGUMENT_RE.sub(value, rule.rule)


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(c, IntegerConverter) for c in rule._converters.values())]


def _text_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(type(c).__name__ in ("UnicodeConverter", "PathConverter")
                   for c in rule._converters.values()) and rule.endpoint != "static"]


def _call(client, rule, path):
    method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
    if method == "POST":
        return client.post_form(path)
    return client.get(path)


def test_the_sweeps_see_the_rules_they_are_meant_for(app):
    paths = {rule.rule for rule in _int_rules(app)}
    assert {"/questions/<int:question_id>", "/answers/<int:answer_id>/edit",
            "/kb/promote/<int:question_id>",
            "/kb/notebooks/<slug>/modules/<int:position>"} <= paths
    assert {"/tags/<name>", "/users/<username>", "/kb/articles/<slug>"} <= {
        rule.rule for rule in _text_rules(app)}


@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_every_numbered_url_refuses_numbers_out_of_range(app, site, admin, number):
    failures = []
    for rule in _int_rules(app):
        path = _fill(rule, site, number=number)
        response = _call(admin, rule, path)
        if response.status_code != 404:
            failures.append((path, response.status_code))
    assert failures == [], failures


def test_the_numbered_urls_still_work_with_a_real_number(app, site, admin):
    assert admin.get(f"/questions/{site['question']}").status_code == 200
    assert admin.get("/kb/notebooks/street/modules/1").status_code == 200
    assert admin.get(f"/answers/{site['answer']}/edit").status_code == 200


def test_a_nul_byte_in_any_url_segment_is_not_found(app, site, admin):
    failures = []
    for rule in _text_rules(app):
        path = _fill(rule, site, text="a%00b")
        response = _call(admin, rule, path)
        if response.status_code != 404:
            failures.append((path, response.status_code))
    assert failures == [], failures


def test_a_nul_byte_in_a_query_argument_is_dropped(app, site, admin):
    page = admin.get("/questions?tag=tr%00ust").get_data(as_text=True)
    assert "How do I build trust" in page
    assert admin.get("/search?q=tr%00ust").status_code == 200


QUERIES = ["q", "page", "sort", "tag", "lang", "module", "translation_of", "from", "to", "next",
           "action", "actor", "post_type", "post_id"]


@pytest.mark.parametrize("value", ["a%00b"] + BAD_NUMBERS)
def test_every_page_survives_bad_query_arguments(app, site, admin, value):
    query = "&".join(f"{name}={value}" for name in QUERIES)
    failures = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = _fill(rule, site)
        response = admin.get(f"{path}?{query}")
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    assert failures == [], failures


# -- NUL bytes and numbers out of range in every form ---------------------------------------------

def _forms(site):
    """(url, role, fields, text fields to try a NUL in): every form of the application, filled
    so that it would be accepted."""
    question = {"title": "How do I earn the trust of a boy at the station?", "body": BODY,
                "tags": "trust night", "lang": "en"}
    article = {"title": "Earning trust in the first street contacts",
               "summary": "Come back at the same hour.", "body": ARTICLE_BODY,
               "tags": "trust first-contact", "lang": "en", "countries": "MA PE",
               "translation_of": "0", "edit_summary": "Rewritten"}
    module = {"title": "First contacts, again", "summary": "Outreach.",
              "objectives": "- Come back", "body": "Go slowly.", "edit_summary": "Clearer"}
    return [
        ("/auth/register", None, {"username": "newcomer", "email": "new@example.org",
                                  "password": "a long secret", "confirm": "a long secret"}),
        ("/auth/login", None, {"username": "asker", "password": "correct horse battery"}),
        ("/auth/profile", "member", {"display_name": "Awa Diallo", "email": "awa@example.org",
                                     "organisation": "Samu social", "country": "ML",
                                     "bio": "Street educator in Bamako.",
                                     "current_password": "correct horse battery"}),
        ("/auth/forgot", None, {"login": "asker"}),
        ("/auth/password", "member", {"current_password": "correct horse battery",
                                      "password": "another long secret",
                                      "confirm": "another long secret"}),
        ("/questions/ask", "member", dict(question, similar_checked="1",
                                          module=str(site["module"]))),
        (f"/questions/{site['question']}/answers", "member", {"body": BODY}),
        (f"/questions/{site['question']}/comments", "member",
         {"body": "A reply to this remark.", "parent_id": str(site["comment"])}),
        (f"/questions/{site['question']}/edit", "moderator",
         dict(question, summary="Clearer title")),
        (f"/answers/{site['answer']}/edit", "moderator",
         {"body": BODY + " Changed.", "summary": "Clearer"}),
        ("/tags/trust/edit", "expert", {"description": "Building trust with a child."}),
        ("/kb/articles/new", "expert", dict(article, modules=str(site["module"]))),
        (f"/kb/articles/{site['slug']}/edit", "admin", dict(article, modules=str(site["module"]))),
        ("/kb/notebooks/new", "expert", {"slug": "shelter", "title": "Life at the shelter",
                                         "summary": "Daily care.", "lang": "en"}),
        ("/kb/notebooks/street/edit", "expert", {"title": "Children in the streets",
                                                 "summary": "Outreach work.", "lang": "en"}),
        ("/kb/notebooks/street/modules/new", "expert",
         {key: value for key, value in module.items() if key != "edit_summary"}),
        ("/kb/notebooks/street/modules/1/edit", "expert", dict(module)),
        (f"/kb/promote/{site['question']}", "expert", {"answers": str(site["answer"])}),
        ("/moderation/users/asker/suspend", "moderator", {"duration": "7d",
                                                           "reason": "Spam links"}),
        ("/moderation/users/asker/unsuspend", "moderator", {"lift-reason": "Apologised"}),
        ("/moderation/users/asker/warn", "moderator",
         {"message": "Remove the name.", "post_type": "question",
          "post_id": str(site["question"])}),
        ("/moderation/users/asker/role", "admin", {"role": "expert", "reason": "Trusted"}),
        ("/search/thesaurus/new", "expert", {"slug": "shared-snack", "names_fr": "goûter",
                                             "names_es": "merienda", "tags": "first-contact"}),
        ("/tags/trust/synonyms", "expert", {"synonym": "night"}),
    ]


NOT_ECHOED = {"password", "confirm", "current_password", "lang", "similar_checked", "module",
              "parent_id", "translation_of", "modules", "answers", "country"}


def _signed_in(app, user_client, login, role):
    if role is None:
        client = app.test_client()
    else:
        client = user_client(role)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _cases(site):
    for url, role, fields in _forms(site):
        for name in fields:
            yield url, role, fields, name


def test_a_nul_byte_in_any_form_field_is_refused_and_the_rest_is_kept(
        app, site, user_client, login):
    failures = []
    for url, role, fields, name in _cases(site):
        client = _signed_in(app, user_client, login, role)
        data = dict(fields, **{name: fields[name][:3] + "\x00" + fields[name][3:]})
        response = client.post_form(url, data)
        page = response.get_data(as_text=True)
        if response.status_code not in (200, 400) or "\x00" in page:
            failures.append((url, name, response.status_code))
            continue
        kept = [other for other, value in fields.items()
                if other != name and other not in NOT_ECHOED
                and str(escape(value)) not in page and value not in page]
        if kept:
            failures.append((url, name, "lost", kept))
    assert failures == [], failures


def test_a_nul_byte_is_refused_beside_the_field_that_holds_it(app, site, user_client):
    client = user_client("member")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post_form("/questions/ask", {
        "title": "How do I earn\x00 the trust of a boy?", "body": BODY, "tags": "trust",
        "lang": "en", "similar_checked": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'<ul class="errors" id="title-error">(.*?)</ul>', page, re.S)
    assert error and "character" in error.group(1)
    # The title is given back without the byte, so that sending again works.
    assert 'value="How do I earn the trust of a boy?"' in page
    with app.app_context():
        assert db.session.scalar(select(Question.id).where(Question.title.contains("earn"))) \
            is None


@pytest.mark.parametrize("number", BAD_NUMBERS[2:])
@pytest.mark.parametrize("url,field", [
    ("/kb/articles/new", "modules"), ("/kb/articles/new", "translation_of"),
])
def test_article_forms_refuse_ids_out_of_range(app, site, user_client, url, field, number):
    client = user_client("expert")
    data = {"title": "Earning trust in the first street contacts",
            "summary": "Come back at the same hour.", "body": ARTICLE_BODY,
            "tags": "trust first-contact", "lang": "en", "countries": "MA PE",
            "translation_of": "0", field: number}
    response = client.post_form(url, data)
    assert response.status_code == 400
    assert "Earning trust in the first street contacts" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [str(2 ** 63), "1" * 25, "-1"])
def test_a_comment_reply_to_an_impossible_parent_is_refused(app, site, user_client, number):
    client = user_client("member")
    response = client.post_form(f"/questions/{site['question']}/comments",
                                {"body": "A reply to this remark.", "parent_id": number})
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("number", [str(2 ** 63), "1" * 25, "-5", "abc"])
def test_the_ask_form_with_a_bad_module_link_keeps_the_question(app, site, user_client,
                                                                 number):
    client = user_client("member")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    title = "How do I earn the trust of a boy at the station?"
    response = client.post_form("/questions/ask", {
        "title": title, "body": BODY, "tags": "trust", "lang": "en", "similar_checked": "1",
        "module": number})
    page = response.get_data(as_text=True)
    # The link is dropped, the question is not: it is posted, or the form comes back full.
    if response.status_code == 302:
        with app.app_context():
            assert db.session.scalar(select(Question.id).where(Question.title == title))
    else:
        assert response.status_code == 400
        assert title in page and str(escape(BODY)) in page


def test_the_ask_page_opened_with_a_bad_module_link_still_opens(app, site, user_client):
    client = user_client("member")
    for number in (str(2 ** 63), "1" * 25, "-1"):
        assert client.get(f"/questions/ask?module={number}").status_code == 200


# -- invisible text -------------------------------------------------------------------------------

INVISIBLE = ["\u200b" * 12, "\u3164" * 12, "\u2060\ufeff" * 6, "\u115f\u1160" * 6,
             " \u00a0\u2003\u200b" * 4, "\u202e\u200d\u200c" * 4, "\u2800" * 12]


@pytest.mark.parametrize("title", INVISIBLE)
def test_a_title_made_of_invisible_characters_is_refused(app, user_client, title):
    client = user_client("member")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post_form("/questions/ask", {"title": title, "body": BODY,
                                                    "tags": "trust", "lang": "en",
                                                    "similar_checked": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'<ul class="errors" id="title-error">', page)
    assert str(escape(BODY)) in page
    with app.app_context():
        assert db.session.scalar(select(Question.id)) is None


def test_a_body_padded_with_invisible_characters_is_too_short(app, user_client):
    client = user_client("member")
    response = client.post_form("/questions/ask", {
        "title": "How do I earn the trust of a boy at the station?",
        "body": "Help" + "\u200b" * 40, "tags": "trust", "lang": "en", "similar_checked": "1"})
    assert response.status_code == 400
    assert re.search(r'<ul class="errors" id="body-error">', response.get_data(as_text=True))


def test_visible_text_in_any_script_is_accepted(app, user_client):
    client = user_client("member")
    # Khmer separates words with zero-width spaces; they do not count, the letters do.
    response = client.post_form("/questions/ask", {
        "title": "តើ\u200bខ្ញុំ\u200bអាច\u200bជួយ\u200bក្មេង\u200bយ៉ាងដូចម្តេច",
        "body": BODY, "tags": "trust", "lang": "km", "similar_checked": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize("tag", ["\u3164", "\u115f", "a\u200bb", "\u2800"])
def test_an_invisible_tag_is_refused(app, user_client, tag):
    client = user_client("member")
    response = client.post_form("/questions/ask", {
        "title": "How do I earn the trust of a boy at the station?", "body": BODY,
        "tags": f"trust {tag}", "lang": "en", "similar_checked": "1"})
    assert response.status_code == 400
    assert re.search(r'<ul class="errors" id="tags-error">', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(select(Tag.name)).all() == []


@pytest.mark.parametrize("name", ["\u3164\u3164\u3164", "\u200b", " \u2800 "])
def test_an_invisible_display_name_is_refused(app, user_client, name):
    client = user_client("member")
    username = client.username
    response = client.post_form("/auth/profile", {"display_name": name,
                                                  "email": f"{username}@example.org"})
    assert response.status_code == 400
    with app.app_context():
        assert get_user_by_username(username).display_name in (None, "", username)
