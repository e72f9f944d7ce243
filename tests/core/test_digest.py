"""Digests (issue 16, item 3): `flask mail digest --period daily|weekly` gathers, for each
member, the unread notifications of the kinds they chose to hear of that way into ONE queued
mail, and marks them mailed; a second run queues nothing, and two runs at once (two servers'
cron) never queue a notification twice."""
import json
import threading
import time

import pytest
from sqlalchemy import select

from core.extensions import db
from core.mail import outbox
from core.mail.models import OutboxMessage
from core.notifications import digest, preferences
from core.notifications import services as notifications
from core.notifications.models import Notification
from forum.services import hiding
from tests import factories

TIMEOUT = 60


def _asker(channel):
    """A member who chose `channel` for answers to their questions, and one question of theirs."""
    member = factories.user()
    preferences.set_channels(member, {"answer": channel})
    return member, factories.question(member, title=f"A question of a {channel} reader")


def _answerer():
    """A member who answers; the threads they answer they follow, told on the site only, so
    that only the askers' digests are counted here."""
    member = factories.user()
    preferences.set_channels(member, {"followed_answer": "site"})
    return member


def _answers(question, n):
    return [factories.answer(_answerer(), question.id) for _ in range(n)]


def _queued(category=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if category:
        query = query.where(OutboxMessage.category == category)
    return db.session.scalars(query).all()


def _ids_of(user):
    return set(db.session.scalars(select(Notification.id).where(
        Notification.recipient_id == user.id)))


def test_a_days_answers_are_one_digest_per_member_by_the_channel_they_chose(ctx):
    daily, daily_question = _asker("daily")
    other, other_question = _asker("daily")
    weekly, weekly_question = _asker("weekly")
    instant, instant_question = _asker("instant")
    site, site_question = _asker("site")
    for question in (daily_question, weekly_question, instant_question, site_question):
        _answers(question, 3)
    _answers(other_question, 1)
    assert len(_queued("notification")) == 3  # at once: one mail an answer, for `instant`
    assert digest.gather("daily") == 2
    digests = _queued("digest")
    assert [mail.recipient_id for mail in digests] == [daily.id, other.id]
    for mail, member in zip(digests, (daily, other)):
        payload = json.loads(mail.payload)
        assert payload["period"] == "daily" and set(payload["ids"]) == _ids_of(member)
        assert mail.to_address == member.email and mail.sent_at is None
    assert all(note.mailed_at is not None for note in db.session.scalars(
        select(Notification).where(Notification.recipient_id.in_([daily.id, other.id]))))
    # The weekly reader waits for the weekly digest; the site-only reader gets no mail.
    assert digest.gather("weekly") == 1
    [weekly_mail] = _queued("digest")[2:]
    assert weekly_mail.recipient_id == weekly.id
    assert set(json.loads(weekly_mail.payload)["ids"]) == _ids_of(weekly)
    assert not any(mail.recipient_id == site.id for mail in _queued())
    assert all(note.mailed_at is None for note in db.session.scalars(
        select(Notification).where(Notification.recipient_id == site.id)))


def test_a_second_run_queues_nothing_and_only_what_is_new_goes_next_time(ctx):
    member, question = _asker("daily")
    _answers(question, 2)
    assert digest.gather("daily") == 1
    assert digest.gather("daily") == 0
    assert len(_queued("digest")) == 1
    [late] = _answers(question, 1)
    assert digest.gather("daily") == 1
    assert json.loads(_queued("digest")[-1].payload)["ids"] == [
        db.session.scalar(select(Notification.id).where(Notification.subject_id == late.id,
                                                        Notification.recipient_id == member.id))]


def test_what_the_member_already_read_or_may_no_longer_see_is_left_out(ctx):
    moderator = factories.user("moderator")
    member, question = _asker("daily")
    first = _answers(question, 2)[0]
    opened = db.session.scalar(select(Notification.id).where(
        Notification.subject_id == first.id, Notification.recipient_id == member.id))
    notifications.open_notification(member, opened)  # the line of both answers is read
    assert digest.gather("daily") == 0  # read on the site: nothing new to mail
    reader, question = _asker("daily")
    shown, hidden = _answers(question, 2)
    hiding.hide_post(moderator, "answer", hidden.id)
    assert digest.gather("daily") == 1
    ids = json.loads(_queued("digest")[-1].payload)["ids"]
    assert [db.session.get(Notification, i).subject_id for i in ids] == [shown.id]
    # The hidden one is not taken: were it shown again, the next digest would tell of it.
    assert db.session.scalar(select(Notification.mailed_at).where(
        Notification.subject_id == hidden.id)) is None


def test_a_member_without_a_kind_on_that_period_gets_nothing(ctx):
    _asker("instant")
    member, question = _asker("weekly")
    _answers(question, 1)
    assert digest.gather("daily") == 0 and _queued("digest") == []
    with pytest.raises(ValueError):
        digest.gather("hourly")


def test_the_command_queues_the_digests(app):
    with app.app_context():
        member, question = _asker("daily")
        _answers(question, 2)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "digest", "--period", "daily"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Queued 1 daily digest(s)."
    assert runner.invoke(args=["mail", "digest", "--period", "daily"]).output.strip() == (
        "Queued 0 daily digest(s).")
    assert runner.invoke(args=["mail", "digest", "--period", "monthly"]).exit_code != 0
    with app.app_context():
        assert len(_queued("digest")) == 1


def test_two_runs_at_once_never_queue_a_notification_twice(app, monkeypatch):
    """The first run takes the notifications and holds its transaction open; the second,
    started meanwhile, sees them untaken, waits on their rows, then finds them taken."""
    with app.app_context():
        members = []
        for _ in range(3):
            member, question = _asker("daily")
            _answers(question, 2)
            members.append(member.id)
    first_took, results, errors = threading.Event(), {}, []
    original = outbox.queue_notifications

    def slow_queue(recipient, ids, period=None):
        message = original(recipient, ids, period)
        if threading.current_thread().name == "first":
            first_took.set()
            time.sleep(0.5)  # the second run reads meanwhile, then waits for our commit
        return message

    monkeypatch.setattr(outbox, "queue_notifications", slow_queue)

    def run(name):
        try:
            if name == "second":
                assert first_took.wait(TIMEOUT)
            with app.app_context():
                results[name] = digest.gather("daily")
        except Exception as error:  # reported to the test, which fails on it
            errors.append(error)

    threads = [threading.Thread(target=run, args=(name,), name=name)
               for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a run is stuck"
    assert errors == []
    assert results["first"] + results["second"] == 3
    with app.app_context():
        digests = _queued("digest")
        taken = [i for mail in digests for i in json.loads(mail.payload)["ids"]]
        assert len(taken) == len(set(taken)) == 6
        assert sorted(mail.recipient_id for mail in digests) == sorted(members)
