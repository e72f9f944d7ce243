"""Notifications: the answerer hears that their answer was accepted; nobody hears of their own
action; the page lists them and marks them read."""
from core.accounts.services import get_user_by_username
from core.notifications import services as notifications
from forum.services import answers, deletion
from tests import factories


def test_accepting_notifies_the_answerer_once(ctx):
    asker, answerer = factories.user("member"), factories.user("member")
    question = factories.question(asker)
    answer = factories.answer(answerer, question.id)
    own = factories.answer(asker, question.id)
    notifications.mark_all_read(asker)  # the new answer's notification
    notifications.mark_all_read(answerer)  # the asker's answer in the thread they follow
    answers.accept_answer(asker, own.id)
    assert notifications.unread_count(asker) == 0  # their own answer
    answers.accept_answer(asker, answer.id)
    assert notifications.unread_count(answerer) == 1
    note, withheld = notifications.recent(answerer)[0]
    assert not withheld
    assert note.kind == "accepted" and note.url == f"/questions/{question.id}#answer-{answer.id}"
    answers.accept_answer(asker, answer.id)  # withdrawn: no new notification
    assert notifications.unread_count(answerer) == 1


def test_the_page_lists_and_marks_read(app, user_client, make_user):
    answerer = user_client("member")
    with app.app_context():
        asker = factories.user("member")
        question = factories.question(asker, title="Where can a boy sleep tonight in the city?")
        answer = factories.answer(get_user_by_username(answerer.username), question.id)
        answers.accept_answer(asker, answer.id)
    home = answerer.get("/").get_data(as_text=True)
    assert "1 notification" in home
    page = answerer.get("/notifications").get_data(as_text=True)
    assert "Your answer was accepted" in page and "Where can a boy sleep tonight" in page
    assert answerer.post_form("/notifications/read").status_code == 302
    assert "1 notification" not in answerer.get("/").get_data(as_text=True)
    assert app.test_client().get("/notifications").status_code == 302  # sign in first


def test_a_deleted_question_keeps_its_title_from_those_who_may_not_see_it(app, user_client):
    answerer, moderator = user_client("member"), user_client("moderator")
    with app.app_context():
        asker = factories.user("member")
        question = factories.question(asker, title="Where can Mariam, 12, sleep near the port?")
        for name in (answerer.username, moderator.username):
            answer = factories.answer(get_user_by_username(name), question.id)
            answers.accept_answer(asker, answer.id)
        deletion.delete_post(asker, "question", question.id)
        question_id = question.id
    page = answerer.get("/notifications").get_data(as_text=True)
    assert "Your answer was accepted" in page and "a question that is now deleted" in page
    assert "Mariam" not in page and f"/questions/{question_id}" not in page
    # Accepted, and the moderator's answer in the thread they follow: both withheld.
    assert "2 notifications" in answerer.get("/").get_data(as_text=True)
    # A moderator may still see the deleted question, so the notification still names it.
    assert "Mariam" in moderator.get("/notifications").get_data(as_text=True)
    with app.app_context():
        deletion.undelete_post(get_user_by_username(moderator.username), "question", question_id)
    assert "Mariam" in answerer.get("/notifications").get_data(as_text=True)
