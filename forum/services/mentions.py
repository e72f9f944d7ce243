"""@mentions: "@username" in a question, an answer or a comment links to the member's page
(core.markup draws the links; this module says who the members are, in one query per post)
and tells the members named, at most MENTION_LIMIT of them per post."""
from sqlalchemy import select

from core import markup
from core.accounts.models import User
from core.extensions import db
from core.urls import path_for

# A post tells at most this many members that it names them (a list of names is not a call).
MENTION_LIMIT = 10


class Members:
    """The `mentions` function of core.markup.render: looks the names up (one query) and
    remembers the members found, in the order the post names them."""

    def __init__(self):
        self.users = []
        self.keys = []

    def __call__(self, keys):
        self.keys = list(keys)
        rows = db.session.scalars(select(User).where(User.username_key.in_(self.keys))).all()
        by_key = {user.username_key: user for user in rows}
        self.users = [by_key[key] for key in self.keys if key in by_key]
        return {key: (user.username, path_for("users.profile", username=user.username))
                for key, user in by_key.items()}


def render(body):
    """(HTML of `body` with its mentions linked, the members it names in order)."""
    members = Members()
    html = markup.render(body, mentions=members)
    return html, members.users


def named_keys(body):
    """The lower-cased names `body` writes as mentions (members or not), without a query."""
    members = _Names()
    markup.render(body, mentions=members)
    return set(members.keys)


class _Names:
    def __init__(self):
        self.keys = []

    def __call__(self, keys):
        self.keys = list(keys)
        return {}


def new_mentions(users, old_body=None):
    """The members to tell: those named now and not in `old_body` (an edit tells only the
    members it adds), at most MENTION_LIMIT."""
    before = named_keys(old_body) if old_body else set()
    return [user for user in users[:MENTION_LIMIT] if user.username_key not in before]
