"""Notifications of one kind about one thread show as one line ("3 new answers on ..."),
newest first; opening the line marks all of it read and goes to the newest answer; the header
counts lines as the page shows them (issue 16, item 3)."""
import re

from sqlalchemy import select

from core.accounts.services import get_user_by_username
from core.extensions import db
from core.notifications import services as notifications
from core.notifications.models import Notification, NotificationPreference
from forum.services import hiding
from tests import factories

TITLE = "Where can a boy sleep tonight near the bus station?"
OTHER = "Which clinic sees a girl without her parents?"


def _thread(app, asker_name, answers=3, title=TITLE):
    """A question of `asker_name` answered by `answers` members: (question id, answer ids)."""
    with app.app_context():
        asker = get_user_by_username(asker_name)
        db.session.merge(NotificationPreference(user_id=asker.id, kind="answer", channel="site"))
        db.session.commit()
        question = factories.question(asker, title=title)
        ids = [factories.answer(factories.user(), question.id).id for _ in range(answers)]
        return question.id, ids


def _open_links(page):
    return re.findall(r'href="(/notifications/\d+/open)"', page)


def test_three_answers_to_one_question_are_one_line(app, user_client):
    asker = user_client("member")
    question_id, answer_ids = _thread(app, asker.username)
    other_id, [other_answer] = _thread(app, asker.username, answers=1, title=OTHER)
    page = asker.get("/notifications").get_data(as_text=True)
    assert "3 new answers on" in page and page.count(TITLE) == 1
    assert "New answer to your question:" in page and page.count(OTHER) == 1
    # Newest first: the other question was answered last.
    assert page.index(OTHER) < page.index(TITLE)
    assert "2 notifications" in asker.get("/").get_data(as_text=True)  # two lines
    with app.app_context():
        user = get_user_by_username(asker.username)
        lines = notifications.lines(user)
        assert [line.count for line in lines] == [1, 3]
        assert notifications.unread_count(user) == 2
    # The line opens the newest answer and marks the three read, not the other line.
    link = _open_links(page)[1]
    response = asker.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/questions/{question_id}#answer-{answer_ids[-1]}"
    home = asker.get("/").get_data(as_text=True)
    assert "1 notification" in home and "2 notifications" not in home
    page = asker.get("/notifications").get_data(as_text=True)
    assert "3 new answers on" not in page and page.count(TITLE) == 3  # read: one a line
    response = asker.get(_open_links(page)[0])
    assert response.headers["Location"] == f"/questions/{other_id}#answer-{other_answer}"
    assert "notification" not in asker.get("/").get_data(as_text=True).split(
        'href="/notifications"')[1][:40].replace("Notifications", "")


def test_the_plural_follows_the_language(app, user_client):
    asker = user_client("member", locale="fr")
    _thread(app, asker.username, answers=2)
    page = asker.get("/notifications").get_data(as_text=True)
    # Whatever the catalog says, the line gives the number of answers once.
    assert page.count(TITLE) == 1 and re.search(r"\b2\b[^<]*<a href=\"/notifications/", page)


def test_someone_elses_notification_is_not_found_and_stays_unread(app, user_client):
    asker, intruder = user_client("member"), user_client("member")
    _thread(app, asker.username, answers=1)
    with app.app_context():
        note = db.session.scalars(select(Notification)).one()
        note_id = note.id
    assert intruder.get(f"/notifications/{note_id}/open").status_code == 404
    assert intruder.get("/notifications/999999/open").status_code == 404
    assert app.test_client().get(f"/notifications/{note_id}/open").status_code == 302  # sign in
    with app.app_context():
        assert db.session.get(Notification, note_id).read_at is None
    assert "1 notification" in asker.get("/").get_data(as_text=True)


def test_a_withheld_notification_opens_the_notifications_page(app, user_client):
    asker, moderator = user_client("member"), user_client("moderator")
    question_id, [answer_id] = _thread(app, asker.username, answers=1)
    with app.app_context():
        hiding.hide_post(get_user_by_username(moderator.username), "answer", answer_id)
        note_id = db.session.scalars(select(Notification.id)).one()
    page = asker.get("/notifications").get_data(as_text=True)
    assert TITLE not in page and _open_links(page) == []
    response = asker.get(f"/notifications/{note_id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    assert "1 notification" not in asker.get("/").get_data(as_text=True)


def test_a_group_counts_only_what_its_reader_may_see(app, user_client):
    asker, moderator = user_client("member"), user_client("moderator")
    question_id, answer_ids = _thread(app, asker.username, answers=3)
    with app.app_context():
        hiding.hide_post(get_user_by_username(moderator.username), "answer", answer_ids[-1])
    page = asker.get("/notifications").get_data(as_text=True)
    assert "2 new answers on" in page and page.count(TITLE) == 1
    response = asker.get(_open_links(page)[0])
    assert response.headers["Location"] == f"/questions/{question_id}#answer-{answer_ids[1]}"


def test_mark_all_as_read_empties_the_header(app, user_client):
    asker = user_client("member")
    _thread(app, asker.username)
    assert "1 notification" in asker.get("/").get_data(as_text=True)
    assert asker.post_form("/notifications/read").status_code == 302
    home = asker.get("/").get_data(as_text=True)
    assert "1 notification" not in home
