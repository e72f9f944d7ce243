"""Two people editing the same question or answer from the same version: the first save wins,
the second editor gets the edit page again (409) with the version saved meanwhile beside their
own text, which is kept in the form, and saves again deliberately. Nothing is overwritten
silently — through the pages, through the services, and with real simultaneous saves."""
import re

import pytest
from markupsafe import escape

from core.accounts.models import User
from core.extensions import db
from core.revisions import EditConflict, Revision, list_revisions
from forum.models import Answer, Question
from forum.services import answers, questions
from tests import factories
from tests.forum.conftest import BODY, count, html, row
from tests.forum.test_concurrency import run_together, user_ids_of

TITLE = "How do I earn the trust of a boy who sleeps at the station?"
FIRST_BODY = BODY + "\nHe is about 14 and speaks little French."
SECOND_BODY = BODY + "\nHe comes back every evening at eight."
BASE_RE = re.compile(r'<input[^>]*name="base_revision"[^>]*value="(\d*)"')


def base_of(response):
    found = BASE_RE.search(html(response))
    assert found, "the edit form has no base_revision field"
    return found.group(1)


def question_form(base, body, **extra):
    return dict({"title": TITLE, "body": body, "tags": "trust", "lang": "en",
                 "base_revision": base}, **extra)


def test_the_second_of_two_question_editors_sees_both_texts_and_keeps_theirs(
        app, seed, user_client):
    author, moderator = user_client(), user_client("moderator")
    question_id = seed.question(author.username)
    url = f"/questions/{question_id}/edit"
    base_author, base_moderator = base_of(author.get(url)), base_of(moderator.get(url))
    assert base_author == base_moderator == "1"

    assert author.post_form(url, question_form(base_author, FIRST_BODY)).status_code == 302
    response = moderator.post_form(url, question_form(base_moderator, SECOND_BODY,
                                                      summary="The hour he comes"))
    assert response.status_code == 409
    page = html(response)
    assert "Someone saved a new version while you were editing" in page
    # The version saved meanwhile, with what differs from theirs...
    conflict = re.search(r'<section class="conflict.*?</section>', page, re.S).group(0)
    assert "He is about 14 and speaks little French." in conflict
    assert "<del>− He is about 14" in conflict and "<ins>+ He comes back every" in conflict
    # ...and their own text still in the form, on the newest base.
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(str(escape(SECOND_BODY))), page)
    assert 'value="The hour he comes"' in page
    assert base_of(response) == "2"
    assert row(app, Question, question_id)["body"] == FIRST_BODY
    assert count(app, Revision, Revision.target_type == "question") == 2

    # Saving again from the page they were shown is deliberate: it goes through.
    response = moderator.post_form(url, question_form(base_of(response), SECOND_BODY))
    assert response.status_code == 302
    assert row(app, Question, question_id)["body"] == SECOND_BODY
    assert count(app, Revision, Revision.target_type == "question") == 3


def test_the_second_of_two_answer_editors_sees_both_texts(app, seed, user_client):
    answerer, expert = user_client(), user_client("expert")
    answer_id = seed.answer(answerer.username, seed.question(user_client().username))
    url = f"/answers/{answer_id}/edit"
    base_answerer, base_expert = base_of(answerer.get(url)), base_of(expert.get(url))

    assert answerer.post_form(url, {"body": FIRST_BODY, "base_revision": base_answerer}) \
        .status_code == 302
    response = expert.post_form(url, {"body": SECOND_BODY, "base_revision": base_expert})
    assert response.status_code == 409
    page = html(response)
    assert "speaks little French" in re.search(r'<section class="conflict.*?</section>',
                                               page, re.S).group(0)
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(str(escape(SECOND_BODY))), page)
    assert row(app, Answer, answer_id)["body"] == FIRST_BODY
    response = expert.post_form(url, {"body": SECOND_BODY, "base_revision": base_of(response)})
    assert response.status_code == 302
    assert row(app, Answer, answer_id)["body"] == SECOND_BODY


@pytest.mark.parametrize("base", ["0", "-1", str(2 ** 31), "1" * 25, "abc"])
def test_an_impossible_base_revision_is_refused(app, seed, user_client, base):
    author = user_client()
    question_id = seed.question(author.username)
    response = author.post_edit(f"/questions/{question_id}/edit",
                                question_form(base, FIRST_BODY))
    assert response.status_code == 400
    assert str(escape(FIRST_BODY)) in html(response)
    assert row(app, Question, question_id)["body"] == BODY


def test_services_refuse_an_edit_from_an_older_version(ctx):
    author, moderator = factories.user(), factories.user("moderator")
    question = factories.question(author)
    answer = factories.answer(factories.user(), question.id)
    questions.edit_question(author, question.id, TITLE, FIRST_BODY, "trust", "en",
                            base_revision=1)
    with pytest.raises(EditConflict) as raised:
        questions.edit_question(moderator, question.id, TITLE, SECOND_BODY, "trust", "en",
                                base_revision=1)
    assert raised.value.current.number == 2 and raised.value.current.body == FIRST_BODY
    answers.edit_answer(moderator, answer.id, FIRST_BODY, base_revision=1)
    with pytest.raises(EditConflict):
        answers.edit_answer(moderator, answer.id, SECOND_BODY, base_revision=1)
    assert db.session.get(Question, question.id).body == FIRST_BODY
    assert db.session.get(Answer, answer.id).body == FIRST_BODY


ROUNDS = 10


def test_two_simultaneous_saves_from_one_version_never_lose_one_silently(app, make_user):
    """Both editors save at the same moment from revision 1: one wins, the other is told."""
    names = [make_user("moderator"), make_user("moderator")]
    editors = user_ids_of(app, names)
    with app.app_context():
        author_id = factories.user().id
    for round_ in range(ROUNDS):
        with app.app_context():
            question_id = factories.question(
                db.session.get(User, author_id),
                title=f"How do I earn the trust of a boy, round {round_}?").id
        outcomes = {}

        def save(user):
            try:
                questions.edit_question(user, question_id, TITLE, f"{BODY}\nEdited by "
                                        f"{user.username}.", "trust", "en", base_revision=1)
                outcomes[user.username] = "saved"
            except EditConflict:
                outcomes[user.username] = "conflict"

        assert run_together(app, editors, save) == []
        assert sorted(outcomes.values()) == ["conflict", "saved"]
        winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
        with app.app_context():
            assert db.session.get(Question, question_id).body.endswith(f"{winner}.")
            assert [r.number for r in list_revisions("question", question_id)] == [2, 1]


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_an_edit_without_its_base_revision_is_refused_and_keeps_the_text(
        app, seed, user_client, kind):
    author = user_client()
    author.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    question_id = seed.question(author.username)
    if kind == "question":
        url, data, table, post_id = (f"/questions/{question_id}/edit",
                                     question_form("", FIRST_BODY), Question, question_id)
        del data["base_revision"]
    else:
        post_id = seed.answer(author.username, question_id)
        url, data, table = f"/answers/{post_id}/edit", {"body": FIRST_BODY}, Answer
    response = author.post_form(url, data)
    assert response.status_code == 400
    assert "This form is out of date: reload the page" in html(response)
    assert str(escape(FIRST_BODY)) in html(response)
    assert row(app, table, post_id)["body"] == BODY
    assert count(app, Revision) == (1 if kind == "question" else 2)
