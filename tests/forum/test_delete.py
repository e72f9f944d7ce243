"""Soft deletion and undeletion: who may (author, moderator; others refused), nothing leaves
the database, counters follow (answer_count, tag question_count), deleting the accepted answer
clears the acceptance, and what readers still see (404 for others; the author and moderators
see the post with a marker)."""
import pytest
from sqlalchemy import func, select

from core.errors import Forbidden, NotFound
from core.extensions import db
from forum.models import Answer, Comment, Question, Tag, Vote
from forum.services import answers, comments, deletion, queries, threads, votes
from forum.services import tags as tag_service
from tests import factories
from tests.forum.conftest import assert_login_redirect, count, html, listed_question_ids, row

BODY = factories.BODY
DELETED_QUESTION = "This question is deleted: only its author and moderators see it."
DELETED_ANSWER = "This answer is deleted: only its author and moderators see it."


def tag_counts():
    return dict(db.session.execute(select(Tag.name, Tag.question_count)).all())


def answer_count(question):
    return db.session.scalar(select(Question.answer_count).where(Question.id == question.id))


def rows(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def thread(ctx):
    asker, answerer = factories.user(), factories.user()
    question = factories.question(asker, tags="trust night")
    answer = factories.answer(answerer, question.id)
    return asker, answerer, question, answer


# -- services -------------------------------------------------------------------------------

def test_the_author_soft_deletes_a_question_and_undeletes_it(thread):
    asker, _, question, _ = thread
    factories.question(factories.user(), tags="trust")
    deletion.delete_post(asker, "question", question.id)
    stored = db.session.get(Question, question.id)
    assert stored.is_deleted and stored.deleted_by_id == asker.id
    assert rows(Question) == 2 and rows(Answer) == 1          # nothing removed
    assert tag_counts() == {"trust": 1, "night": 0}
    deletion.undelete_post(asker, "question", question.id)
    stored = db.session.get(Question, question.id)
    assert not stored.is_deleted and stored.deleted_by_id is None
    assert tag_counts() == {"trust": 2, "night": 1}


def test_deleting_or_undeleting_twice_changes_counters_once(thread):
    asker, answerer, question, answer = thread
    for _ in range(2):
        deletion.delete_post(answerer, "answer", answer.id)
    for _ in range(2):
        deletion.delete_post(asker, "question", question.id)
    assert tag_counts() == {"trust": 0, "night": 0}
    assert answer_count(question) == 0
    for _ in range(2):
        deletion.undelete_post(asker, "question", question.id)
    for _ in range(2):
        deletion.undelete_post(answerer, "answer", answer.id)
    assert tag_counts() == {"trust": 1, "night": 1}
    assert answer_count(question) == 1


def test_deleting_an_answer_adjusts_the_answer_count(thread):
    _, answerer, question, answer = thread
    factories.answer(factories.user(), question.id)
    assert answer_count(question) == 2
    deletion.delete_post(answerer, "answer", answer.id)
    assert answer_count(question) == 1
    assert db.session.get(Answer, answer.id).is_deleted
    deletion.undelete_post(answerer, "answer", answer.id)
    assert answer_count(question) == 2


def test_deleting_the_accepted_answer_clears_the_acceptance(thread):
    asker, answerer, question, answer = thread
    answers.accept_answer(asker, answer.id)
    deletion.delete_post(answerer, "answer", answer.id)
    assert db.session.get(Question, question.id).accepted_answer_id is None


def test_deleting_another_answer_keeps_the_acceptance(thread):
    asker, _, question, answer = thread
    other_author = factories.user()
    other = factories.answer(other_author, question.id)
    answers.accept_answer(asker, answer.id)
    deletion.delete_post(other_author, "answer", other.id)
    assert db.session.get(Question, question.id).accepted_answer_id == answer.id


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_delete_and_undelete_any_post(thread, role):
    _, _, question, answer = thread
    comment = comments.post_comment(factories.user(), "Where was this?", question_id=question.id)
    moderator = factories.user(role)
    for kind, post in (("comment", comment), ("answer", answer), ("question", question)):
        deletion.delete_post(moderator, kind, post.id)
    assert db.session.get(Question, question.id).deleted_by_id == moderator.id
    assert all(db.session.get(model, post.id).is_deleted for model, post in (
        (Question, question), (Answer, answer), (Comment, comment)))
    for kind, post in (("question", question), ("answer", answer), ("comment", comment)):
        deletion.undelete_post(moderator, kind, post.id)
    assert not any(db.session.get(model, post.id).is_deleted for model, post in (
        (Question, question), (Answer, answer), (Comment, comment)))


@pytest.mark.parametrize("role", ["member", "expert"])
def test_others_cannot_delete(thread, role):
    _, _, question, answer = thread
    comment = comments.post_comment(factories.user(), "Where was this?", question_id=question.id)
    someone = factories.user(role)
    for kind, post in (("question", question), ("answer", answer), ("comment", comment)):
        with pytest.raises(Forbidden):
            deletion.delete_post(someone, kind, post.id)
    assert not any(db.session.get(model, post.id).is_deleted for model, post in (
        (Question, question), (Answer, answer), (Comment, comment)))
    assert answer_count(question) == 1 and tag_counts() == {"trust": 1, "night": 1}


def test_others_cannot_undelete(thread):
    _, answerer, question, answer = thread
    deletion.delete_post(answerer, "answer", answer.id)
    with pytest.raises((Forbidden, NotFound)):
        deletion.undelete_post(factories.user("expert"), "answer", answer.id)
    assert db.session.get(Answer, answer.id).is_deleted
    assert answer_count(question) == 0


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(thread):
    _, _, question, _ = thread
    writer = factories.user()
    parent = comments.post_comment(writer, "Which shelter?", question_id=question.id)
    reply = comments.post_comment(factories.user(), "The one near the port.", parent_id=parent.id)
    lonely = comments.post_comment(writer, "Another remark.", question_id=question.id)
    deletion.delete_post(writer, "comment", parent.id)
    deletion.delete_post(writer, "comment", lonely.id)
    assert rows(Comment) == 3
    nodes = queries.question_page(question.id, factories.user()).comments[("question", question.id)]
    assert [node.comment.id for node in nodes] == [parent.id]        # lonely one hidden
    assert [node.comment.id for node in nodes[0].replies] == [reply.id]
    nodes = queries.question_page(question.id, writer).comments[("question", question.id)]
    assert [node.comment.id for node in nodes] == [parent.id, lonely.id]


# -- visibility through the services --------------------------------------------------------

def test_a_deleted_question_is_not_found_by_others(thread):
    asker, _, question, _ = thread
    deletion.delete_post(asker, "question", question.id)
    for viewer in (None, factories.user(), factories.user("expert")):
        with pytest.raises(NotFound):
            threads.get_question(question.id, viewer)
        with pytest.raises(NotFound):
            queries.question_page(question.id, viewer)
    for viewer in (asker, factories.user("moderator"), factories.user("admin")):
        assert queries.question_page(question.id, viewer).question.is_deleted


def test_deleted_questions_leave_every_list(thread):
    asker, _, question, _ = thread
    kept = factories.question(factories.user(), title="What papers does a minor need to stay?",
                              tags="trust")
    deletion.delete_post(asker, "question", question.id)
    ids = lambda page: [q.id for q in page.items]  # noqa: E731
    for sort in queries.SORTS:
        assert ids(queries.list_questions(sort=sort)) == [kept.id]
    assert ids(queries.list_questions(tag="trust")) == [kept.id]
    assert ids(queries.list_questions(tag="night")) == []
    assert [q.id for q in queries.recent_questions()] == [kept.id]
    assert queries.recent_answers() == []
    assert [tag.name for tag in tag_service.list_tags()[0]] == ["trust"]
    questions, answers = queries.user_activity(asker, factories.user())
    assert questions == [] and answers == []
    questions, _ = queries.user_activity(asker, asker)
    assert [q.id for q in questions] == [question.id]


# -- over HTTP ------------------------------------------------------------------------------

def test_delete_and_undelete_buttons(app, seed, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    response = author.post_form(f"/questions/{question_id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/questions/{question_id}/")
    assert row(app, Question, question_id)["deleted_at"] is not None
    page = html(author.get(f"/questions/{question_id}"))
    assert DELETED_QUESTION in page and "Undelete" in page
    assert author.post_form(f"/questions/{question_id}/undelete").status_code == 302
    assert row(app, Question, question_id)["deleted_at"] is None


def test_a_deleted_question_is_404_for_others_and_marked_for_author_and_moderators(
        app, seed, client, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    seed.delete(author.username, "question", question_id)
    assert client.get(f"/questions/{question_id}").status_code == 404
    assert user_client().get(f"/questions/{question_id}").status_code == 404
    assert user_client("expert").get(f"/questions/{question_id}").status_code == 404
    for viewer in (author, user_client("moderator"), user_client("admin")):
        response = viewer.get(f"/questions/{question_id}/some-slug")
        assert response.status_code == 200
        assert DELETED_QUESTION in html(response)
        assert 'class="question deleted"' in html(response)


def test_a_deleted_answer_is_hidden_from_others_and_marked_for_its_author(app, seed, client,
                                                                          user_client):
    answerer = user_client()
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(answerer.username, question_id)
    assert answerer.post_form(f"/answers/{answer_id}/delete").status_code == 302
    assert row(app, Answer, answer_id) is not None
    assert f'id="answer-{answer_id}"' not in html(client.get(f"/questions/{question_id}"))
    assert f'id="answer-{answer_id}"' not in html(user_client().get(f"/questions/{question_id}"))
    for viewer in (answerer, user_client("moderator")):
        page = html(viewer.get(f"/questions/{question_id}"))
        assert f'id="answer-{answer_id}"' in page and DELETED_ANSWER in page
    assert client.get(f"/answers/{answer_id}/revisions").status_code == 404


def test_a_deleted_comment_disappears_for_others(app, seed, client, user_client):
    writer = user_client()
    question_id = seed.question(user_client().username)
    comment_id = seed.comment(writer.username, "A remark to withdraw.", question_id=question_id)
    assert writer.post_form(f"/comments/{comment_id}/delete").status_code == 302
    assert row(app, Comment, comment_id)["deleted_at"] is not None
    assert "A remark to withdraw." not in html(client.get(f"/questions/{question_id}"))
    page = html(writer.get(f"/questions/{question_id}"))
    assert "A remark to withdraw." in page and 'class="deleted"' in page
    assert writer.post_form(f"/comments/{comment_id}/undelete").status_code == 302
    assert "A remark to withdraw." in html(client.get(f"/questions/{question_id}"))


def test_deletion_is_refused_to_others_over_http(app, seed, client, user_client):
    author = user_client()
    question_id = seed.question(author.username)
    answer_id = seed.answer(author.username, seed.question(user_client().username))
    comment_id = seed.comment(author.username, "My own remark.", question_id=question_id)
    for url in (f"/questions/{question_id}/delete", f"/answers/{answer_id}/delete",
                f"/comments/{comment_id}/delete"):
        assert user_client().post_form(url).status_code == 403
        assert user_client("expert").post_form(url).status_code == 403
        assert_login_redirect(client.post_form(url))
    assert row(app, Question, question_id)["deleted_at"] is None
    assert row(app, Answer, answer_id)["deleted_at"] is None
    assert row(app, Comment, comment_id)["deleted_at"] is None


def test_deleted_questions_are_absent_from_list_pages(app, seed, client, user_client):
    author = user_client()
    gone = seed.question(author.username, title="A question that will be deleted soon",
                         tags="night")
    kept = seed.question(author.username, title="A question that stays on the lists",
                         tags="night")
    seed.answer(user_client().username, gone)
    seed.delete(author.username, "question", gone)
    for url in ("/questions", "/questions?sort=active", "/questions?sort=votes",
                "/questions?sort=unanswered", "/questions?tag=night", "/tags/night"):
        assert gone not in listed_question_ids(client.get(url)), url
    assert kept in listed_question_ids(client.get("/questions"))
    home = html(client.get("/"))
    assert "A question that will be deleted soon" not in home
    assert "A question that stays on the lists" in home
    public_page = html(client.get(f"/users/{author.username}"))
    assert "A question that will be deleted soon" not in public_page
    own_page = html(author.get(f"/users/{author.username}"))
    assert "A question that will be deleted soon" in own_page and "deleted" in own_page
    moderator_view = html(user_client("moderator").get(f"/users/{author.username}"))
    assert "A question that will be deleted soon" in moderator_view
    tags_page = html(client.get("/tags"))
    assert "1 question" in tags_page


# -- nothing is added inside a deleted question ----------------------------------------------

@pytest.fixture
def deleted_thread(ctx):
    """A deleted question with a live answer and a live comment, and a moderator who still
    sees it all (as its author does)."""
    asker, answerer = factories.user(), factories.user()
    question = factories.question(asker)
    answer = factories.answer(answerer, question.id)
    comment = comments.post_comment(answerer, "Which city is this in?", question_id=question.id)
    deletion.delete_post(asker, "question", question.id)
    return asker, factories.user("moderator"), question, answer, comment


def test_no_comment_inside_a_deleted_question(deleted_thread):
    asker, moderator, question, answer, comment = deleted_thread
    attempts = [dict(question_id=question.id), dict(answer_id=answer.id),
                dict(parent_id=comment.id)]
    for user in (asker, moderator):
        for target in attempts:
            with pytest.raises(Forbidden) as refused:
                comments.post_comment(user, "A remark on a deleted thread.", **target)
            assert "deleted" in refused.value.message, target
    assert rows(Comment) == 1


def test_no_vote_inside_a_deleted_question(deleted_thread):
    _, moderator, question, answer, _ = deleted_thread
    for post_type, post in (("question", question), ("answer", answer)):
        with pytest.raises(Forbidden) as refused:
            votes.vote(moderator, post_type, post.id, 1)
        assert "deleted" in refused.value.message
    assert rows(Vote) == 0
    assert db.session.scalar(select(Answer.score).where(Answer.id == answer.id)) == 0


def test_comments_and_votes_inside_a_deleted_question_are_refused_over_http(
        app, seed, user_client):
    asker, answerer, moderator = user_client(), user_client(), user_client("moderator")
    question_id = seed.question(asker.username)
    answer_id = seed.answer(answerer.username, question_id)
    comment_id = seed.comment(answerer.username, "Which city is this in?",
                              question_id=question_id)
    seed.delete(asker.username, "question", question_id)
    body = {"body": "A remark on a deleted thread."}
    for user in (asker, moderator):
        for url, data in ((f"/questions/{question_id}/comments", body),
                          (f"/answers/{answer_id}/comments", body),
                          (f"/questions/{question_id}/comments",
                           dict(body, parent_id=comment_id))):
            response = user.post_form(url, data)
            assert response.status_code == 403, url
            assert "deleted question" in html(response) or "deleted post" in html(response)
    for url in (f"/questions/{question_id}/vote", f"/answers/{answer_id}/vote"):
        response = moderator.post_form(url, {"value": "up"})
        assert response.status_code == 403
        assert "deleted" in html(response)
    assert count(app, Comment) == 1 and count(app, Vote) == 0
    assert row(app, Answer, answer_id)["score"] == 0


def test_a_moderators_deletion_and_restoration_are_in_the_audit_log(thread):
    from core.audit.models import AuditEntry

    asker, answerer, question, answer = thread
    deletion.delete_post(asker, "question", question.id)        # the author's own: not logged
    deletion.undelete_post(asker, "question", question.id)
    moderator = factories.user("moderator")
    deletion.delete_post(moderator, "answer", answer.id)
    deletion.undelete_post(moderator, "answer", answer.id)
    logged = db.session.execute(select(AuditEntry.actor_id, AuditEntry.action,
                                       AuditEntry.target_type, AuditEntry.target_id)
                                .order_by(AuditEntry.id)).all()
    assert logged == [(moderator.id, "delete", "answer", answer.id),
                      (moderator.id, "undelete", "answer", answer.id)]


def test_the_author_cannot_undo_a_moderators_deletion(thread):
    _, answerer, _, answer = thread
    moderator = factories.user("moderator")
    deletion.delete_post(moderator, "answer", answer.id)
    with pytest.raises(Forbidden):
        deletion.undelete_post(answerer, "answer", answer.id)
    assert db.session.get(Answer, answer.id).is_deleted
    deletion.undelete_post(moderator, "answer", answer.id)
    assert not db.session.get(Answer, answer.id).is_deleted
