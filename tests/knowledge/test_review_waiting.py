"""An article submitted for review tells the experts who may review it, at once by mail."""
from sqlalchemy import select

from core.extensions import db
from core.mail.models import OutboxMessage
from core.notifications import services as notifications
from core.notifications.models import Notification
from knowledge.services import promotion, workflow
from tests import factories


def kinds_of(user):
    return [(n.kind, n.subject_id) for n in db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.id))]


def kinds(user):
    return [kind for kind, _subject in kinds_of(user)]


def test_experts_hear_that_an_article_waits_for_their_review(ctx):
    curator = factories.user("expert", "curator")
    reviewer, admin = factories.user("expert", "reviewer"), factories.user("admin", "boss")
    member, moderator = factories.user("member", "reader"), factories.user("moderator", "mod2")
    asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
    question = factories.question(asker)
    answer = factories.answer(answerer, question.id)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    workflow.submit_for_review(curator, article.slug)
    assert kinds_of(reviewer) == [("review_waiting", article.id)]
    assert kinds_of(admin) == [("review_waiting", article.id)]
    for nobody in (curator, member, moderator, asker):
        assert "review_waiting" not in kinds(nobody)
    shown, withheld = notifications.recent(reviewer)[0]
    assert not withheld and shown.url == f"/kb/articles/{article.slug}"
    assert db.session.scalar(select(OutboxMessage.recipient_id).where(
        OutboxMessage.recipient_id == reviewer.id)) == reviewer.id  # mailed at once
