"""Every forum flow over HTTP with its public URL and field names (DESIGN §7): asking,
answering, commenting and replying, voting, accepting, the tag wiki — and validation errors
shown beside the field with status 400, changing nothing."""
import pytest

from core.extensions import db
from core.revisions import Revision
from forum.models import Answer, Comment, Question, Tag, Vote
from tests.forum.conftest import BODY, assert_login_redirect, count, field_error, html, ids, row

TITLE = "How do I approach a child who sleeps at the station?"
ASK = {"title": TITLE, "body": "We meet a boy of 14 each night near the station; he runs away.",
       "tags": "first-contact, night", "lang": "en"}


# -- asking ---------------------------------------------------------------------------------

def test_ask_form_needs_a_signed_in_user(client):
    assert_login_redirect(client.get("/questions/ask"))
    assert_login_redirect(client.post_form("/questions/ask", ASK))
    assert count(client.application, Question) == 0


def test_ask_form_has_the_public_field_names(user_client):
    page = html(user_client().get("/questions/ask"))
    for name in ("title", "body", "tags", "lang", "csrf_token"):
        assert f'name="{name}"' in page
    assert '<option selected value="en">' in page        # the reader's language by default


def test_asking_posts_the_question_and_shows_it(app, user_client):
    asker = user_client()
    response = asker.post_form("/questions/ask", ASK)
    assert response.status_code == 302
    [question_id] = ids(app, Question)
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert (question.title, question.lang, question.tag_names) == (
            TITLE, "en", "first-contact night")
        assert question.author.username == asker.username
    location = response.headers["Location"]
    assert location == (f"/questions/{question_id}/"
                        "how-do-i-approach-a-child-who-sleeps-at-the-station")
    page = html(asker.get(location))
    assert "Your question is posted." in page and f'<h1 lang="en" dir="auto">{TITLE}</h1>' in page
    assert count(app, Revision) == 1
    assert count(app, Tag, Tag.question_count == 1) == 2


@pytest.mark.parametrize("field, value", [
    ("title", ""),
    ("title", "Too short"),
    ("title", "x" * 151),
    ("body", ""),
    ("body", "Too short body."),
    ("tags", ""),
    ("tags", "one two three four five six"),
    ("tags", "c++ night"),
    ("lang", ""),
    ("lang", "de"),
])
def test_ask_errors_are_shown_beside_the_field_and_nothing_is_posted(app, user_client, field,
                                                                     value):
    response = user_client().post_form("/questions/ask", dict(ASK, **{field: value}))
    assert response.status_code == 400
    page = html(response)
    assert field_error(page, field), page
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page
    assert count(app, Question) == 0 and count(app, Tag) == 0 and count(app, Revision) == 0


def test_an_invalid_tag_is_named_in_the_error(user_client):
    page = html(user_client().post_form("/questions/ask", dict(ASK, tags="night c++")))
    assert "c++" in field_error(page, "tags")


def test_ask_form_keeps_what_was_typed_after_an_error(user_client):
    page = html(user_client().post_form("/questions/ask", dict(ASK, title="Short")))
    assert ASK["body"] in page and 'value="first-contact, night"' in page


def test_a_form_without_its_csrf_token_is_refused(app, user_client):
    asker = user_client()
    response = asker.post("/questions/ask", data=ASK)
    assert response.status_code == 400
    assert count(app, Question) == 0


# -- answering ------------------------------------------------------------------------------

def test_answering_posts_the_answer_and_goes_to_it(app, seed, user_client):
    question_id = seed.question(user_client().username)
    answerer = user_client()
    response = answerer.post_form(f"/questions/{question_id}/answers", {"body": BODY})
    assert response.status_code == 302
    [answer_id] = ids(app, Answer)
    assert response.headers["Location"].endswith(f"#answer-{answer_id}")
    assert row(app, Question, question_id)["answer_count"] == 1
    page = html(answerer.get(response.headers["Location"]))
    assert "Your answer is posted." in page and f'id="answer-{answer_id}"' in page


def test_an_answer_too_short_is_shown_beside_the_field(app, seed, user_client):
    question_id = seed.question(user_client().username)
    response = user_client().post_form(f"/questions/{question_id}/answers", {"body": "Too short"})
    assert response.status_code == 400
    page = html(response)
    assert field_error(page, "body") and "Too short" in page
    assert count(app, Answer) == 0 and row(app, Question, question_id)["answer_count"] == 0


def test_answering_needs_a_signed_in_user(app, seed, client, make_user):
    question_id = seed.question(make_user())
    assert_login_redirect(client.post_form(f"/questions/{question_id}/answers", {"body": BODY}))
    assert count(app, Answer) == 0


def test_closed_and_deleted_questions_take_no_answer(app, seed, user_client):
    asker = user_client()
    closed = seed.question(asker.username)
    seed.update(Question, closed, status="closed")
    deleted = seed.question(asker.username)
    seed.delete(asker.username, "question", deleted)
    other = user_client()
    assert other.post_form(f"/questions/{closed}/answers", {"body": BODY}).status_code == 403
    assert "closed to new answers" in html(other.get(f"/questions/{closed}"))
    assert other.post_form(f"/questions/{deleted}/answers", {"body": BODY}).status_code == 404
    assert asker.post_form(f"/questions/{deleted}/answers", {"body": BODY}).status_code == 403
    assert count(app, Answer) == 0


# -- comments and replies -------------------------------------------------------------------

def test_commenting_on_a_question_and_on_an_answer(app, seed, user_client):
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(user_client().username, question_id)
    commenter = user_client()
    response = commenter.post_form(f"/questions/{question_id}/comments",
                                   {"body": "Which city is this?"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#comment-1")
    assert row(app, Comment, 1)["question_id"] == question_id
    response = commenter.post_form(f"/answers/{answer_id}/comments", {"body": "Thank you."})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/questions/{question_id}/")
    assert response.headers["Location"].endswith("#comment-2")
    assert row(app, Comment, 2)["answer_id"] == answer_id
    page = html(commenter.get(f"/questions/{question_id}"))
    assert "Which city is this?" in page and "Thank you." in page


def test_the_reply_page_and_posting_a_reply(app, seed, client, user_client):
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(user_client().username, question_id)
    parent = seed.comment(user_client().username, "Did he come back the next day?",
                          answer_id=answer_id)
    replier = user_client()
    response = replier.get(f"/comments/{parent}/reply")
    assert response.status_code == 200
    page = html(response)
    assert "Did he come back the next day?" in page
    assert f'name="parent_id" type="hidden" value="{parent}"' in page
    assert f'action="/answers/{answer_id}/comments"' in page
    response = replier.post_form(f"/answers/{answer_id}/comments",
                                 {"body": "Yes, two nights later.", "parent_id": str(parent)})
    assert response.status_code == 302
    reply = row(app, Comment, 2)
    assert (reply["parent_id"], reply["answer_id"]) == (parent, answer_id)
    assert_login_redirect(client.get(f"/comments/{parent}/reply"))
    assert replier.get("/comments/999/reply").status_code == 404


def test_a_comment_error_is_shown_beside_the_field(app, seed, user_client):
    question_id = seed.question(user_client().username)
    parent = seed.comment(user_client().username, "A first remark.", question_id=question_id)
    response = user_client().post_form(f"/questions/{question_id}/comments",
                                       {"body": "Hm", "parent_id": str(parent)})
    assert response.status_code == 400
    page = html(response)
    assert field_error(page, "body")
    assert "A first remark." in page                     # still replying to the same comment
    assert count(app, Comment) == 1


def test_comments_need_a_signed_in_user(app, seed, client, make_user):
    question_id = seed.question(make_user())
    assert_login_redirect(client.post_form(f"/questions/{question_id}/comments",
                                           {"body": "Anonymous remark."}))
    assert count(app, Comment) == 0


# -- votes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["questions", "answers"])
def test_vote_up_down_and_withdraw(app, seed, user_client, kind):
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(user_client().username, question_id)
    model, post_id = (Question, question_id) if kind == "questions" else (Answer, answer_id)
    voter = user_client()
    url = f"/{kind}/{post_id}/vote"
    response = voter.post_form(url, {"value": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/questions/{question_id}/")
    assert row(app, model, post_id)["score"] == 1
    voter.post_form(url, {"value": "down"})
    assert row(app, model, post_id)["score"] == -1
    voter.post_form(url, {"value": "down"})
    assert row(app, model, post_id)["score"] == 0
    assert count(app, Vote) == 0


def test_a_vote_value_other_than_up_or_down_is_refused(app, seed, user_client):
    question_id = seed.question(user_client().username)
    voter = user_client()
    for data in ({"value": "sideways"}, {}, {"value": "1"}):
        assert voter.post_form(f"/questions/{question_id}/vote", data).status_code == 400
    assert count(app, Vote) == 0 and row(app, Question, question_id)["score"] == 0


# -- accepting ------------------------------------------------------------------------------

def test_accept_and_withdraw_over_http(app, seed, user_client):
    asker = user_client()
    question_id = seed.question(asker.username)
    first = seed.answer(user_client().username, question_id)
    second = seed.answer(user_client().username, question_id)
    response = asker.post_form(f"/answers/{first}/accept")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#answer-{first}")
    assert row(app, Question, question_id)["accepted_answer_id"] == first
    assert "Answer accepted." in html(asker.get(response.headers["Location"]))
    asker.post_form(f"/answers/{second}/accept")
    assert row(app, Question, question_id)["accepted_answer_id"] == second
    response = asker.post_form(f"/answers/{second}/accept")
    assert row(app, Question, question_id)["accepted_answer_id"] is None
    assert "Acceptance withdrawn." in html(asker.get(response.headers["Location"]))


# -- tag wiki -------------------------------------------------------------------------------

def test_experts_edit_a_tag_description(app, seed, client, user_client, make_user):
    seed.question(make_user(), tags="trust")
    expert = user_client("expert")
    assert 'href="/tags/trust/edit"' in html(expert.get("/tags/trust"))
    assert expert.get("/tags/trust/edit").status_code == 200
    response = expert.post_form("/tags/trust/edit", {"description": "Building a relationship."})
    assert response.status_code == 302 and response.headers["Location"] == "/tags/trust"
    assert "Building a relationship." in html(client.get("/tags/trust"))
    moderator = user_client("moderator")
    assert moderator.post_form("/tags/trust/edit", {"description": "Trust, step by step."}
                               ).status_code == 302
    assert row(app, Tag, 1)["description"] == "Trust, step by step."
    assert expert.get("/tags/unknown/edit").status_code == 404


def test_a_tag_description_carries_its_language(app, seed, client, user_client, make_user):
    seed.question(make_user(), tags="confianza")
    expert = user_client("expert")
    assert '<option selected value="en">' in html(expert.get("/tags/confianza/edit"))
    assert expert.post_form("/tags/confianza/edit", {
        "description": "Construir confianza con niñas y niños en situación de calle.",
        "lang": "es"}).status_code == 302
    page = html(client.get("/tags/confianza"))
    assert '<p lang="es" dir="auto">Construir confianza' in page
    assert '<p lang="es" dir="auto">Construir confianza' in html(client.get("/tags"))
    # A language the site does not know is refused, and nothing changes.
    refused = expert.post_form("/tags/confianza/edit", {"description": "Autre texte.",
                                                        "lang": "xx"})
    assert refused.status_code == 200 and "Not a valid choice" in html(refused)
    assert row(app, Tag, 1)["description_lang"] == "es"


def test_members_and_visitors_cannot_edit_a_tag_description(app, seed, client, user_client,
                                                            make_user):
    seed.question(make_user(), tags="trust")
    member = user_client()
    assert 'href="/tags/trust/edit"' not in html(member.get("/tags/trust"))
    assert member.get("/tags/trust/edit").status_code == 403
    assert member.post_form("/tags/trust/edit", {"description": "Vandalism."}).status_code == 403
    assert_login_redirect(client.post_form("/tags/trust/edit", {"description": "Vandalism."}))
    assert row(app, Tag, 1)["description"] == ""
