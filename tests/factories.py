"""Domain-level helpers for tests: create content through the services, as users would."""
from core.accounts import services as accounts
from core.accounts.models import User
from core.extensions import db
from forum.services import posting

BODY = "A situation from the field, described in enough words to pass the length check."


def user(role="member", username=None):
    """A new user of the given role (call inside an app context)."""
    count = db.session.query(User).count() + 1
    username = username or f"{role}{count}"
    return accounts.create_user(username, f"{username}@example.org", "correct horse battery",
                                role=role)


def question(author, title="How do I build trust with a child on the street?", body=BODY,
             tags="trust first-contact", lang="en"):
    return posting.ask_question(author, title, body, tags, lang)


def answer(author, question_id, body=BODY):
    return posting.post_answer(author, question_id, body)
