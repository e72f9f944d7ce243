"""The schema comes from migrations: `db upgrade` on an empty database builds exactly the models."""
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from core import create_app
from core.extensions import db
from search_index.pg_backend import include_object
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
