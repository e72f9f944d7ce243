"""The transaction policy of services (core.transactions): a conflict with another writer is
retried, a transactional service called by another does not retry on its own, and a conflict
that outlives every retry is a clear message — a 409 page, or the form again with what the
user typed — never a server error and never a lost post.

A lasting conflict is made by the database itself, not a mock: a trigger raises the unique
violation that a race would, on every attempt."""
import re
from contextlib import contextmanager

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text

from core import create_app
from core.errors import Contention
from core.extensions import db
from core.transactions import ATTEMPTS, transactional
from forum.models import Question, Tag
from tests import factories
from tests.conftest import CsrfClient, test_config

BODY = factories.BODY
TITLE = "How do I earn the trust of a boy at the station?"


@contextmanager
def inserts_always_collide(app, table):
    """Every INSERT into `table` fails as if another writer had just taken its unique key: a
    trigger raising the database's own unique-violation error."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            create = [f"""CREATE FUNCTION collide_{table}() RETURNS trigger AS $$
                          BEGIN RAISE EXCEPTION 'taken meanwhile'
                                USING ERRCODE = 'unique_violation';
                          END $$ LANGUAGE plpgsql""",
                      f"""CREATE TRIGGER collide BEFORE INSERT ON "{table}"
                          FOR EACH ROW EXECUTE FUNCTION collide_{table}()"""]
            drop = [f'DROP TRIGGER collide ON "{table}"', f"DROP FUNCTION collide_{table}()"]
        else:
            create = [f"""CREATE TRIGGER collide BEFORE INSERT ON "{table}" BEGIN
                          SELECT RAISE(ABORT, 'UNIQUE constraint failed: {table}.id'); END"""]
            drop = ["DROP TRIGGER collide"]
        for statement in create:
            db.session.execute(text(statement))
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            for statement in drop:
                db.session.execute(text(statement))
            db.session.commit()


def test_a_unique_conflict_is_retried_until_it_succeeds(ctx):
    calls = []

    @transactional
    def create_tag():
        calls.append(1)
        # The first attempt collides with a row "another writer" committed meanwhile.
        name = "night" if len(calls) == 1 else "night-shelter"
        db.session.add(Tag(name=name, description="", question_count=0))
        db.session.commit()

    db.session.add(Tag(name="night", description="", question_count=0))
    db.session.commit()
    create_tag()
    assert len(calls) == 2
    assert sorted(db.session.scalars(select(Tag.name))) == ["night", "night-shelter"]


def test_a_lasting_conflict_becomes_a_clear_conflict_error(ctx):
    db.session.add(Tag(name="night", description="", question_count=0))
    db.session.commit()
    calls = []

    @transactional
    def create_tag():
        calls.append(1)
        db.session.add(Tag(name="night", description="", question_count=0))
        db.session.commit()

    with pytest.raises(Contention) as raised:
        create_tag()
    assert len(calls) == ATTEMPTS
    assert raised.value.status == 409 and "Send it again" in raised.value.message


def test_a_transactional_service_inside_another_does_not_retry_alone(ctx):
    """The inner service's rollback would undo the outer one's work: only the outermost
    retries, from its start."""
    db.session.add(Tag(name="night", description="", question_count=0))
    db.session.commit()
    outer_calls, inner_calls = [], []

    @transactional
    def inner(name):
        inner_calls.append(name)
        db.session.add(Tag(name=name, description="", question_count=0))
        db.session.flush()

    @transactional
    def outer():
        outer_calls.append(1)
        db.session.add(Tag(name="outer-work", description="", question_count=0))
        inner("night" if len(outer_calls) == 1 else "day")
        db.session.commit()

    outer()
    assert (len(outer_calls), inner_calls) == (2, ["night", "day"])
    assert sorted(db.session.scalars(select(Tag.name))) == ["day", "night", "outer-work"]


def test_a_question_that_cannot_be_saved_comes_back_in_the_form(app, user_client):
    client = user_client("member")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with inserts_always_collide(app, "question"):
        response = client.post_form("/questions/ask", {"title": TITLE, "body": BODY,
                                                        "tags": "trust", "lang": "en",
                                                        "similar_checked": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "could not be saved" in page
    assert f'value="{escape(TITLE)}"' in page and str(escape(BODY)) in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == 0


def test_an_answer_that_cannot_be_saved_comes_back_in_the_form(app, user_client):
    client = user_client("member")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        question_id = factories.question(factories.user()).id
    typed = "Come back at the same hour every evening; " + BODY
    with inserts_always_collide(app, "answer"):
        response = client.post_form(f"/questions/{question_id}/answers", {"body": typed})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "could not be saved" in page
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(str(escape(typed))), page)


# -- a database error that escapes a service ----------------------------------------------------

@pytest.fixture
def bare_app(app, tmp_path):
    """An application on the same database as `app`, with routes that write without the
    transaction policy, as a future service might forget to."""
    other = create_app(test_config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"]))
    other.test_client_class = CsrfClient

    @other.get("/test/duplicate-tag")
    def duplicate_tag():
        db.session.add(Tag(name="night", description="", question_count=0))
        db.session.commit()
        return "saved"

    @other.get("/test/unstorable")
    def unstorable():
        # PostgreSQL refuses a NUL in text; SQLite stores it, so there it is a plain page.
        db.session.scalar(select(Tag.id).where(Tag.name == "ni\x00ght"))
        return "read"

    with app.app_context():
        db.session.add(Tag(name="night", description="", question_count=0))
        db.session.commit()
    yield other
    with other.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def test_a_unique_conflict_escaping_a_service_is_a_409_page(bare_app):
    response = bare_app.test_client().get("/test/duplicate-tag")
    assert response.status_code == 409
    assert "could not be saved" in response.get_data(as_text=True)


def test_a_value_the_database_cannot_hold_is_a_400_page(bare_app):
    response = bare_app.test_client().get("/test/unstorable")
    if bare_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "cannot be stored" in response.get_data(as_text=True)
