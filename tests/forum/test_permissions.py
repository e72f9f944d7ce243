"""The permission matrix over HTTP (DESIGN §10: every permission checked on the server).

For each kind of visitor — anonymous, a member who did not write the post, the author (who
asked the question), an expert, a moderator, an admin — and each action on someone else's
content (editing, deleting, accepting) or on their own post (voting), the expected status:
302 when allowed (and the change is made), a redirect to /auth/login for anonymous visitors,
403 when forbidden — and then the database is exactly as before.
"""
import pytest

from core.revisions import Revision
from forum.models import Answer, Comment, Question, Tag, Vote
from tests.forum.conftest import BODY, assert_login_redirect, row, snapshot

LOGIN = "login"
ROLES = ["anonymous", "member", "author", "expert", "moderator", "admin"]
NEW_TITLE = "How do I earn the trust of a boy who sleeps at the station?"
NEW_BODY = BODY + " Edited with a detail about the night shift."

#                            anonymous member author expert moderator admin
MATRIX = {
    "open question edit page": (LOGIN, 403, 200, 200, 200, 200),
    "edit question":           (LOGIN, 403, 302, 302, 302, 302),
    "edit answer":             (LOGIN, 403, 403, 302, 302, 302),
    "delete question":         (LOGIN, 403, 302, 403, 302, 302),
    "delete answer":           (LOGIN, 403, 403, 403, 302, 302),
    "delete comment":          (LOGIN, 403, 403, 403, 302, 302),
    "accept answer":           (LOGIN, 403, 302, 403, 302, 302),
    "vote on own post":        (LOGIN, 403, 403, 403, 403, 403),
    "vote on another's post":  (LOGIN, 302, 302, 302, 302, 302),
}
CASES = [(action, role, expected[ROLES.index(role)])
         for action, expected in MATRIX.items() for role in ROLES]


class Scene:
    """A question by `author`, an answer and a comment by other members, and the visitor."""

    def __init__(self, app, seed, client, user_client, role):
        self.app, self.seed, self.role = app, seed, role
        author = user_client()
        self.question = seed.question(author.username)
        self.answer = seed.answer(user_client().username, self.question)
        self.comment = seed.comment(user_client().username, "A remark on the answer.",
                                    answer_id=self.answer)
        if role == "anonymous":
            self.visitor, self.name = client, None
        elif role == "author":
            self.visitor, self.name = author, author.username
        else:
            self.visitor = user_client(role)
            self.name = self.visitor.username

    def own_post_url(self):
        """A post written by the visitor (the question for its author, any for anonymous)."""
        if self.role in ("anonymous", "author"):
            return f"/questions/{self.question}/vote"
        return f"/answers/{self.seed.answer(self.name, self.question)}/vote"

    def request(self, action):
        q, a, c, visitor = self.question, self.answer, self.comment, self.visitor
        if action == "open question edit page":
            return visitor.get(f"/questions/{q}/edit")
        if action == "edit question":
            return visitor.post_edit(f"/questions/{q}/edit", {
                "title": NEW_TITLE, "body": BODY, "tags": "trust first-contact", "lang": "en"})
        if action == "edit answer":
            return visitor.post_edit(f"/answers/{a}/edit", {"body": NEW_BODY})
        if action == "delete question":
            return visitor.post_form(f"/questions/{q}/delete")
        if action == "delete answer":
            return visitor.post_form(f"/answers/{a}/delete")
        if action == "delete comment":
            return visitor.post_form(f"/comments/{c}/delete")
        if action == "accept answer":
            return visitor.post_form(f"/answers/{a}/accept")
        if action == "vote on another's post":
            return visitor.post_form(f"/answers/{a}/vote", {"value": "up"})
        raise AssertionError(action)

    def check_done(self, action):
        app = self.app
        if action == "edit question":
            assert row(app, Question, self.question)["title"] == NEW_TITLE
        elif action == "edit answer":
            assert row(app, Answer, self.answer)["body"] == NEW_BODY
        elif action == "delete question":
            assert row(app, Question, self.question)["deleted_at"] is not None
        elif action == "delete answer":
            assert row(app, Answer, self.answer)["deleted_at"] is not None
            assert row(app, Question, self.question)["answer_count"] == 0
        elif action == "delete comment":
            assert row(app, Comment, self.comment)["deleted_at"] is not None
        elif action == "accept answer":
            assert row(app, Question, self.question)["accepted_answer_id"] == self.answer
        elif action == "vote on another's post":
            assert row(app, Answer, self.answer)["score"] == 1


def tables(app):
    return snapshot(app, Question, Answer, Comment, Vote, Revision, Tag)


@pytest.mark.parametrize("action, role, expected", CASES,
                         ids=[f"{action}-{role}" for action, role, _ in CASES])
def test_permission_matrix(app, seed, client, user_client, action, role, expected):
    scene = Scene(app, seed, client, user_client, role)
    if action == "vote on own post":
        url = scene.own_post_url()
        before = tables(app)
        response = scene.visitor.post_form(url, {"value": "up"})
    else:
        before = tables(app)
        response = scene.request(action)
    if expected == LOGIN:
        assert_login_redirect(response)
    else:
        assert response.status_code == expected, (action, role)
    if expected in (LOGIN, 403, 200):
        assert tables(app) == before, "a refused request changed the database"
    else:
        scene.check_done(action)


@pytest.mark.parametrize("kind", ["questions", "answers"])
def test_an_invalid_edit_from_someone_who_may_not_edit_is_forbidden(app, seed, user_client,
                                                                    kind):
    question_id = seed.question(user_client().username)
    answer_id = seed.answer(user_client().username, question_id)
    post_id = question_id if kind == "questions" else answer_id
    before = tables(app)
    response = user_client().post_form(f"/{kind}/{post_id}/edit", {"title": "x", "body": "x"})
    assert tables(app) == before
    assert response.status_code == 403
