"""Concurrent writers on SQLite and PostgreSQL: many users voting on the same answer at once,
one user sending the same vote from several threads, many users answering the same question.
Each thread works in its own application context (its own session and connection), as the
requests of several workers would.

The last tests replay, step by step, the double submit of a slow mobile link: two identical
requests of one user, the first one paused just before its first write until the second one has
committed.
"""
import threading

import pytest
from sqlalchemy import event, func, select

from core.accounts.models import User
from core.extensions import db
from forum.models import Answer, Question, Tag, Vote
from forum.services import answers, deletion, questions, votes
from tests.forum.conftest import BODY, count, row

TIMEOUT = 120
ROUNDS = 12


def run_together(app, user_ids, work):
    """Run work(user) for each user id in its own thread, all released at once; returns the
    exceptions raised (an empty list when every call succeeded)."""
    barrier = threading.Barrier(len(user_ids))
    errors = []

    def target(user_id):
        try:
            barrier.wait(timeout=TIMEOUT)
            with app.app_context():
                work(db.session.get(User, user_id))
        except Exception as error:  # reported to the test, which fails on it
            errors.append(error)

    threads = [threading.Thread(target=target, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return errors


def user_ids_of(app, names):
    with app.app_context():
        return [db.session.scalar(select(User.id).where(User.username == name))
                for name in names]


def user_ids(app, make_user, n):
    return user_ids_of(app, [make_user() for _ in range(n)])


def vote_rows(app, answer_id):
    with app.app_context():
        return db.session.execute(select(Vote.user_id, Vote.value)
                                  .where(Vote.answer_id == answer_id)).all()


@pytest.fixture
def answer_id(seed, make_user):
    question_id = seed.question(make_user())
    return seed.answer(make_user(), question_id)


def test_thirty_users_voting_up_at_once_all_count(app, make_user, answer_id):
    voters = user_ids(app, make_user, 30)
    errors = run_together(app, voters, lambda user: votes.vote(user, "answer", answer_id, 1))
    assert errors == []
    assert row(app, Answer, answer_id)["score"] == 30
    assert count(app, Vote, Vote.answer_id == answer_id) == 30
    assert sorted(user_id for user_id, _ in vote_rows(app, answer_id)) == sorted(voters)


def test_one_user_sending_the_same_vote_from_five_threads_stays_consistent(app, seed, make_user):
    """Five threads of one user send "up" on the same answer at once; repeated over several
    answers, as one round may happen to serialise cleanly."""
    [voter] = user_ids(app, make_user, 1)
    question_id = seed.question(make_user())
    answerer = make_user()
    for _ in range(ROUNDS):
        answer_id = seed.answer(answerer, question_id)
        errors = run_together(app, [voter] * 5,
                              lambda user: votes.vote(user, "answer", answer_id, 1))
        assert errors == []
        rows = vote_rows(app, answer_id)
        assert rows in ([], [(voter, 1)])
        assert row(app, Answer, answer_id)["score"] == sum(value for _, value in rows)


def test_ten_users_answering_at_once_are_all_counted(app, seed, make_user):
    question_id = seed.question(make_user())
    answerers = user_ids(app, make_user, 10)
    errors = run_together(app, answerers,
                          lambda user: answers.post_answer(user, question_id, BODY))
    assert errors == []
    assert row(app, Question, question_id)["answer_count"] == 10
    assert count(app, Answer, Answer.question_id == question_id) == 10
    with app.app_context():
        authors = db.session.scalars(select(Answer.author_id)).all()
        assert sorted(authors) == sorted(answerers)
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 10


# -- double submits, replayed deterministically --------------------------------------------------

def first_paused_before_write(app, user_id, first, second, table):
    """Run first(user) in a thread that stops just before its first INSERT, UPDATE or DELETE on
    `table`; meanwhile run second(user) to its commit in another thread; then let the first go
    on. Returns the exceptions raised by either."""
    prefixes = (f"INSERT INTO {table} ", f"UPDATE {table} ", f"DELETE FROM {table} ")
    at_write, go_on = threading.Event(), threading.Event()
    errors = []

    def pause(conn, cursor, statement, parameters, context, executemany):
        if (threading.current_thread().name == "first" and not at_write.is_set()
                and statement.lstrip().startswith(prefixes)):
            at_write.set()
            go_on.wait(TIMEOUT)

    def run(work):
        try:
            with app.app_context():
                work(db.session.get(User, user_id))
        except Exception as error:
            errors.append(error)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", pause)
    try:
        first_thread = threading.Thread(target=run, args=(first,), name="first")
        first_thread.start()
        while not at_write.wait(0.05):
            assert first_thread.is_alive(), f"the first request ended early: {errors}"
        second_thread = threading.Thread(target=run, args=(second,), name="second")
        second_thread.start()
        # A second request waiting for a lock the first one holds is serialised: fine too.
        second_thread.join(5)
        go_on.set()
        first_thread.join(TIMEOUT)
        second_thread.join(TIMEOUT)
    finally:
        go_on.set()
        event.remove(engine, "before_cursor_execute", pause)
    return errors


@pytest.mark.parametrize("first_vote, double_submit", [
    (1, 1),     # an up vote withdrawn by two clicks at once
    (1, -1),    # an up vote switched to down by two clicks at once
])
def test_a_double_submitted_vote_keeps_the_score_equal_to_the_votes(app, seed, make_user,
                                                                    answer_id, first_vote,
                                                                    double_submit):
    [voter] = user_ids(app, make_user, 1)
    with app.app_context():
        votes.vote(db.session.get(User, voter), "answer", answer_id, first_vote)
    work = lambda user: votes.vote(user, "answer", answer_id, double_submit)  # noqa: E731
    errors = first_paused_before_write(app, voter, work, work, "vote")
    rows = vote_rows(app, answer_id)
    assert row(app, Answer, answer_id)["score"] == sum(value for _, value in rows)
    assert errors == []


def test_a_double_submitted_delete_counts_the_answer_once(app, seed, make_user):
    question_id = seed.question(make_user())
    answerer = make_user()
    seed.answer(make_user(), question_id)
    answer_id = seed.answer(answerer, question_id)
    [answerer_id] = user_ids_of(app, [answerer])
    work = lambda user: deletion.delete_post(user, "answer", answer_id)  # noqa: E731
    errors = first_paused_before_write(app, answerer_id, work, work, "answer")
    assert errors == []
    assert row(app, Answer, answer_id)["deleted_at"] is not None
    assert row(app, Question, question_id)["answer_count"] == 1


# -- new tags, created by many askers at once ----------------------------------------------------

@pytest.mark.parametrize("round_", range(3))
def test_twenty_questions_creating_the_same_new_tag_at_once_are_all_saved(app, make_user,
                                                                          round_):
    askers = user_ids(app, make_user, 20)
    tag = f"night-shelter-{round_}"

    def ask(user):
        questions.ask_question(user, f"Where can a boy sleep tonight? Asked by {user.username}",
                               BODY, f"{tag} trust", "en")

    errors = run_together(app, askers, ask)
    assert errors == []
    assert count(app, Question) == 20
    with app.app_context():
        counts = dict(db.session.execute(select(Tag.name, Tag.question_count)).all())
        assert counts == {tag: 20, "trust": 20}
        authors = db.session.scalars(select(Question.author_id)).all()
        assert sorted(authors) == sorted(askers)
