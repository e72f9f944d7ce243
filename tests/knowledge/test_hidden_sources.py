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


def test_a_hidden_answer_leaves_the_published_article_that_quotes_it(app, user_client, client,
                                                                     make_user):
    """Two members flag an answer as identifying a child: it is hidden on the forum, and the
    article promoted from it stops quoting it for readers and in search."""
    from core.accounts.services import get_user_by_username
    from forum.services import flags
    from tests.knowledge.test_deleted_sources import (ANSWER_WORD, _english,
                                                       _published_from_thread)

    slug, question_id, answer_id = _published_from_thread(app, user_client)
    first, second = make_user(), make_user()
    with app.app_context():
        for name in (first, second):
            flags.flag_post(get_user_by_username(name), "answer", answer_id, "identifies_child")
    reader = _english(client)
    assert ANSWER_WORD not in reader.get(f"/questions/{question_id}").get_data(as_text=True)
    assert ANSWER_WORD not in reader.get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert f"/kb/articles/{slug}" not in reader.get(
        f"/search?q={ANSWER_WORD}").get_data(as_text=True)
