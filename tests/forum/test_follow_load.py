"""Load (issue 16, item 7): 50 members follow one tag and chose mail at once for it; a new
question there creates 50 notifications and 50 queued mails in the transaction of the
question: none is visible before its commit, all are after, and a failed ask leaves none."""
import time

import pytest
from sqlalchemy import event, func, select

from core.extensions import db
from core.mail.models import OutboxMessage
from core.notifications.models import Notification, NotificationPreference
from forum.models import Question, TagFollow
from forum.services import follows, questions
from tests import factories

FOLLOWERS = 50


def _followers(tag="shelter"):
    """The asker, and FOLLOWERS members following `tag` with "instant" for its questions."""
    asker = factories.user("member", "asker")
    factories.question(asker, tags=tag)  # the tag exists
    for number in range(FOLLOWERS):
        member = factories.user("member", f"follower{number:02d}")
        follows.follow_tag(member, tag)
        db.session.add(NotificationPreference(user_id=member.id, kind="tag_question",
                                              channel="instant"))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TagFollow)) == FOLLOWERS
    return asker


def _counts(connection):
    """(notifications, outbox messages) as another connection sees them: committed rows."""
    return (connection.scalar(select(func.count()).select_from(Notification)),
            connection.scalar(select(func.count()).select_from(OutboxMessage)))


def test_a_new_question_tells_fifty_followers_in_one_transaction(ctx):
    asker = _followers()
    seen_at_commit = []

    def before_commit(session):
        # Just before the question commits, another connection sees none of its rows yet.
        with db.engine.connect() as other:
            seen_at_commit.append(_counts(other))

    event.listen(db.session, "before_commit", before_commit)
    try:
        started = time.perf_counter()
        question = questions.ask_question(asker, "Where can a girl sleep tonight near the port?",
                                          factories.BODY, "shelter", "en")
        elapsed = time.perf_counter() - started
    finally:
        event.remove(db.session, "before_commit", before_commit)
    print(f"\n{FOLLOWERS} followers: question, {FOLLOWERS} notifications and {FOLLOWERS} "
          f"queued mails created in {elapsed * 1000:.0f} ms ({db.engine.dialect.name})")
    assert seen_at_commit == [(0, 0)]
    with db.engine.connect() as other:
        assert _counts(other) == (FOLLOWERS, FOLLOWERS)
    notes = db.session.scalars(select(Notification)).all()
    assert {n.kind for n in notes} == {"tag_question"}
    assert {n.subject_id for n in notes} == {question.id}
    assert len({n.recipient_id for n in notes}) == FOLLOWERS
    assert all(n.mailed_at is not None for n in notes)
    recipients = db.session.scalars(select(OutboxMessage.recipient_id)).all()
    assert sorted(recipients) == sorted(n.recipient_id for n in notes)


def test_a_failed_question_leaves_no_notification_and_no_mail(ctx, monkeypatch):
    asker = _followers()
    questions_before = db.session.scalar(select(func.count()).select_from(Question))

    def fail(question_id):
        raise RuntimeError("the server stopped after the notifications were written")

    # Called after the notifications and mails are queued, before the commit.
    monkeypatch.setattr(questions, "thread_changed", fail)
    with pytest.raises(RuntimeError):
        questions.ask_question(asker, "Where can a girl sleep tonight near the port?",
                               factories.BODY, "shelter", "en")
    db.session.rollback()
    with db.engine.connect() as other:
        assert _counts(other) == (0, 0)
        assert other.scalar(select(func.count()).select_from(Question)) == questions_before
