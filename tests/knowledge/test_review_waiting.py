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


def test_a_change_to_a_published_article_tells_the_reviewers_once(ctx):
    from knowledge.services import editing

    curator, reviewer = factories.user("expert", "curator"), factories.user("expert", "rev")
    editor = factories.user("expert", "editor")
    question = factories.question(factories.user("member", "asker"))
    answer = factories.answer(factories.user("member", "answerer"), question.id)
    article, _ = promotion.promote(curator, question.id, [answer.id])
    editing.edit_article(curator, article.slug, editing.ArticleText(
        article.title, "", article.body + "\n\nCome back at the same hour, every evening.",
        "trust", "en"))
    workflow.submit_for_review(curator, article.slug)
    workflow.approve(reviewer, article.slug)
    before = {user.id: len(kinds(user)) for user in (curator, reviewer, editor)}
    for extra in (" Bring tea.", " Bring tea, and sit down."):
        editing.edit_article(editor, article.slug, editing.ArticleText(
            article.title, article.summary, article.body + extra, "trust", "en"))
    # The first change waits for review and tells the experts who may review it, once.
    assert kinds(curator)[before[curator.id]:] == ["review_waiting"]
    assert kinds(reviewer)[before[reviewer.id]:] == ["review_waiting"]
    assert kinds(editor)[before[editor.id]:] == []  # who wrote it does not review it
