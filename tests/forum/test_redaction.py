"""Redaction of questions and answers: a moderator overwrites an earlier revision, or a
passage wherever the post holds it; the text is gone from the database, the question page,
the history and the diffs; the audit log says who, when, why — never the text. Then the
pages: the redaction forms, refused input with the field named, members refused with 403,
and the history of deleted posts kept from everyone but their author and moderators."""
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import Forbidden, InvalidInput
from core.extensions import db
from core.revisions import Revision, list_revisions
from forum.models import Answer, Comment, Question
from forum.services import redaction
from forum.services.answers import edit_answer
from forum.services.comments import post_comment
from forum.services.deletion import delete_post
from forum.services.questions import edit_question
from forum.services.revisions import restore_revision
from tests import factories
from tests.forum.conftest import field_error, html

NAME = "Moussa Kaboré"
PHONE = "+237 6 77 12 34 56"
TITLE = "A boy sleeps near the central market every night"
BODY_NAMED = (f"His name is {NAME}, he is 12 and sleeps behind the market.\n"
              f"His uncle answers at {PHONE}.\nHow do we approach him?")
BODY_CLEAN = ("A boy of 12 sleeps near the market.\nHis uncle can be reached.\n"
              "How do we approach him?")


def _everything_stored():
    """Every text of the forum tables and the revisions, as one string."""
    texts = []
    for model, columns in ((Question, ("title", "body", "body_html")),
                           (Answer, ("body", "body_html")), (Comment, ("body", "body_html")),
                           (Revision, ("title", "body", "tags", "summary"))):
        for row in db.session.scalars(select(model)):
            texts += [str(getattr(row, column) or "") for column in columns]
        texts += [str(row.fields) for row in db.session.scalars(select(Revision))]
    texts += [f"{entry.reason} {entry.details}" for entry in
              db.session.scalars(select(AuditEntry))]
    return "\n".join(texts)


@pytest.fixture
def named(ctx):
    """A member's question naming a child, then edited clean: revision 1 names him."""
    author = factories.user()
    moderator = factories.user("moderator")
    question = factories.question(author, title=TITLE, body=BODY_NAMED, tags="street night")
    edit_question(author, question.id, TITLE, BODY_CLEAN, "street night", "en",
                  summary="removed the name")
    return author, moderator, question


# -- a whole revision --------------------------------------------------------------------------

def test_a_moderator_redacts_an_earlier_revision(named):
    author, moderator, question = named
    redaction.redact_revision(moderator, "question", question.id, 1, "names a child")
    first, = [r for r in list_revisions("question", question.id) if r.number == 1]
    assert first.redacted_at is not None and first.redacted_by_id == moderator.id
    assert first.body == "[This revision was redacted by a moderator.]"
    assert (first.title, first.tags, first.summary) == ("[Redacted revision]", "", "")
    stored = _everything_stored()
    assert "Kaboré" not in stored and "77 12 34 56" not in stored
    # The current text is untouched.
    assert db.session.get(Question, question.id).body == BODY_CLEAN


def test_the_audit_entry_says_who_what_why_never_the_text(named):
    _author, moderator, question = named
    redaction.redact_revision(moderator, "question", question.id, 1, "  names a child ")
    entry, = db.session.scalars(select(AuditEntry)).all()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id, entry.reason) == (
        moderator.id, "redact", "question", question.id, "names a child")
    assert entry.details == {"revision": 1, "scope": "revision"}


def test_the_current_revision_cannot_be_redacted_whole(named):
    _author, moderator, question = named
    with pytest.raises(InvalidInput) as refused:
        redaction.redact_revision(moderator, "question", question.id, 2, "why")
    assert refused.value.field == "revision"
    assert list_revisions("question", question.id)[0].redacted_at is None


@pytest.mark.parametrize("number", [0, 3, 10 ** 24, -1])
def test_a_revision_that_does_not_exist_is_named(named, number):
    _author, moderator, question = named
    with pytest.raises(InvalidInput) as refused:
        redaction.redact_revision(moderator, "question", question.id, number, "why")
    assert refused.value.field == "revision"


def test_a_reason_is_required_and_nothing_changes_without_it(named):
    _author, moderator, question = named
    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            redaction.redact_revision(moderator, "question", question.id, 1, reason)
        assert refused.value.field == "reason"
    assert NAME in _everything_stored()
    assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize("role", ["member", "expert"])
def test_only_moderators_redact(named, role):
    author, _moderator, question = named
    for user in (author, factories.user(role)):
        with pytest.raises(Forbidden):
            redaction.redact_revision(user, "question", question.id, 1, "why")
        with pytest.raises(Forbidden):
            redaction.redact_passage(user, "question", question.id, NAME, "why")
    assert NAME in _everything_stored()


def test_a_redacted_revision_is_redacted_once_and_cannot_be_restored(named):
    author, moderator, question = named
    redaction.redact_revision(moderator, "question", question.id, 1, "names a child")
    with pytest.raises(InvalidInput):
        redaction.redact_revision(moderator, "question", question.id, 1, "again")
    with pytest.raises(InvalidInput):
        restore_revision(author, "question", question.id, 1)
    assert db.session.get(Question, question.id).body == BODY_CLEAN


def test_an_answer_revision_is_redacted(ctx):
    author, moderator = factories.user(), factories.user("moderator")
    question = factories.question(factories.user())
    answer = factories.answer(author, question.id, body=BODY_NAMED)
    edit_answer(author, answer.id, BODY_CLEAN)
    redaction.redact_revision(moderator, "answer", answer.id, 1, "names a child")
    assert "Kaboré" not in _everything_stored()
    assert db.session.get(Answer, answer.id).body == BODY_CLEAN


def test_a_deleted_post_can_be_redacted(named):
    author, moderator, question = named
    delete_post(author, "question", question.id)
    redaction.redact_revision(moderator, "question", question.id, 1, "names a child")
    assert "Kaboré" not in _everything_stored()


# -- a passage ----------------------------------------------------------------------------------

def test_a_passage_is_replaced_everywhere_the_post_holds_it(ctx):
    author, moderator = factories.user(), factories.user("moderator")
    question = factories.question(author, title=f"Where can {NAME} sleep tonight?",
                                  body=BODY_NAMED)
    edit_question(author, question.id, f"Where can {NAME} sleep tonight?",
                  BODY_NAMED + "\nMOUSSA   KABORÉ was seen again.", "street", "en")
    comment = post_comment(factories.user(), f"I met {NAME} yesterday.",
                           question_id=question.id)
    elsewhere = factories.question(factories.user(), body=f"Another thread: {NAME} too.")
    redaction.redact_passage(moderator, "question", question.id, "  Moussa\nKaboré ",
                             "names a child")
    stored = db.session.get(Question, question.id)
    assert stored.title == "Where can [redacted] sleep tonight?"
    assert "Kaboré" not in stored.body and "KABORÉ" not in stored.body_html
    assert stored.body.count("[redacted]") == 2
    assert db.session.get(Comment, comment.id).body == "I met [redacted] yesterday."
    revisions = list_revisions("question", question.id)
    # Its own revision, so that an edit form opened before meets the conflict page.
    assert [r.number for r in revisions] == [3, 2, 1]
    assert revisions[0].editor_id == moderator.id and revisions[0].body == stored.body
    assert all("Kaboré" not in (r.title + r.body) for r in revisions)
    assert all(r.redacted_at is None for r in revisions)
    # Only this post: the other thread is a moderator's decision of its own.
    assert NAME in db.session.get(Question, elsewhere.id).body
    entry, = db.session.scalars(select(AuditEntry)).all()
    assert entry.details == {"scope": "passage", "occurrences": 3, "revisions": [1, 2],
                             "comments": [comment.id]}
    assert NAME not in str(entry.details) + entry.reason


def test_a_passage_only_in_the_history_leaves_the_current_text_alone(named):
    _author, moderator, question = named
    redaction.redact_passage(moderator, "question", question.id, PHONE, "a phone number")
    assert len(list_revisions("question", question.id)) == 2
    assert db.session.get(Question, question.id).body == BODY_CLEAN
    first = list_revisions("question", question.id)[1]
    assert "His uncle answers at [redacted]." in first.body


def test_a_passage_matches_whole_words_only(ctx):
    author, moderator = factories.user(), factories.user("moderator")
    question = factories.question(author, body="Ali met Alice at the formalities office.")
    redaction.redact_passage(moderator, "question", question.id, "Ali", "names a child")
    assert db.session.get(Question, question.id).body == (
        "[redacted] met Alice at the formalities office.")


def test_the_placeholder_is_written_in_the_post_language(ctx):
    author, moderator = factories.user(), factories.user("moderator")
    question = factories.question(author, body=f"Il s'appelle {NAME} et dort au marché.",
                                  lang="fr")
    redaction.redact_passage(moderator, "question", question.id, NAME, "nomme un enfant")
    with force_locale("fr"):
        placeholder = str(redaction.PLACEHOLDER)
    assert db.session.get(Question, question.id).body == (
        f"Il s'appelle {placeholder} et dort au marché.")


@pytest.mark.parametrize("passage,field", [
    ("", "passage"), ("   ", "passage"), ("Aminata Traoré", "passage"),
])
def test_a_bad_passage_is_named_and_nothing_changes(named, passage, field):
    _author, moderator, question = named
    before = _everything_stored()
    with pytest.raises(InvalidInput) as refused:
        redaction.redact_passage(moderator, "question", question.id, passage, "why")
    assert refused.value.field == field
    assert _everything_stored() == before


def test_a_passage_not_in_the_post_says_so(named, app):
    _author, moderator, question = named
    with pytest.raises(InvalidInput) as refused:
        redaction.redact_passage(moderator, "question", question.id, "Aminata", "why")
    assert str(refused.value.message) == "This passage is not in the post."


def test_a_passage_that_is_the_whole_text_is_refused(ctx):
    author, moderator = factories.user(), factories.user("moderator")
    question = factories.question(author, title="A question about the night shelter",
                                  body=BODY_NAMED)
    with pytest.raises(InvalidInput) as refused:
        redaction.redact_passage(moderator, "question", question.id, BODY_NAMED, "why")
    assert refused.value.field == "passage"
    with pytest.raises(InvalidInput):
        redaction.redact_passage(moderator, "question", question.id,
                                 "A question about the night shelter", "why")
    assert db.session.get(Question, question.id).body == BODY_NAMED


def test_notifications_show_the_title_as_it_is_now(app, seed, user_client, make_user):
    answerer_client = user_client()
    asker, moderator = make_user(), make_user("moderator")
    question_id = seed.question(asker, title=f"Where can {NAME} sleep tonight?",
                                body=BODY_NAMED)
    seed.accept(asker, seed.answer(answerer_client.username, question_id))
    assert NAME in html(answerer_client.get("/notifications"))
    with app.app_context():
        redaction.redact_passage(get_user_by_username(moderator), "question", question_id,
                                 NAME, "names a child")
    page = html(answerer_client.get("/notifications"))
    assert "Where can [redacted] sleep tonight?" in page
    assert "Kaboré" not in page


# -- the pages ----------------------------------------------------------------------------------

@pytest.fixture
def thread(app, seed, make_user):
    author = make_user()
    question_id = seed.question(author, title=TITLE, body=BODY_NAMED, tags="street")
    seed.edit_question(author, question_id, TITLE, BODY_CLEAN, tags="street")
    return author, question_id


def _revision_form(client, question_id, **data):
    return client.post_form(f"/questions/{question_id}/redact/revision", data)


def _passage_form(client, question_id, **data):
    return client.post_form(f"/questions/{question_id}/redact/passage", data)


def test_the_history_shows_the_name_until_a_moderator_redacts_it(app, thread, client,
                                                                  user_client):
    _author, question_id = thread
    assert "Kaboré" in html(client.get(f"/questions/{question_id}/revisions"))
    assert "Kaboré" in html(client.get(f"/questions/{question_id}/revisions/diff?from=1&to=2"))
    moderator = user_client("moderator")
    history = html(moderator.get(f"/questions/{question_id}/revisions"))
    assert f"/questions/{question_id}/redact?revision=1" in history
    form_page = moderator.get(f"/questions/{question_id}/redact?revision=1")
    assert form_page.status_code == 200
    assert 'value="1"' in html(form_page)
    response = _revision_form(moderator, question_id, revision="1", reason="names a child")
    assert response.status_code == 302
    for reader in (client, moderator):
        history = html(reader.get(f"/questions/{question_id}/revisions"))
        assert "Kaboré" not in history and "77 12" not in history
        assert re.search(r"Redacted by a moderator on \w+ \d+, \d{4}", history)
        diff = html(reader.get(f"/questions/{question_id}/revisions/diff?from=1&to=2"))
        assert "Kaboré" not in diff and "[This revision was redacted by a moderator.]" in diff
    # No restore button for it.
    assert f"/questions/{question_id}/revisions/1/restore" not in html(
        user_client("expert").get(f"/questions/{question_id}/revisions"))


def test_a_passage_redacted_through_the_page_leaves_the_question_page(app, thread, client,
                                                                      user_client):
    _author, question_id = thread
    page = client.get(f"/questions/{question_id}")  # cached for anonymous readers
    moderator = user_client("moderator")
    response = _passage_form(moderator, question_id, passage=PHONE, reason="a phone number")
    assert response.status_code == 302
    assert "77 12 34 56" not in html(client.get(f"/questions/{question_id}/revisions"))
    assert page.status_code == 200
    edited = seed_title_and_body(app, question_id)
    assert PHONE not in edited


def seed_title_and_body(app, question_id):
    with app.app_context():
        question = db.session.get(Question, question_id)
        return question.title + question.body + "".join(
            r.body for r in list_revisions("question", question_id))


def test_the_question_page_changes_for_anonymous_readers_at_once(app, seed, make_user, client,
                                                                 user_client):
    question_id = seed.question(make_user(), title=TITLE, body=BODY_NAMED)
    assert NAME in html(client.get(f"/questions/{question_id}"))
    _passage_form(user_client("moderator"), question_id, passage=NAME, reason="names a child")
    page = html(client.get(f"/questions/{question_id}"))
    assert NAME not in page and "[redacted]" in page


@pytest.mark.parametrize("data,field,message", [
    ({"revision": "", "reason": "why"}, "redact-revision", "Give the number"),
    ({"revision": "1" * 25, "reason": "why"}, "redact-revision", "Give the number"),
    ({"revision": "abc", "reason": "why"}, "redact-revision", "Give the number"),
    ({"revision": "7", "reason": "why"}, "redact-revision", "no revision with this number"),
    ({"revision": "2", "reason": "why"}, "redact-revision", "the current text"),
    ({"revision": "1", "reason": ""}, "revision-reason", "required"),
    ({"revision": "1", "reason": "why\x00"}, "revision-reason", "NUL"),
])
def test_bad_revision_forms_come_back_with_the_field_named(app, thread, user_client, data,
                                                           field, message):
    _author, question_id = thread
    with app.app_context():
        before = _everything_stored()
    response = _revision_form(user_client("moderator"), question_id, **data)
    assert response.status_code == 400
    assert message in (field_error(html(response), field) or "")
    with app.app_context():
        assert _everything_stored() == before


@pytest.mark.parametrize("data,field,message", [
    ({"passage": "", "reason": "why"}, "redact-passage", "required"),
    ({"passage": "Aminata Traoré", "reason": "why"}, "redact-passage",
     "This passage is not in the post"),
    ({"passage": "Moussa\x00 Kaboré", "reason": "why"}, "redact-passage", "NUL"),
    ({"passage": NAME, "reason": ""}, "passage-reason", "required"),
    ({"passage": "x" * 2001, "reason": "why"}, "redact-passage", "2000"),
])
def test_bad_passage_forms_come_back_with_the_field_named(app, thread, user_client, data,
                                                          field, message):
    _author, question_id = thread
    with app.app_context():
        before = _everything_stored()
    response = _passage_form(user_client("moderator"), question_id, **data)
    assert response.status_code == 400
    assert message in (field_error(html(response), field) or "")
    with app.app_context():
        assert _everything_stored() == before


def test_a_form_without_its_csrf_token_changes_nothing(app, thread, user_client):
    _author, question_id = thread
    moderator = user_client("moderator")
    response = moderator.post(f"/questions/{question_id}/redact/passage",
                              data={"passage": NAME, "reason": "why"})
    assert response.status_code == 400
    with app.app_context():
        assert NAME in _everything_stored()


@pytest.mark.parametrize("role", ["member", "expert"])
def test_members_posting_the_forms_by_hand_get_403(app, thread, user_client, login, role):
    author, question_id = thread
    with app.app_context():
        before = _everything_stored()
    for client in (user_client(role), login(app.test_client(), author)):
        assert client.get(f"/questions/{question_id}/redact").status_code == 403
        assert _revision_form(client, question_id, revision="1",
                              reason="why").status_code == 403
        assert _passage_form(client, question_id, passage=NAME,
                             reason="why").status_code == 403
        assert "/redact" not in html(client.get(f"/questions/{question_id}/revisions"))
    with app.app_context():
        assert _everything_stored() == before


def test_anonymous_readers_are_sent_to_sign_in(thread, client):
    _author, question_id = thread
    response = client.post(f"/questions/{question_id}/redact/revision",
                           data={"revision": "1", "reason": "why"})
    assert response.status_code in (302, 400)
    assert client.get(f"/questions/{question_id}/redact").status_code == 302


def test_answers_have_their_redaction_page(app, seed, make_user, user_client):
    author = make_user()
    question_id = seed.question(make_user())
    answer_id = seed.answer(author, question_id, body=BODY_NAMED)
    moderator = user_client("moderator")
    assert moderator.get(f"/answers/{answer_id}/redact").status_code == 200
    response = moderator.post_form(f"/answers/{answer_id}/redact/passage",
                                   {"passage": NAME, "reason": "names a child"})
    assert response.status_code == 302
    with app.app_context():
        assert NAME not in db.session.get(Answer, answer_id).body


# -- deleted posts' history -------------------------------------------------------------------

@pytest.mark.parametrize("post_type", ["question", "answer"])
def test_a_deleted_posts_history_is_for_its_author_and_moderators(app, seed, make_user, login,
                                                                  client, user_client,
                                                                  post_type):
    author = make_user()
    question_id = seed.question(make_user() if post_type == "answer" else author,
                                body=BODY_NAMED)
    post_id = question_id
    if post_type == "answer":
        post_id = seed.answer(author, question_id, body=BODY_NAMED)
    seed.delete(author, post_type, post_id)
    kind = post_type + "s"
    pages = (f"/{kind}/{post_id}/revisions", f"/{kind}/{post_id}/revisions/diff?from=1&to=1")
    for reader in (client, user_client(), user_client("expert")):
        for page in pages:
            response = reader.get(page)
            assert response.status_code == 404
            assert "Kaboré" not in html(response)
    for reader in (login(app.test_client(), author), user_client("moderator")):
        for page in pages:
            response = reader.get(page)
            assert response.status_code == 200
            assert "Kaboré" in html(response)
