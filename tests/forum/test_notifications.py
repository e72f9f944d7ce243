"""Notifications: the answerer hears that their answer was accepted; nobody hears of their own
action; the page lists them and marks them read."""
from core.accounts.services import get_user_by_username
from forum.services import notifications, voting
from tests import factories


def test_accepting_notifies_the_answerer_once(ctx):
    asker, answerer = factories.user("member"), factories.user("member")
    question = factories.question(asker)
    answer = factories.answer(answerer, question.id)
    own = factories.answer(asker, question.id)
    voting.accept_answer(asker, own.id)
    assert notifications.unread_count(asker) == 0  # their own answer
    voting.accept_answer(asker, answer.id)
    assert notifications.unread_count(answerer) == 1
    note = notifications.recent(answerer)[0]
    assert note.kind == "accepted" and note.url == f"/questions/{question.id}#answer-{answer.id}"
    voting.accept_answer(asker, answer.id)  # withdrawn: no new notification
    assert notifications.unread_count(answerer) == 1


def test_the_page_lists_and_marks_read(app, user_client, make_user):
    answerer = user_client("member")
    with app.app_context():
        asker = factories.user("member")
        question = factories.question(asker, title="Where can a boy sleep tonight in the city?")
        answer = factories.answer(get_user_by_username(answerer.username), question.id)
        voting.accept_answer(asker, answer.id)
    home = answerer.get("/").get_data(as_text=True)
    assert "1 notification" in home
    page = answerer.get("/notifications").get_data(as_text=True)
    assert "Your answer was accepted" in page and "Where can a boy sleep tonight" in page
    assert answerer.post_form("/notifications/read").status_code == 302
    assert "1 notification" not in answerer.get("/").get_data(as_text=True)
    assert app.test_client().get("/notifications").status_code == 302  # sign in first
