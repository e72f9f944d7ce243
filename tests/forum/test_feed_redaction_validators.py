"""A redaction takes a child's name out of a question: a feed reader asking again, with the
validators it kept, is given the new text, never "304 Not Modified" (which would leave the
child's name in its copy). Feeds carry an ETag only: the newest entry's time, which a
Last-Modified would be, does not move when an entry is redacted, hidden or deleted."""
import feedparser

from core.extensions import db
from forum.services import redaction
from tests import factories

NAME = "Rivo Andrianina"


def _setup(app):
    with app.app_context():
        asker = factories.user("member", "asker")
        mod = factories.user("moderator", "mod")
        question = factories.question(
            asker, title=f"How do I help {NAME} who sleeps at the bus station?",
            body=f"{NAME} is eleven and sleeps at the bus station since March.")
        return question.id, mod.id


def test_a_redaction_changes_what_the_feed_says_to_readers(app, client):
    question_id, mod_id = _setup(app)
    first = client.get("/feeds/questions")
    assert NAME in first.get_data(as_text=True)
    assert "Last-Modified" not in first.headers
    since = "Fri, 01 Jan 2100 00:00:00 GMT"
    with app.app_context():
        from core.accounts.models import User
        redaction.redact_passage(db.session.get(User, mod_id), "question", question_id, NAME,
                                 "names a child")
    again = client.get("/feeds/questions", headers={"If-Modified-Since": since,
                                                    "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200, "304: the reader keeps the title with the child's name"
    assert NAME not in again.get_data(as_text=True)
    assert len(feedparser.parse(again.get_data()).entries) == 1
