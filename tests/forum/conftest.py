"""Helpers for the forum tests: seeding content through the services, reading rows back,
parsing the few page structures the tests look at, and counting SQL queries.

Content for HTTP tests is created inside short `with app.app_context():` blocks (never around
a request), and read back the same way.
"""
import re
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import event, func, select

from core.extensions import db
from tests import factories

BODY = factories.BODY
QUESTION_LINK_RE = re.compile(r'<h3><a href="/questions/(\d+)/')


# -- clients speak English, so that page texts stay stable if catalogs are added -------------

@pytest.fixture
def client(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def user_client(user_client):
    def factory(role="member", **fields):
        new_client = user_client(role, **fields)
        new_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return new_client

    return factory


# -- seeding content through the services ------------------------------------------------------

@pytest.fixture
def seed(app):
    """Forum content created through the services (tests/factories.py)."""
    return factories.Seed(app)


# -- reading the database back ------------------------------------------------------------------

def row(app, model, row_id):
    """The row's column values as a dict (None when the row does not exist)."""
    with app.app_context():
        obj = db.session.get(model, row_id)
        if obj is None:
            return None
        return {attr.key: getattr(obj, attr.key) for attr in db.inspect(model).column_attrs}


def count(app, model, *conditions):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def ids(app, model):
    """Ids of every row of a table, in creation order."""
    with app.app_context():
        return list(db.session.scalars(select(model.id).order_by(model.id)))


def snapshot(app, *models):
    """Every row of the given tables, to prove that a refused request changed nothing."""
    with app.app_context():
        result = {}
        for model in models:
            columns = db.inspect(model).column_attrs
            rows = db.session.scalars(select(model).order_by(model.id)).all()
            result[model.__tablename__] = [
                {attr.key: getattr(obj, attr.key) for attr in columns} for obj in rows]
        return result


# -- pages ------------------------------------------------------------------------------------

def html(response):
    return response.get_data(as_text=True)


def listed_question_ids(response):
    """Ids of the questions of a list page, in page order."""
    return [int(found) for found in QUESTION_LINK_RE.findall(html(response))]


def field_error(page, field):
    """The error list shown beside a form field, or None."""
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    return found.group(1) if found else None


class _CommentTree(HTMLParser):
    """Finds each `<li id="comment-N">` and the comment (or post) it is nested in."""

    VOID = {"input", "br", "hr", "meta", "link", "img"}

    def __init__(self):
        super().__init__()
        self.stack = []          # (tag, comment id or post key or None)
        self.parents = {}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        ident = attrs.get("id") or ""
        mark = None
        if tag == "li" and ident.startswith("comment-"):
            mark = int(ident.split("-")[1])
            self.parents[mark] = next((m for _, m in reversed(self.stack) if m is not None),
                                      None)
        elif tag == "article":
            mark = ident or "question"       # answers are <article id="answer-N">
        self.stack.append((tag, mark))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def comment_parents(page):
    """{comment id: id of the comment it replies to, or 'question' / 'answer-N'}."""
    parser = _CommentTree()
    parser.feed(page)
    return parser.parents


def message_text(app, message):
    """A (lazy) service message as an English reader would see it: messages are translated
    at render time, in a request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return str(message)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


# -- SQL query counting -------------------------------------------------------------------------

@contextmanager
def counted_queries(app):
    """Collect the SQL statements the engine runs while the block executes (HTTP requests
    included: the listener is on the engine, registered in a short application context)."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
