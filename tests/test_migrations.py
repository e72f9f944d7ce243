"""The schema comes from migrations: `db upgrade` on an empty database builds exactly the models."""
import uuid
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from core import create_app
from core.accounts.models import User
from core.extensions import db
from search_index.pg_schema import include_object
from tests.conftest import postgres_or_skip, test_config


def _differences(app):
    with app.app_context(), db.engine.connect() as connection:
        # The search engine's tables are SQL, not models (migrations/env.py leaves them out too).
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object})
        return compare_metadata(context, db.metadata)


def _check_round_trip(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"user", "question", "answer", "comment", "vote", "tag", "revision", "notebook",
            "module"} <= tables
    assert _differences(app) == [], "models and migrations disagree: run flask db migrate"
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
    assert _differences(app) == []


def test_sqlite_upgrade_builds_the_models(tmp_path):
    app = create_app(test_config(tmp_path, f"sqlite:///{tmp_path / 'fresh.sqlite'}"))
    _check_round_trip(app)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def scratch_postgres():
    """A brand-new PostgreSQL database, dropped afterwards."""
    url = make_url(postgres_or_skip())
    name = f"{url.database}_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgres_upgrade_builds_the_models(tmp_path, scratch_postgres):
    app = create_app(test_config(tmp_path, scratch_postgres))
    _check_round_trip(app)
    with app.app_context():
        db.engine.dispose()


# Notifications as revision 86f4e9c84346 wrote them: a title and a link, the question if any.
OLD_NOTIFICATION = text(
    "INSERT INTO notification (recipient_id, kind, title, url, question_id, created_at) "
    "VALUES (:recipient_id, :kind, :title, :url, :question_id, :created_at)")


def _check_old_notifications(app):
    """Notifications sent before they named a subject show the same titles and links after
    the upgrade (the moved article at its new address), and a downgrade writes them back."""
    from core.notifications import services as notifications
    from knowledge.services import editing
    from tests import factories

    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        asker, answerer = factories.user("member", "asker"), factories.user("member", "answerer")
        curator = factories.user("expert", "curator")
        question = factories.question(asker, title="Where can a boy sleep tonight in the city?")
        answer = factories.answer(answerer, question.id)
        article = editing.create_article(curator, editing.ArticleText(
            "Finding a bed for the night", "", factories.BODY, "shelter", "en"))
        # Readers are told of published articles only (a draft is withheld from them).
        article.status = "published"
        # Only the old notifications written below are the point here (the answer told
        # its asker).
        db.session.execute(text("DELETE FROM outbox_message"))
        db.session.execute(text("DELETE FROM notification"))
        db.session.commit()
        recipient_id, question_id, answer_id = answerer.id, question.id, answer.id
        article_id, slug = article.id, article.slug
        db.session.remove()
    assert runner.invoke(args=["db", "downgrade", "86f4e9c84346"]).exit_code == 0
    sent = [
        ("accepted", "Where can a boy sleep tonight in the city?",
         f"/questions/{question_id}#answer-{answer_id}", question_id),
        ("promoted", "Finding a bed for the night", f"/kb/articles/{slug}", None),
        # A link no article answers at any more: shown as it was.
        ("article_published", "An article since moved", "/kb/articles/moved-away", None),
    ]
    with app.app_context(), db.engine.begin() as connection:
        for minute, (kind, title, url, about) in enumerate(sent):
            connection.execute(OLD_NOTIFICATION, {
                "recipient_id": recipient_id, "kind": kind, "title": title, "url": url,
                "question_id": about, "created_at": datetime(2026, 11, 1, 9, minute)})

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.connect() as connection:
        rows = connection.execute(text("SELECT subject_type, subject_id, title, url "
                                       "FROM notification ORDER BY id")).all()
        # Found subjects say the title and link from now on.
        assert [tuple(row) for row in rows] == [
            ("answer", answer_id, None, None), ("article", article_id, None, None),
            (None, None, "An article since moved", "/kb/articles/moved-away")]
    with app.test_request_context():
        shown = notifications.recent(db.session.get(User, recipient_id))
        assert [(entry.kind, entry.title, entry.url, withheld) for entry, withheld in shown] \
            == [(kind, title, url, False) for kind, title, url, _about in reversed(sent)]
        db.session.remove()

    assert runner.invoke(args=["db", "downgrade", "86f4e9c84346"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT kind, title, url, question_id FROM notification ORDER BY id")).all()
        assert [tuple(row) for row in rows] == sent
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        db.engine.dispose()


def test_sqlite_upgrade_keeps_old_notifications(tmp_path):
    _check_old_notifications(
        create_app(test_config(tmp_path, f"sqlite:///{tmp_path / 'fresh.sqlite'}")))


def test_postgres_upgrade_keeps_old_notifications(tmp_path, scratch_postgres):
    _check_old_notifications(create_app(test_config(tmp_path, scratch_postgres)))


def test_a_model_change_without_migration_is_detected(tmp_path):
    """The check above can fail: a column added to the models shows up as a difference."""
    app = create_app(test_config(tmp_path, f"sqlite:///{tmp_path / 'fresh.sqlite'}"))
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        db.session.execute(text('ALTER TABLE "user" ADD COLUMN shoe_size INTEGER'))
        db.session.commit()
    assert any(diff[0] == "remove_column" for diff in _differences(app))
    with app.app_context():
        db.engine.dispose()


# The search table as revision b7e2c94d1a3f made it: text and vectors in one wide row.
WIDE_SEARCH_DOCUMENT = """
    CREATE TABLE search_document (
        key text NOT NULL, kind text NOT NULL, lang text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}', users text[] NOT NULL DEFAULT '{}',
        modules text[] NOT NULL DEFAULT '{}', accepted boolean NOT NULL DEFAULT false,
        answered boolean NOT NULL DEFAULT false, score integer NOT NULL DEFAULT 0,
        created timestamp NOT NULL, title text NOT NULL, text text NOT NULL,
        terms tsvector NOT NULL, spell text[] NOT NULL DEFAULT '{}',
        native tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED,
        title_terms tsvector GENERATED ALWAYS AS (ts_filter(terms, '{a}')) STORED,
        CONSTRAINT pk_search_document PRIMARY KEY (key));
    CREATE INDEX ix_search_document_terms ON search_document USING gin (terms);
    CREATE INDEX ix_search_document_title ON search_document USING gin (title_terms);
    CREATE INDEX ix_search_document_spell ON search_document USING gin (spell);
    CREATE TABLE search_word (word text NOT NULL, CONSTRAINT pk_search_word PRIMARY KEY (word));
    INSERT INTO search_document (key, kind, lang, created, title, text, terms, spell)
    VALUES ('question:7', 'question', 'fr', now(), 'Maraude du soir',
            'Les éducateurs partent à vingt heures.',
            '''maraud'':1A ''soir'':3A ''educateur'':6B', '{maraude,soir,educateurs}');
    INSERT INTO search_word VALUES ('maraude'), ('soir'), ('educateurs');
"""


def _search(app, words):
    from search_index import query, registry, service

    with app.test_request_context("/search"):
        plan = service.build_plan(query.parse(words, service._languages()))
        return registry.backend().search(plan)


def test_postgres_upgrade_keeps_an_index_built_before_the_content_split(
        tmp_path, scratch_postgres):
    """A database whose search rows predate search_content keeps them through the upgrade:
    still found, with their title and text, without a rebuild; the downgrade restores them."""
    app = create_app(test_config(tmp_path, scratch_postgres, SEARCH_BACKEND="postgres"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "4991dfabe41b"]).exit_code == 0
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch"))
        connection.exec_driver_sql(WIDE_SEARCH_DOCUMENT)
    assert runner.invoke(args=["db", "stamp", "b7e2c94d1a3f"]).exit_code == 0

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("search_document")}
    assert "text" not in columns and "terms" in columns
    page = _search(app, "maraudes")
    assert [(hit.key, hit.title) for hit in page.hits] == [("question:7", "Maraude du soir")]
    assert "vingt heures" in page.hits[0].text
    # The spelling words got their documents' language (e3c1a9d27f40): "did you mean" in
    # French finds them, in Spanish not.
    with app.app_context():
        from search_index import registry
        backend = registry.backend()
        assert backend.spelling_languages(["maraude"], ["fr", "es"]) == {"maraude": {"fr"}}
        assert backend.corrections(["marade"], ["fr", "es"]) == {"fr": {"marade": "maraude"}}
    assert runner.invoke(args=["db", "downgrade", "df92c7d84236"]).exit_code == 0
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("search_word")}
    assert columns == {"word"}

    assert runner.invoke(args=["db", "downgrade", "b7e2c94d1a3f"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        assert connection.scalar(text("SELECT text FROM search_document")) == \
            "Les éducateurs partent à vingt heures."
        assert connection.scalar(text("SELECT to_regclass('search_content')")) is None
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert [hit.key for hit in _search(app, "educateur").hits] == ["question:7"]
    with app.app_context():
        from search_index import registry
        registry.backend().close()
        db.engine.dispose()
