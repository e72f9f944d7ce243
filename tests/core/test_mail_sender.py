"""Mail that really leaves: the sender drains the outbox through a real SMTP server (aiosmtpd)
and what arrives is read back: in the recipient's language, multipart, with the title, who
acted and an absolute link, never a post's words; nothing withdrawn since it was queued;
no header written by a title or a name; retries with backoff; several senders at once."""
import json
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select, update

from core.extensions import db
from core.mail import outbox
from core.mail.models import OutboxMessage
from core.mail.sender import BACKOFF, MAX_ATTEMPTS, send_due
from core.notifications import services as notifications
from core.notifications.models import Notification
from core.timeutil import utcnow
from forum.models import Question
from forum.services import deletion, hiding, redaction
from tests import factories
from tests.servers import free_port

ANSWER_BODY = "Sit at her level and offer a drink; the words of this answer stay on the site."


def _answered(asker_locale=None, title=factories.TITLE):
    """Alice asks, Bob answers: (alice, bob, question, answer), one mail queued to Alice."""
    alice, bob = factories.user(username="alice"), factories.user(username="bob")
    alice.locale = asker_locale
    bob.display_name = "Bob Diallo"
    db.session.commit()
    question = factories.question(alice, title=title)
    answer = factories.answer(bob, question.id, body=ANSWER_BODY)
    return alice, bob, question, answer


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_bob_answers_and_alice_reads_a_mail_in_french_without_the_answer(ctx, smtp):
    ctx.config["CARNETS_BASE_URL"] = "https://carnets.example.org"
    try:
        alice, _bob, question, answer = _answered("fr")
        assert send_due() == {"sent": 1, "failed": 0, "abandoned": 0, "withdrawn": 0}
    finally:
        ctx.config["CARNETS_BASE_URL"] = ""
    [mail] = smtp.to("alice@example.org")
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Subject"] == f"Nouvelle réponse à votre question : {question.title}"
    assert mail["From"] == ctx.config["MAIL_SENDER"]
    assert mail["To"].addresses[0].addr_spec == "alice@example.org"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"] == _rows()[0].message_id
    text, html = _parts(mail)
    link = f"https://carnets.example.org/questions/{question.id}#answer-{answer.id}"
    for part in (text, html):
        assert question.title in part and "Bob Diallo" in part and link in part
        assert "Nouvelle réponse à votre question" in part
        assert ANSWER_BODY not in part and "words of this answer" not in part
    assert 'lang="fr"' in html and "<script" not in html and "style" not in html
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://carnets.example.org/mail/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = _rows()[0]
    assert row.sent_at is not None and row.attempts == 0 and row.claimed_until is None
    # Sent once: the next run finds nothing.
    assert send_due()["sent"] == 0 and len(smtp.messages) == 1


def test_several_notifications_make_one_mail_listing_each(ctx, smtp):
    alice, bob, question, first = _answered()
    carol = factories.user(username="carol")
    second = factories.answer(carol, question.id)
    ids = db.session.scalars(select(Notification.id).order_by(Notification.id)).all()
    db.session.execute(update(OutboxMessage).values(abandoned_at=utcnow()))
    outbox.queue_notifications(alice, ids)
    db.session.commit()
    assert send_due()["sent"] == 1
    [mail] = smtp.messages
    assert mail["Subject"] == "2 new notifications"
    text, _html = _parts(mail)
    for answer in (first, second):
        assert f"/questions/{question.id}#answer-{answer.id}" in text
    assert "Bob Diallo" in text and "carol" in text


@pytest.mark.parametrize("withdraw", ["deleted", "hidden"])
def test_an_answer_withdrawn_before_the_mail_leaves_sends_nothing(ctx, smtp, withdraw):
    _alice, bob, _question, answer = _answered()
    if withdraw == "deleted":
        deletion.delete_post(bob, "answer", answer.id)
    else:
        hiding.hide_post(factories.user("moderator"), "answer", answer.id, "named a child")
    assert send_due() == {"sent": 0, "failed": 0, "abandoned": 0, "withdrawn": 1}
    assert smtp.messages == []
    [row] = _rows()
    assert row.abandoned_at is not None and row.sent_at is None
    assert row.last_error.startswith("withdrawn")


def test_a_passage_redacted_before_the_mail_leaves_is_not_in_it(ctx, smtp):
    _alice, _bob, question, _answer = _answered(
        title="How do we help Fatoumata Keita who sleeps near the market?")
    redaction.redact_passage(factories.user("moderator"), "question", question.id,
                             "Fatoumata Keita", "names a child")
    assert send_due()["sent"] == 1
    [mail] = smtp.messages
    text, html = _parts(mail)
    for part in (mail["Subject"], text, html):
        assert "Fatoumata" not in part and "Keita" not in part
    assert "[redacted]" in mail["Subject"]


def test_no_header_can_be_written_through_a_title_or_a_name(ctx, smtp):
    alice, _bob, question, _answer = _answered()
    db.session.execute(update(Question).where(Question.id == question.id).values(
        title="Help\r\nBcc: thief@example.org\r\n\r\nInjected body"))
    alice.display_name = "Alice\r\nCc: thief@example.org"
    db.session.commit()
    assert send_due()["sent"] == 1
    [mail] = smtp.messages
    [(_sender, recipients)] = smtp.envelopes
    assert recipients == ["alice@example.org"]
    assert mail["Bcc"] is None and mail["Cc"] is None
    assert mail["Subject"].endswith("Help Bcc: thief@example.org Injected body")
    assert mail["To"].addresses[0].display_name == "Alice Cc: thief@example.org"
    assert not {"bcc", "cc"} & {name.lower() for name in mail.keys()}


def test_a_mail_server_away_is_tried_again_later_then_the_mail_leaves(ctx, smtp):
    _answered()
    ctx.config["MAIL_PORT"] = free_port()  # nothing listens there
    counts = send_due()
    assert counts == {"sent": 0, "failed": 1, "abandoned": 0, "withdrawn": 0}
    [row] = _rows()
    assert row.attempts == 1 and row.sent_at is None and row.claimed_until is None
    assert row.last_error and "Unreachable" in row.last_error
    waited = row.next_attempt_at - utcnow()
    assert BACKOFF[0] - timedelta(seconds=5) < waited <= BACKOFF[0]
    # Not due yet: nothing is tried.
    assert send_due() == {"sent": 0, "failed": 0, "abandoned": 0, "withdrawn": 0}
    # The server is back and the time has come.
    ctx.config["MAIL_PORT"] = smtp.port
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert send_due()["sent"] == 1
    assert len(smtp.to("alice@example.org")) == 1
    [row] = _rows()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""


def test_backoff_grows_and_the_sixth_failure_gives_up(ctx, smtp):
    _answered()
    ctx.config["MAIL_PORT"] = free_port()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        counts = send_due()
        [row] = _rows()
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert counts["failed"] == 1
            waits.append(round((row.next_attempt_at - utcnow()).total_seconds() / 60))
        else:
            assert counts["abandoned"] == 1 and row.abandoned_at is not None
    assert waits == [1, 5, 30, 120, 720]
    ctx.config["MAIL_PORT"] = smtp.port
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert send_due()["sent"] == 0 and smtp.messages == []


class _Refusing:
    """A handler that refuses one address for good (550) and keeps the others."""

    def __init__(self, refused):
        self.refused = refused
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def test_a_refused_recipient_does_not_hold_back_the_others(ctx):
    from aiosmtpd.controller import Controller

    handler = _Refusing("gone@example.org")
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        ctx.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=controller.port,
                          MAIL_SECURITY="none")
        for address in ("first@example.org", "gone@example.org", "last@example.org"):
            outbox.queue_message(address, "test", "Hello", "Plain words.")
        db.session.commit()
        assert send_due() == {"sent": 2, "failed": 0, "abandoned": 1, "withdrawn": 0}
    finally:
        controller.stop()
        ctx.config.update(MAIL_HOST="")
    assert handler.received == [["first@example.org"], ["last@example.org"]]
    gone = next(row for row in _rows() if row.to_address == "gone@example.org")
    assert gone.abandoned_at is not None and gone.last_error.startswith("PermanentFailure: 550")


def test_without_a_mail_server_messages_are_written_as_eml_files(ctx, tmp_path):
    folder = tmp_path / "mail"
    ctx.config.update(MAIL_HOST="", MAIL_DIR=str(folder))
    alice, _bob, question, _answer = _answered()
    assert send_due()["sent"] == 1
    [path] = folder.glob("*.eml")
    row = _rows()[0]
    assert path.name.endswith(f"-{row.id}.eml")
    assert not list(folder.glob(".*"))  # no temporary file left
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["Message-ID"] == row.message_id and mail["To"].addresses[0].addr_spec == alice.email
    assert question.title in _parts(mail)[0]


def _queue_many(count):
    """`count` members notified of one answer: `count` mails queued."""
    asker, helper = factories.user(username="asker"), factories.user(username="helper")
    answer = factories.answer(helper, factories.question(asker).id)
    db.session.execute(update(OutboxMessage).values(abandoned_at=utcnow()))
    for number in range(count):
        reader = factories.user(username=f"reader{number}")
        notifications.notify(reader.id, "answer", answer, actor=helper)
    db.session.commit()


def test_two_senders_at_once_deliver_each_message_exactly_once(app, smtp):
    with app.app_context():
        _queue_many(50)
    start = threading.Barrier(2)
    results, errors = [], []

    def sender():
        try:
            with app.app_context():
                start.wait()
                results.append(send_due(limit=100))
                db.session.remove()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sum(result["sent"] for result in results) == 50
    ids = [message["Message-ID"] for message in smtp.messages]
    assert len(ids) == 50 and len(set(ids)) == 50
    recipients = sorted(rcpt for _sender, [rcpt] in smtp.envelopes)
    assert recipients == sorted(f"reader{n}@example.org" for n in range(50))
    with app.app_context():
        rows = [row for row in _rows() if row.sent_at is not None]
        assert len(rows) == 50


def test_a_claim_of_a_sender_that_died_expires_and_the_mail_still_leaves(ctx, smtp):
    _answered()
    db.session.execute(update(OutboxMessage).values(claimed_by="dead",
                                                    claimed_until=utcnow() + timedelta(minutes=4)))
    db.session.commit()
    assert send_due()["sent"] == 0 and smtp.messages == []
    db.session.execute(update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert send_due()["sent"] == 1 and len(smtp.messages) == 1


def test_the_send_command_drains_the_outbox_and_prints_counts(app, smtp):
    with app.app_context():
        _answered()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 1, failed 0, abandoned 0, withdrawn 0"
    assert len(smtp.to("alice@example.org")) == 1
    again = app.test_cli_runner().invoke(args=["mail", "send"])
    assert again.output.strip() == "sent 0, failed 0, abandoned 0, withdrawn 0"


def test_a_message_written_at_queue_time_leaves_as_written(ctx, smtp):
    outbox.queue_message("dana@example.org", "password_reset", "Reset\nBcc: x@example.org",
                         "Follow this link.", "<p>Follow this link.</p>")
    db.session.commit()
    assert send_due()["sent"] == 1
    [mail] = smtp.messages
    assert mail["Subject"] == "Reset Bcc: x@example.org" and mail["Bcc"] is None
    assert mail["List-Unsubscribe"] is None
    assert _parts(mail)[0].strip() == "Follow this link."
    assert json.loads(_rows()[0].payload or "null") is None


@pytest.mark.parametrize("period", ["daily", "weekly"])
def test_a_digest_is_written_when_sent_with_its_subject_and_unsubscribe_link(ctx, smtp, period):
    alice, _bob, question, _answer = _answered()
    db.session.execute(update(OutboxMessage).values(abandoned_at=utcnow()))
    ids = db.session.scalars(select(Notification.id)).all()
    outbox.queue_notifications(alice, ids, period=period)
    db.session.commit()
    assert send_due()["sent"] == 1
    [mail] = smtp.messages
    assert mail["Subject"] == f"Your {period} digest"
    assert question.title in _parts(mail)[0] and ANSWER_BODY not in _parts(mail)[0]
    assert "/mail/unsubscribe/" in mail["List-Unsubscribe"]


def test_the_loop_sends_then_waits_until_stopped(app, smtp, monkeypatch):
    with app.app_context():
        _answered()
    naps = []

    def nap(seconds):  # Ctrl-C during the first wait
        naps.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr("core.mail.cli.time.sleep", nap)
    result = app.test_cli_runner().invoke(args=["mail", "send", "--loop", "--interval", "7"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output and result.output.strip().endswith("Stopped.")
    assert naps == [7] and len(smtp.to("alice@example.org")) == 1
