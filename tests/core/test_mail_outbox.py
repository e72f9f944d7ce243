"""The outbox is written in the transaction of its cause: an answer to a question queues the
asker's notification and, by default, a mail at once; nobody hears of their own action."""
import json

from sqlalchemy import select

from core.extensions import db
from core.mail.models import OutboxMessage
from core.notifications.models import Notification, NotificationPreference
from tests import factories


def test_an_answer_queues_the_askers_notification_and_mail(ctx):
    asker, answerer = factories.user(), factories.user()
    question = factories.question(asker)
    factories.answer(asker, question.id)  # their own: nothing
    assert db.session.scalars(select(OutboxMessage)).all() == []
    answer = factories.answer(answerer, question.id)
    note = db.session.scalars(select(Notification)).one()
    assert (note.recipient_id, note.kind, note.subject_id) == (asker.id, "answer", answer.id)
    assert note.group_key == f"question:{question.id}" and note.mailed_at is not None
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert (mail.recipient_id, mail.to_address, mail.category) == (
        asker.id, asker.email, "notification")
    assert json.loads(mail.payload) == {"ids": [note.id], "period": None} and mail.sent_at is None


def test_a_member_who_chose_the_site_only_gets_no_mail(ctx):
    asker, answerer = factories.user(), factories.user()
    db.session.add(NotificationPreference(user_id=asker.id, kind="answer", channel="site"))
    db.session.commit()
    question = factories.question(asker)
    factories.answer(answerer, question.id)
    assert db.session.scalars(select(Notification)).one().mailed_at is None
    assert db.session.scalars(select(OutboxMessage)).all() == []
