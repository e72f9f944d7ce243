"""Editing with revisions: who may edit (author; experts and moderators any post; members
not others'), every version kept and listed, line diffs between two versions, restoring an old
version as a new revision — through the services, then through the history, diff, edit and
restore pages."""
import pytest
from sqlalchemy import select

from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.revisions import Revision, diff_lines, get_revision, list_revisions
from forum.models import Answer, Question, Tag
from forum.services.answers import edit_answer
from forum.services.deletion import delete_post
from forum.services.questions import edit_question
from forum.services.revisions import restore_revision
from tests import factories
from tests.forum.conftest import assert_login_redirect, count, field_error, html, row

BODY = factories.BODY
TITLE = "How do I build trust with a child on the street?"
NEW_TITLE = "How do I earn the trust of a boy who sleeps at the station?"
NEW_BODY = BODY + "\nHe is about 14 and speaks little French."


def tag_counts():
    return dict(db.session.execute(select(Tag.name, Tag.question_count)).all())


@pytest.fixture
def asked(ctx):
    author = factories.user()
    return author, factories.question(author, tags="trust first-contact")


# -- editing through the services -----------------------------------------------------------

def test_the_author_edits_and_a_revision_is_added(asked):
    author, question = asked
    edit_question(author, question.id, NEW_TITLE, NEW_BODY + "\n\n*night*",
                  "trust night", "fr", summary="More context")
    stored = db.session.get(Question, question.id)
    assert (stored.title, stored.lang, stored.tag_names) == (NEW_TITLE, "fr", "night trust")
    assert "<em>night</em>" in stored.body_html
    assert stored.edited_at is not None
    newest = list_revisions("question", question.id)[0]
    assert (newest.number, newest.title, newest.summary, newest.editor_id) == (
        2, NEW_TITLE, "More context", author.id)
    assert sorted(newest.tags.split()) == ["night", "trust"]


def test_editing_tags_moves_the_tag_counts(asked):
    author, question = asked
    edit_question(author, question.id, TITLE, BODY, "trust night", "en")
    assert tag_counts() == {"trust": 1, "first-contact": 0, "night": 1}


@pytest.mark.parametrize("role", ["expert", "moderator", "admin"])
def test_experts_and_moderators_edit_any_post(asked, role):
    author, question = asked
    answer = factories.answer(factories.user(), question.id)
    editor = factories.user(role)
    edit_question(editor, question.id, NEW_TITLE, BODY, "trust", "en")
    edit_answer(editor, answer.id, NEW_BODY, summary="Clearer")
    assert db.session.get(Question, question.id).title == NEW_TITLE
    assert db.session.get(Answer, answer.id).body == NEW_BODY
    assert list_revisions("question", question.id)[0].editor_id == editor.id
    assert list_revisions("answer", answer.id)[0].editor_id == editor.id
    assert db.session.get(Question, question.id).author_id == author.id


def test_members_cannot_edit_the_posts_of_others(asked):
    _, question = asked
    answerer = factories.user()
    answer = factories.answer(answerer, question.id)
    other = factories.user()
    with pytest.raises(Forbidden):
        edit_question(other, question.id, NEW_TITLE, BODY, "trust", "en")
    with pytest.raises(Forbidden):
        edit_answer(other, answer.id, NEW_BODY)
    assert db.session.get(Question, question.id).title == TITLE
    assert db.session.get(Answer, answer.id).body == BODY
    assert len(list_revisions("question", question.id)) == 1
    assert len(list_revisions("answer", answer.id)) == 1


def test_the_author_edits_their_answer(asked):
    _, question = asked
    answerer = factories.user()
    answer = factories.answer(answerer, question.id)
    edit_answer(answerer, answer.id, NEW_BODY, summary="Age added")
    assert db.session.get(Answer, answer.id).body == NEW_BODY
    assert db.session.get(Answer, answer.id).edited_at is not None
    assert [r.number for r in list_revisions("answer", answer.id)] == [2, 1]


def test_an_edit_that_changes_nothing_is_refused(asked):
    author, question = asked
    with pytest.raises(InvalidInput):
        edit_question(author, question.id, TITLE, BODY, "first-contact trust", "en")
    assert len(list_revisions("question", question.id)) == 1


def test_edits_are_checked_like_new_posts(asked):
    author, question = asked
    with pytest.raises(InvalidInput) as refused:
        edit_question(author, question.id, "Short", BODY, "trust", "en")
    assert refused.value.field == "title"
    with pytest.raises(InvalidInput) as refused:
        edit_question(author, question.id, TITLE, BODY, "a b c d e f", "en")
    assert refused.value.field == "tags"
    with pytest.raises(InvalidInput) as refused:
        edit_question(author, question.id, TITLE, BODY, "trust", "xx")
    assert refused.value.field == "lang"
    assert db.session.get(Question, question.id).title == TITLE


def test_a_deleted_post_is_undeleted_before_being_edited(asked):
    author, question = asked
    delete_post(author, "question", question.id)
    with pytest.raises(Forbidden):
        edit_question(author, question.id, NEW_TITLE, BODY, "trust", "en")


# -- history, diff, restore -----------------------------------------------------------------

def test_the_history_lists_every_version_newest_first(asked):
    author, question = asked
    expert = factories.user("expert")
    edit_question(author, question.id, NEW_TITLE, BODY, "trust first-contact", "en")
    edit_question(expert, question.id, NEW_TITLE, NEW_BODY, "trust first-contact", "en",
                  summary="Typo")
    revisions = list_revisions("question", question.id)
    assert [r.number for r in revisions] == [3, 2, 1]
    assert [r.title for r in revisions] == [NEW_TITLE, NEW_TITLE, TITLE]
    assert [r.body for r in revisions] == [NEW_BODY, BODY, BODY]
    assert [r.editor_id for r in revisions] == [expert.id, author.id, author.id]


def test_diff_lines_marks_removed_added_and_same_lines():
    old = "Come at night.\nBring food.\nListen first."
    new = "Come at night.\nBring tea and bread.\nListen first.\nCome back tomorrow."
    assert diff_lines(old, new) == [
        ("same", "Come at night."),
        ("removed", "Bring food."),
        ("added", "Bring tea and bread."),
        ("same", "Listen first."),
        ("added", "Come back tomorrow."),
    ]
    assert diff_lines(None, "One line") == [("added", "One line")]
    assert diff_lines("Same", "Same") == [("same", "Same")]


def test_diff_between_two_stored_revisions(asked):
    author, question = asked
    edit_question(author, question.id, NEW_TITLE, NEW_BODY, "trust first-contact", "en")
    old, new = get_revision("question", question.id, 1), get_revision("question", question.id, 2)
    assert diff_lines(old.body, new.body) == [("same", BODY), ("added", NEW_BODY.split("\n")[1])]
    assert diff_lines(old.title, new.title) == [("removed", TITLE), ("added", NEW_TITLE)]


def test_restoring_an_old_revision_brings_its_content_back_as_a_new_revision(asked):
    author, question = asked
    edit_question(author, question.id, NEW_TITLE, NEW_BODY, "night", "en")
    assert tag_counts() == {"trust": 0, "first-contact": 0, "night": 1}
    restore_revision(author, "question", question.id, 1)
    stored = db.session.get(Question, question.id)
    assert (stored.title, stored.body, stored.tag_names) == (TITLE, BODY, "first-contact trust")
    assert stored.body_html == db.session.get(Question, question.id).body_html
    revisions = list_revisions("question", question.id)
    assert [r.number for r in revisions] == [3, 2, 1]
    assert revisions[0].body == BODY and "1" in revisions[0].summary
    assert tag_counts() == {"trust": 1, "first-contact": 1, "night": 0}


def test_restoring_an_answer_revision(asked):
    _, question = asked
    answerer = factories.user()
    answer = factories.answer(answerer, question.id)
    edit_answer(answerer, answer.id, NEW_BODY)
    moderator = factories.user("moderator")
    restore_revision(moderator, "answer", answer.id, 1)
    assert db.session.get(Answer, answer.id).body == BODY
    newest = list_revisions("answer", answer.id)[0]
    assert (newest.number, newest.editor_id) == (3, moderator.id)
    # A moderator restoring someone else's text is a moderator action: it is in the audit log.
    from core.audit.models import AuditEntry
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert (entry.actor_id, entry.action, entry.target_id, entry.details) == (
        moderator.id, "restore_revision", answer.id, {"revision": 1})


def test_only_editors_restore_and_only_existing_revisions(asked):
    author, question = asked
    edit_question(author, question.id, NEW_TITLE, BODY, "trust", "en")
    with pytest.raises(Forbidden):
        restore_revision(factories.user(), "question", question.id, 1)
    with pytest.raises(NotFound):
        restore_revision(author, "question", question.id, 7)
    assert db.session.get(Question, question.id).title == NEW_TITLE
    assert len(list_revisions("question", question.id)) == 2


# -- the same over HTTP ------------------------------------------------------------------------

def test_edit_page_saves_a_question_edit(app, seed, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    page = author.get(f"/questions/{question_id}/edit")
    assert page.status_code == 200
    assert 'name="title"' in html(page) and "first-contact trust" in html(page)
    response = author.post_edit(f"/questions/{question_id}/edit", {
        "title": NEW_TITLE, "body": NEW_BODY, "tags": "trust, night", "lang": "en",
        "summary": "Added the age"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/questions/{question_id}/")
    stored = row(app, Question, question_id)
    assert (stored["title"], stored["body"]) == (NEW_TITLE, NEW_BODY)
    assert count(app, Revision, Revision.target_type == "question") == 2


def test_edit_page_shows_errors_beside_fields_and_changes_nothing(app, seed, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    response = author.post_edit(f"/questions/{question_id}/edit", {
        "title": "Short", "body": NEW_BODY, "tags": "c++", "lang": "en"})
    assert response.status_code == 400
    assert field_error(html(response), "title")
    assert row(app, Question, question_id)["body"] == BODY
    response = author.post_edit(f"/questions/{question_id}/edit", {
        "title": TITLE, "body": BODY, "tags": "first-contact trust", "lang": "en"})
    assert response.status_code == 400                       # nothing was changed
    assert count(app, Revision) == 1


def test_edit_answer_page(app, seed, user_client):
    answerer = user_client()
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(answerer.username, question_id)
    assert answerer.get(f"/answers/{answer_id}/edit").status_code == 200
    response = answerer.post_edit(f"/answers/{answer_id}/edit", {"body": NEW_BODY})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#answer-{answer_id}")
    assert row(app, Answer, answer_id)["body"] == NEW_BODY
    response = answerer.post_edit(f"/answers/{answer_id}/edit", {"body": "short"})
    assert response.status_code == 400 and field_error(html(response), "body")
    assert row(app, Answer, answer_id)["body"] == NEW_BODY


def test_history_page_lists_every_version(seed, client, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    author.post_edit(f"/questions/{question_id}/edit", {
        "title": NEW_TITLE, "body": BODY, "tags": "first-contact trust", "lang": "en",
        "summary": "Clearer title"})
    author.post_edit(f"/questions/{question_id}/edit", {
        "title": NEW_TITLE, "body": NEW_BODY, "tags": "first-contact trust", "lang": "en"})
    page = html(client.get(f"/questions/{question_id}/revisions"))
    for number in (1, 2, 3):
        assert f'id="revision-{number}"' in page
    assert page.index('id="revision-3"') < page.index('id="revision-2"') < page.index(
        'id="revision-1"')
    assert "Clearer title" in page
    assert f"/questions/{question_id}/revisions/diff?from=1&amp;to=2" in page
    assert "Restore this revision" not in page                 # anonymous readers see no button
    assert "Restore this revision" in html(author.get(f"/questions/{question_id}/revisions"))


def test_diff_page_shows_added_and_removed_lines(seed, client, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    author.post_edit(f"/questions/{question_id}/edit", {
        "title": NEW_TITLE, "body": NEW_BODY, "tags": "first-contact trust", "lang": "en"})
    response = client.get(f"/questions/{question_id}/revisions/diff?from=1&to=2")
    assert response.status_code == 200
    page = html(response)
    assert f"<del>− {TITLE}</del>" in page and f"<ins>+ {NEW_TITLE}</ins>" in page
    assert "<ins>+ He is about 14 and speaks little French.</ins>" in page
    assert client.get(f"/questions/{question_id}/revisions/diff?from=1&to=9").status_code == 404


def test_diff_shows_no_tag_change_when_tags_were_not_touched(seed, client, user_client):
    author = user_client()
    question_id = seed.question(author.username, tags="trust first-contact")
    form_tags = "first-contact trust"              # what the edit form shows in its tags field
    assert form_tags in html(author.get(f"/questions/{question_id}/edit"))
    author.post_edit(f"/questions/{question_id}/edit", {
        "title": TITLE, "body": NEW_BODY, "tags": form_tags, "lang": "en"})
    page = html(client.get(f"/questions/{question_id}/revisions/diff?from=1&to=2"))
    assert "<h2>Tags</h2>" not in page


def test_restore_button_brings_back_an_old_version(app, seed, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    author.post_edit(f"/questions/{question_id}/edit", {
        "title": NEW_TITLE, "body": NEW_BODY, "tags": "night", "lang": "en"})
    response = author.post_form(f"/questions/{question_id}/revisions/1/restore")
    assert response.status_code == 302
    stored = row(app, Question, question_id)
    assert (stored["title"], stored["body"]) == (TITLE, BODY)
    assert count(app, Revision, Revision.target_type == "question") == 3


def test_restore_is_refused_to_those_who_cannot_edit(app, seed, client, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    author.post_edit(f"/questions/{question_id}/edit", {
        "title": NEW_TITLE, "body": NEW_BODY, "tags": "night", "lang": "en"})
    assert user_client().post_form(
        f"/questions/{question_id}/revisions/1/restore").status_code == 403
    assert_login_redirect(client.post_form(f"/questions/{question_id}/revisions/1/restore"))
    assert author.post_form(f"/questions/{question_id}/revisions/9/restore").status_code == 404
    assert row(app, Question, question_id)["title"] == NEW_TITLE
    assert count(app, Revision) == 2


def test_answer_history_pages(seed, client, user_client):
    answerer = user_client()
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(answerer.username, question_id)
    answerer.post_edit(f"/answers/{answer_id}/edit", {"body": NEW_BODY})
    page = html(client.get(f"/answers/{answer_id}/revisions"))
    assert 'id="revision-2"' in page and 'id="revision-1"' in page
    diff = html(client.get(f"/answers/{answer_id}/revisions/diff?from=1&to=2"))
    assert "<ins>+ He is about 14 and speaks little French.</ins>" in diff
