"""Votes and accepted answers through the services: up, down, the same vote again withdraws
it, switching, never on one's own post nor anonymously, the score always equal to the sum of
the votes; accepting (asker or moderator only, one at a time, changeable, withdrawable, the
accepted answer first on the question page)."""
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.timeutil import utcnow
from forum.models import Answer, Question, Vote
from forum.services import answers, deletion, queries, votes
from tests import factories

BODY = factories.BODY


@pytest.fixture
def thread(ctx):
    """A question by `asker` with one answer by `answerer`."""
    asker, answerer = factories.user(), factories.user()
    question = factories.question(asker)
    answer = factories.answer(answerer, question.id)
    return asker, answerer, question, answer


def score(post):
    model = Question if post.post_type == "question" else Answer
    return db.session.scalar(select(model.score).where(model.id == post.id))


def votes_on(post):
    column = Vote.question_id if post.post_type == "question" else Vote.answer_id
    return db.session.execute(select(Vote.user_id, Vote.value).where(column == post.id)
                              .order_by(Vote.user_id)).all()


def vote_sum(post):
    return sum(value for _, value in votes_on(post))


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_vote_up_adds_one(thread, kind):
    asker, answerer, question, answer = thread
    post = question if kind == "question" else answer
    voter = factories.user()
    assert votes.vote(voter, kind, post.id, 1) == 1
    assert score(post) == 1
    assert votes_on(post) == [(voter.id, 1)]


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_vote_down_takes_one(thread, kind):
    asker, answerer, question, answer = thread
    post = question if kind == "question" else answer
    voter = factories.user()
    assert votes.vote(voter, kind, post.id, -1) == -1
    assert score(post) == -1
    assert votes_on(post) == [(voter.id, -1)]


@pytest.mark.parametrize("value", [1, -1])
def test_the_same_vote_again_withdraws_it(thread, value):
    _, _, _, answer = thread
    voter = factories.user()
    votes.vote(voter, "answer", answer.id, value)
    assert votes.vote(voter, "answer", answer.id, value) == 0
    assert score(answer) == 0
    assert votes_on(answer) == []


def test_switching_replaces_the_vote(thread):
    _, _, _, answer = thread
    voter = factories.user()
    votes.vote(voter, "answer", answer.id, 1)
    assert votes.vote(voter, "answer", answer.id, -1) == -1
    assert score(answer) == -1
    assert votes_on(answer) == [(voter.id, -1)]
    assert votes.vote(voter, "answer", answer.id, 1) == 1
    assert score(answer) == 1
    assert votes_on(answer) == [(voter.id, 1)]


def test_a_zero_vote_withdraws_and_other_values_are_refused(thread):
    _, _, _, answer = thread
    voter = factories.user()
    votes.vote(voter, "answer", answer.id, 1)
    with pytest.raises(InvalidInput):
        votes.vote(voter, "answer", answer.id, 2)
    assert score(answer) == 1
    assert votes.vote(voter, "answer", answer.id, 0) == 0
    assert score(answer) == 0 and votes_on(answer) == []


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_nobody_votes_on_their_own_post(thread, kind):
    asker, answerer, question, answer = thread
    author, post = (asker, question) if kind == "question" else (answerer, answer)
    for value in (1, -1):
        with pytest.raises(Forbidden):
            votes.vote(author, kind, post.id, value)
    assert score(post) == 0 and votes_on(post) == []


def test_own_post_is_refused_whatever_the_role(ctx):
    for role in ("expert", "moderator", "admin"):
        author = factories.user(role)
        question = factories.question(author)
        with pytest.raises(Forbidden):
            votes.vote(author, "question", question.id, 1)
        assert score(question) == 0


def test_anonymous_visitors_cannot_vote(thread):
    _, _, question, answer = thread
    with pytest.raises(Forbidden):
        votes.vote(AnonymousUserMixin(), "answer", answer.id, 1)
    with pytest.raises(Forbidden):
        votes.vote(None, "question", question.id, 1)
    assert score(answer) == score(question) == 0
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_no_vote_on_a_deleted_post(thread):
    _, answerer, _, answer = thread
    deletion.delete_post(answerer, "answer", answer.id)
    with pytest.raises((Forbidden, NotFound)):
        votes.vote(factories.user(), "answer", answer.id, 1)
    with pytest.raises(NotFound):
        votes.vote(factories.user(), "answer", 9999, 1)
    assert score(answer) == 0


def test_the_score_equals_the_sum_of_the_votes(thread):
    _, _, question, answer = thread
    voters = [factories.user() for _ in range(6)]
    plan = [1, 1, -1, 1, -1, 1]
    for voter, value in zip(voters, plan):
        votes.vote(voter, "answer", answer.id, value)
    assert score(answer) == vote_sum(answer) == 2
    votes.vote(voters[0], "answer", answer.id, 1)     # withdraws
    votes.vote(voters[2], "answer", answer.id, 1)     # switches down to up
    votes.vote(voters[3], "answer", answer.id, -1)    # switches up to down
    assert score(answer) == vote_sum(answer) == 1
    assert len(votes_on(answer)) == 5
    # votes on the answer and on the question are counted apart
    votes.vote(voters[0], "question", question.id, -1)
    assert score(question) == vote_sum(question) == -1
    assert score(answer) == 1


def test_votes_of_reports_the_viewer_votes_for_the_page(thread):
    _, _, question, answer = thread
    voter = factories.user()
    votes.vote(voter, "question", question.id, 1)
    votes.vote(voter, "answer", answer.id, -1)
    assert votes.votes_of(voter, question.id, [answer.id]) == {
        ("question", question.id): 1, ("answer", answer.id): -1}
    assert votes.votes_of(factories.user(), question.id, [answer.id]) == {}
    assert votes.votes_of(AnonymousUserMixin(), question.id, [answer.id]) == {}


# -- accepting ------------------------------------------------------------------------------

def accepted_id(question):
    return db.session.scalar(select(Question.accepted_answer_id).where(Question.id == question.id))


def test_the_asker_accepts_an_answer(thread):
    asker, _, question, answer = thread
    question.last_activity_at = long_ago = utcnow() - timedelta(days=2)
    db.session.commit()
    assert answers.accept_answer(asker, answer.id) is True
    assert accepted_id(question) == answer.id
    assert db.session.get(Question, question.id).last_activity_at > long_ago


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_a_moderator_accepts_on_someone_elses_question(thread, role):
    _, _, question, answer = thread
    assert answers.accept_answer(factories.user(role), answer.id) is True
    assert accepted_id(question) == answer.id


@pytest.mark.parametrize("who", ["member", "expert", "answerer"])
def test_others_cannot_accept(thread, who):
    _, answerer, question, answer = thread
    user = answerer if who == "answerer" else factories.user(who)
    with pytest.raises(Forbidden):
        answers.accept_answer(user, answer.id)
    with pytest.raises(Forbidden):
        answers.accept_answer(AnonymousUserMixin(), answer.id)
    assert accepted_id(question) is None


def test_one_accepted_answer_at_a_time_and_it_can_change(thread):
    asker, _, question, first = thread
    second = factories.answer(factories.user(), question.id)
    answers.accept_answer(asker, first.id)
    assert answers.accept_answer(asker, second.id) is True
    assert accepted_id(question) == second.id
    answers.accept_answer(asker, first.id)
    assert accepted_id(question) == first.id


def test_accepting_again_withdraws_the_acceptance(thread):
    asker, _, question, answer = thread
    answers.accept_answer(asker, answer.id)
    assert answers.accept_answer(asker, answer.id) is False
    assert accepted_id(question) is None


def test_a_deleted_answer_cannot_be_accepted(thread):
    asker, answerer, question, answer = thread
    deletion.delete_post(answerer, "answer", answer.id)
    with pytest.raises((Forbidden, NotFound)):
        answers.accept_answer(asker, answer.id)
    with pytest.raises(Forbidden):
        answers.accept_answer(factories.user("moderator"), answer.id)
    assert accepted_id(question) is None


def test_the_accepted_answer_comes_first_on_the_question_page(thread):
    asker, _, question, low = thread
    high = factories.answer(factories.user(), question.id)
    votes.vote(factories.user(), "answer", high.id, 1)
    votes.vote(factories.user(), "answer", low.id, -1)
    page = queries.question_page(question.id)
    assert [answer.id for answer in page.answers] == [high.id, low.id]  # by score
    answers.accept_answer(asker, low.id)
    page = queries.question_page(question.id)
    assert [answer.id for answer in page.answers] == [low.id, high.id]
