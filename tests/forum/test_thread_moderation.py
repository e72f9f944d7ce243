"""Thread moderation (issue 15, item 4): closing and reopening with a reason, marking and
un-marking a duplicate, locking and unlocking; what each does to answers, comments, votes,
acceptances and edits; the audit entries; the pages and their refusals."""
import pytest
from sqlalchemy import select

from core import pagecache
from core.audit.models import AuditEntry
from core.errors import Conflict, Forbidden, InvalidInput
from core.extensions import db
from forum import permissions
from forum.models import Answer, Comment, Question, Vote
from forum.services import answers, comments, deletion, questions, votes
from forum.services import moderation_threads as mod
from forum.services.threads import QUESTION_LISTS, thread_scope
from tests import factories
from tests.forum.conftest import BODY, field_error, html, snapshot

OTHER_TITLE = "What to do when a boy refuses the shelter every night?"


def entries():
    return [(e.action, e.target_id, e.reason, e.details, e.actor_id) for e in
            db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def people(ctx):
    class People:
        asker = factories.user()
        member = factories.user()
        expert = factories.user("expert")
        moderator = factories.user("moderator")
    return People


# -- services ---------------------------------------------------------------------------------

def test_close_and_reopen_write_the_state_and_the_audit_log(people):
    question = factories.question(people.asker)
    mod.close_question(people.moderator, question.id, "off_topic", "  Ask the legal team.  ")
    closed = db.session.get(Question, question.id)
    assert closed.status == "closed" and closed.closed_by_id == people.moderator.id
    assert closed.closed_at is not None
    assert mod.reason_parts(closed)[1] == "Ask the legal team."
    assert str(mod.reason_parts(closed)[0]) == "Off topic for Carnets"
    with pytest.raises(Forbidden):
        answers.post_answer(people.member, question.id, BODY)
    # Comments still go on a closed question.
    comments.post_comment(people.member, "Which country is this in?", question_id=question.id)

    mod.reopen_question(people.moderator, question.id, "Rewritten by the asker")
    reopened = db.session.get(Question, question.id)
    assert (reopened.status, reopened.closed_reason, reopened.closed_at) == ("open", "", None)
    answers.post_answer(people.member, question.id, BODY)
    assert entries() == [
        ("close", question.id, "off_topic: Ask the legal team.", {"reason": "off_topic"},
         people.moderator.id),
        ("reopen", question.id, "Rewritten by the asker", {"was": "off_topic"},
         people.moderator.id)]


@pytest.mark.parametrize("reason, note, field", [
    ("", "", "reason"), ("bogus", "", "reason"), ("other", "   ", "note"),
    ("off_topic", "x" * 401, "note")])
def test_a_bad_close_reason_names_its_field_and_changes_nothing(people, reason, note, field):
    question = factories.question(people.asker)
    with pytest.raises(InvalidInput) as refused:
        mod.close_question(people.moderator, question.id, reason, note)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.get(Question, question.id).status == "open"
    assert entries() == []


def test_members_and_experts_cannot_moderate_a_thread(people):
    question = factories.question(people.asker)
    for user in (people.asker, people.member, people.expert):
        for change in (lambda: mod.close_question(user, question.id, "off_topic"),
                       lambda: mod.lock_thread(user, question.id, "Heated"),
                       lambda: mod.mark_duplicate(user, question.id, question.id + 1)):
            with pytest.raises(Forbidden):
                change()
    assert db.session.get(Question, question.id).status == "open"
    assert entries() == []


def test_states_cannot_be_applied_twice_or_undone_when_not_there(people):
    question = factories.question(people.asker)
    for undo in (mod.reopen_question, mod.unmark_duplicate, mod.unlock_thread):
        with pytest.raises(Conflict):
            undo(people.moderator, question.id)
    mod.close_question(people.moderator, question.id, "needs_details")
    with pytest.raises(Conflict):
        mod.close_question(people.moderator, question.id, "needs_details")
    mod.lock_thread(people.moderator, question.id, "Heated exchange")
    with pytest.raises(Conflict):
        mod.lock_thread(people.moderator, question.id, "Again")
    assert [e[0] for e in entries()] == ["close", "lock"]


def test_a_duplicate_points_to_the_original_and_back(people):
    original = factories.question(people.asker)
    copy = factories.question(people.member, title=OTHER_TITLE)
    mod.mark_duplicate(people.moderator, copy.id, original.id, "Same boy, same station")
    marked = db.session.get(Question, copy.id)
    assert marked.status == "duplicate" and marked.duplicate_of_id == original.id
    status = mod.status_of(marked, people.member)
    assert status.duplicate and status.original.id == original.id
    with pytest.raises(Forbidden):
        answers.post_answer(people.expert, copy.id, BODY)
    mod.unmark_duplicate(people.moderator, copy.id)
    assert db.session.get(Question, copy.id).duplicate_of_id is None
    assert [(e[0], e[3]) for e in entries()] == [
        ("duplicate", {"original": original.id, "typed": original.id, "was": "open",
                       "moved": []}),
        ("unduplicate", {"original": original.id})]


def test_a_duplicate_of_a_duplicate_points_at_the_original_and_cycles_are_refused(people):
    first = factories.question(people.asker)
    second = factories.question(people.asker, title=OTHER_TITLE)
    third = factories.question(people.member, title="Is a night shelter enough for a boy?")
    mod.mark_duplicate(people.moderator, second.id, first.id)
    mod.mark_duplicate(people.moderator, third.id, second.id)
    assert db.session.get(Question, third.id).duplicate_of_id == first.id
    # first -> third would close a loop (third already leads to first).
    with pytest.raises(InvalidInput) as refused:
        mod.mark_duplicate(people.moderator, first.id, third.id)
    assert refused.value.field == "original"
    db.session.rollback()
    # Marking the original as a duplicate of a new question moves its duplicates along.
    fourth = factories.question(people.member, title="How do outreach teams meet at night?")
    mod.mark_duplicate(people.moderator, first.id, fourth.id)
    assert {q.id: q.duplicate_of_id for q in db.session.scalars(
        select(Question).where(Question.status == "duplicate"))} == {
        first.id: fourth.id, second.id: fourth.id, third.id: fourth.id}


def test_a_duplicate_of_itself_a_missing_or_a_deleted_question_is_refused(people):
    question = factories.question(people.asker)
    gone = factories.question(people.asker, title=OTHER_TITLE)
    deletion.delete_post(people.asker, "question", gone.id)
    for target in (question.id, gone.id, 999_999):
        with pytest.raises(InvalidInput) as refused:
            mod.mark_duplicate(people.moderator, question.id, target)
        assert refused.value.field == "original"
        db.session.rollback()
    assert db.session.get(Question, question.id).status == "open"
    assert [e[0] for e in entries()] == []


@pytest.mark.parametrize("typed, expected", [
    ("123", 123), (" #45 ", 45), ("/questions/7/how-do-i", 7), ("/questions/8-slug", 8),
    ("questions/9", 9), ("https://carnets.example/questions/10/x?sort=1#answer-3", 10)])
def test_a_question_is_found_by_its_number_or_address(typed, expected):
    assert mod.parse_question_ref(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "0", "9" * 25, "12\x00", "/tags/12",
                                   "/questions/abc", "-3", "١٢"])
def test_anything_else_is_refused_on_the_original_field(typed):
    with pytest.raises(InvalidInput) as refused:
        mod.parse_question_ref(typed)
    assert refused.value.field == "original"


def test_each_change_empties_the_anonymous_page_cache(people, monkeypatch):
    question = factories.question(people.asker)
    changed = []
    monkeypatch.setattr(pagecache, "changed", lambda *scopes: changed.append(scopes))
    mod.lock_thread(people.moderator, question.id, "Heated")
    mod.unlock_thread(people.moderator, question.id)
    mod.close_question(people.moderator, question.id, "needs_focus")
    # The thread's pages and the lists (and their feeds) that show it.
    assert changed == [(thread_scope(question.id), QUESTION_LISTS)] * 3


# -- the rules of a locked thread ----------------------------------------------------------------

def test_a_locked_thread_refuses_members_and_experts_but_not_moderators(people):
    question = factories.question(people.asker)
    answer = factories.answer(people.member, question.id)
    comment = comments.post_comment(people.member, "A first remark here.", answer_id=answer.id)
    mod.lock_thread(people.moderator, question.id, "Heated exchange")
    question = db.session.get(Question, question.id)
    comment = db.session.get(Comment, comment.id)
    for user in (people.asker, people.member, people.expert):
        assert not permissions.can_answer(user, question)
        assert not permissions.can_comment(user, question)
        assert not permissions.can_comment(user, answer)
        assert not permissions.can_reply(user, comment)
        assert not permissions.can_edit(user, question)
        assert not permissions.can_edit(user, answer)
    assert not permissions.can_vote(people.expert, answer)
    assert not permissions.can_accept(people.asker, answer)
    with pytest.raises(Forbidden) as refused:
        answers.post_answer(people.member, question.id, BODY)
    assert "locked" in refused.value.message
    for refused_change in (
            lambda: comments.post_comment(people.expert, "Still a remark.",
                                          question_id=question.id),
            lambda: comments.post_comment(people.expert, "Still a reply.",
                                          parent_id=comment.id, answer_id=answer.id),
            lambda: votes.vote(people.expert, "answer", answer.id, 1),
            lambda: answers.accept_answer(people.asker, answer.id),
            lambda: questions.edit_question(people.asker, question.id, OTHER_TITLE, BODY,
                                            "trust", "en")):
        with pytest.raises(Forbidden):
            refused_change()
        db.session.rollback()
    # Moderators still act in a locked thread.
    moderator = people.moderator
    assert permissions.can_answer(moderator, question)
    comments.post_comment(moderator, "Locked while we check.", question_id=question.id)
    votes.vote(moderator, "answer", answer.id, 1)
    answers.post_answer(moderator, question.id, BODY)
    assert db.session.scalar(select(Vote.value)) == 1
    assert len(db.session.scalars(select(Answer)).all()) == 2
    mod.unlock_thread(moderator, question.id, "Calm again")
    assert permissions.can_comment(people.member, db.session.get(Question, question.id))


# -- pages ------------------------------------------------------------------------------------

@pytest.fixture
def thread(app, seed, user_client):
    asker, member, moderator = user_client(), user_client(), user_client("moderator")
    question = seed.question(asker.username)
    other = seed.question(asker.username, title=OTHER_TITLE)
    return asker, member, moderator, question, other


def test_a_moderator_closes_with_a_reason_and_members_see_the_banner(app, thread):
    asker, member, moderator, question, _other = thread
    page = html(moderator.get(f"/questions/{question}"))
    assert f'href="/questions/{question}/moderate/close"' in page
    form = html(moderator.get(f"/questions/{question}/moderate/close"))
    assert 'value="identifies_person"' in form and "<legend>" in form
    response = moderator.post_form(f"/questions/{question}/moderate/close",
                                   {"reason": "needs_details", "note": "Which city?"})
    assert response.status_code == 302
    page = html(member.get(f"/questions/{question}"))
    assert "Closed by" in page and "Needs details" in page and "Which city?" in page
    assert "moderate/close" not in page and 'name="body" rows="3"' in page
    assert "Post your answer" not in page
    assert member.post_form(f"/questions/{question}/answers",
                            {"body": BODY}).status_code == 403
    # Reopen from the same page.
    assert "Reopen this question" in html(moderator.get(f"/questions/{question}/moderate/close"))
    assert moderator.post_form(f"/questions/{question}/moderate/reopen",
                               {"note": ""}).status_code == 302
    page = html(member.get(f"/questions/{question}"))
    assert "Closed by" not in page and "Post your answer" in page


def test_the_anonymous_page_shows_the_banner_at_once(app, client, thread):
    _asker, _member, moderator, question, _other = thread
    assert "Locked" not in html(client.get(f"/questions/{question}"))  # now cached
    moderator.post_form(f"/questions/{question}/moderate/lock", {"reason": "Heated"})
    assert "Locked: no new answers or comments." in html(client.get(f"/questions/{question}"))


@pytest.mark.parametrize("url, data, field", [
    ("close", {"note": "no reason chosen"}, "reason"),
    ("close", {"reason": "made_up"}, "reason"),
    ("close", {"reason": "other", "note": ""}, "note"),
    ("close", {"reason": "off_topic", "note": "bad\x00byte"}, "note"),
    ("lock", {"reason": ""}, "reason"),
    ("duplicate", {"original": "SELF"}, "original"),
    ("duplicate", {"original": "9" * 25}, "original"),
    ("duplicate", {"original": "12\x00"}, "original"),
    ("duplicate", {"original": "abc"}, "original"),
    ("duplicate", {"original": "/questions/4242/gone"}, "original"),
    ("duplicate", {"original": ""}, "original"),
])
def test_bad_input_shows_the_form_again_with_the_field_named(app, thread, url, data, field):
    _asker, _member, moderator, question, _other = thread
    data = {key: str(question) if value == "SELF" else value for key, value in data.items()}
    before = snapshot(app, Question, AuditEntry)
    response = moderator.post_form(f"/questions/{question}/moderate/{url}", data)
    assert response.status_code in (400, 409)
    assert field_error(html(response), field), html(response)
    assert snapshot(app, Question, AuditEntry) == before


@pytest.mark.parametrize("url, data", [
    ("close", {"reason": "off_topic"}), ("lock", {"reason": "Heated"}),
    ("duplicate", {"original": "OTHER"}), ("reopen", {}), ("unlock", {}),
    ("unduplicate", {})])
def test_a_member_posting_a_moderator_form_gets_403_and_nothing_changes(app, thread, url,
                                                                        data):
    asker, member, _moderator, question, other = thread
    data = {key: str(other) if value == "OTHER" else value for key, value in data.items()}
    before = snapshot(app, Question, AuditEntry)
    for user in (asker, member):
        assert user.post_form(f"/questions/{question}/moderate/{url}", data).status_code == 403
    assert snapshot(app, Question, AuditEntry) == before


def test_a_member_cannot_open_the_moderator_pages(thread):
    _asker, member, _moderator, question, _other = thread
    for page in ("close", "duplicate", "lock"):
        assert member.get(f"/questions/{question}/moderate/{page}").status_code == 403


def test_a_moderator_form_without_its_csrf_token_changes_nothing(app, thread):
    _asker, _member, moderator, question, _other = thread
    before = snapshot(app, Question, AuditEntry)
    response = moderator.post(f"/questions/{question}/moderate/lock", data={"reason": "x"})
    assert response.status_code == 400
    assert snapshot(app, Question, AuditEntry) == before


def test_a_duplicate_page_links_to_the_original_and_lists_mark_it(app, client, thread):
    _asker, member, moderator, question, other = thread
    response = moderator.post_form(f"/questions/{other}/moderate/duplicate",
                                   {"original": f"/questions/{question}/how-do-i"})
    assert response.status_code == 302
    page = html(member.get(f"/questions/{other}"))
    assert "This question has the same subject as:" in page
    assert f'href="/questions/{question}/' in page
    assert "answer the original question" in page and "Post your answer" not in page
    listing = html(client.get("/questions"))
    assert '<span class="badge">duplicate</span>' in listing
    assert "Un-mark this question" in html(
        moderator.get(f"/questions/{other}/moderate/duplicate"))
    assert moderator.post_form(f"/questions/{other}/moderate/unduplicate",
                               {}).status_code == 302
    assert "same subject" not in html(member.get(f"/questions/{other}"))


def test_a_locked_thread_has_no_forms_for_members_but_a_moderator_keeps_them(app, thread,
                                                                             seed):
    asker, member, moderator, question, _other = thread
    answer = seed.answer(member.username, question)
    moderator.post_form(f"/questions/{question}/moderate/lock", {"reason": "Heated"})
    page = html(member.get(f"/questions/{question}"))
    assert "Locked: no new answers or comments." in page
    assert "Add a comment" not in page and "Post your answer" not in page
    assert 'value="up"' not in page
    assert "Accept this answer" not in html(asker.get(f"/questions/{question}"))
    assert member.post_form(f"/questions/{question}/comments",
                            {"body": "A remark, locked or not."}).status_code == 403
    assert asker.post_form(f"/answers/{answer}/accept").status_code == 403
    page = html(moderator.get(f"/questions/{question}"))
    assert "Add a comment" in page and "Post your answer" in page and "Unlock" in page
