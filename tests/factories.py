"""Domain-level helpers for tests: create content through the services, as users would.

The functions take users and return rows, inside an application context the test holds.
`Seed` (the `seed` fixture of tests/forum and tests/search_index) does the same by user name,
each call in its own application context, and returns ids, which stay valid outside it.
"""
from core.accounts import services as accounts
from core.accounts.models import User
from core.accounts.services import get_user_by_username
from core.extensions import db
from forum.services import answers, comments, deletion, questions, votes

BODY = "A situation from the field, described in enough words to pass the length check."
TITLE = "How do I build trust with a child on the street?"
TAGS = "trust first-contact"


def user(role="member", username=None):
    """A new user of the given role (call inside an app context)."""
    count = db.session.query(User).count() + 1
    username = username or f"{role}{count}"
    return accounts.create_user(username, f"{username}@example.org", "correct horse battery",
                                role=role)


def question(author, title=TITLE, body=BODY, tags=TAGS, lang="en"):
    return questions.ask_question(author, title, body, tags, lang)


def answer(author, question_id, body=BODY):
    return answers.post_answer(author, question_id, body)


class Seed:
    """Creates forum content as users would, each call in its own application context;
    returns ids. `tags`: what a question is tagged when the test does not say."""

    def __init__(self, app, tags=TAGS):
        self.app = app
        self.tags = tags

    def question(self, username, title=TITLE, body=BODY, tags=None, lang="en"):
        with self.app.app_context():
            return question(get_user_by_username(username), title, body,
                            self.tags if tags is None else tags, lang).id

    def answer(self, username, question_id, body=BODY):
        with self.app.app_context():
            return answer(get_user_by_username(username), question_id, body).id

    def comment(self, username, body="A short remark on this.", **target):
        with self.app.app_context():
            return comments.post_comment(get_user_by_username(username), body, **target).id

    def vote(self, username, post_type, post_id, value=1):
        with self.app.app_context():
            return votes.vote(get_user_by_username(username), post_type, post_id, value)

    def accept(self, username, answer_id):
        with self.app.app_context():
            return answers.accept_answer(get_user_by_username(username), answer_id)

    def edit_question(self, username, question_id, title, body=BODY, tags=None, lang="en"):
        with self.app.app_context():
            questions.edit_question(get_user_by_username(username), question_id, title, body,
                                    self.tags if tags is None else tags, lang)

    def delete(self, username, post_type, post_id):
        with self.app.app_context():
            deletion.delete_post(get_user_by_username(username), post_type, post_id)

    def undelete(self, username, post_type, post_id):
        with self.app.app_context():
            deletion.undelete_post(get_user_by_username(username), post_type, post_id)

    def update(self, model, row_id, **values):
        """Set columns directly (backdating, closing): things no service does yet."""
        with self.app.app_context():
            row = db.session.get(model, row_id)
            for key, value in values.items():
                setattr(row, key, value)
            db.session.commit()
