"""Editing a post tells only the members it names "for the first time" — but "first" is
measured against the previous version only. Removing "@carol" and putting it back, edit after
edit (edits have no rate limit), sends Carol a new e-mail each time (mentions are mailed at
once by default): a cheap way to flood a member's mailbox from one post."""
from sqlalchemy import func, select

from core.extensions import db
from core.mail.models import OutboxMessage
from core.notifications.models import Notification
from forum.services import answers
from tests import factories


def test_a_member_hears_once_of_a_post_naming_them_however_often_it_is_edited(ctx):
    alice, bob = factories.user("member", "alice"), factories.user("member", "bob")
    carol = factories.user("member", "carol")
    question = factories.question(alice)
    answer = factories.answer(bob, question.id, body="Ask @carol, she works at the clinic.")
    for _round in range(5):
        answers.edit_answer(bob, answer.id, "Ask the clinic, they know the family.")
        answers.edit_answer(bob, answer.id, "Ask @carol, she works at the clinic.")
    mentions = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.recipient_id == carol.id, Notification.kind == "mention"))
    mails = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient_id == carol.id))
    assert (mentions, mails) == (1, 1)
