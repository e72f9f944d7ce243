"""Promotion never picks a hidden answer, and a hidden question cannot be promoted."""
import pytest

from core.errors import InvalidInput, NotFound
from forum.services import answers, hiding
from knowledge.services import promotion
from tests import factories


@pytest.fixture
def thread(ctx):
    expert, moderator = factories.user("expert"), factories.user("moderator")
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    question = factories.question(asker)
    accepted = factories.answer(answerer, question.id,
                                body="Ask for Kofi Mensah at the market stall every evening.")
    other = factories.answer(asker, question.id, body="A football helped us to talk. " * 3)
    answers.accept_answer(asker, accepted.id)
    return expert, moderator, question, accepted, other


def test_a_hidden_answer_is_never_a_candidate_nor_promoted(thread):
    expert, moderator, question, accepted, other = thread
    hiding.hide_post(moderator, "answer", accepted.id)
    _question, candidates, preselected = promotion.candidates(expert, question.id)
    assert [answer.id for answer in candidates] == [other.id] and preselected == [other.id]
    with pytest.raises(InvalidInput):
        promotion.promote(expert, question.id, [accepted.id])


def test_a_hidden_question_cannot_be_promoted(thread):
    expert, moderator, question, _accepted, _other = thread
    hiding.hide_post(moderator, "question", question.id)
    with pytest.raises(NotFound):  # an expert no longer sees it at all
        promotion.candidates(expert, question.id)
