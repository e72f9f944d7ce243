"""Fixtures: one application per database backend, a clean database for every test,
a test client that sends CSRF tokens like a browser, and user factories.

Every test that takes `app` runs on SQLite and, when CARNETS_TEST_POSTGRES_URL points to an
empty PostgreSQL database, on PostgreSQL too (CARNETS_REQUIRE_POSTGRES=1 makes that mandatory).
"""
import os
import re

import pytest
import redis
from flask.testing import FlaskClient
from sqlalchemy import text

from core import create_app
from core.accounts import services as accounts
from core.extensions import cache, db
from search_index import registry as search_registry

POSTGRES_URL = os.environ.get("CARNETS_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("CARNETS_REQUIRE_POSTGRES") == "1"
REDIS_URL = os.environ.get("CARNETS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_REDIS = os.environ.get("CARNETS_REQUIRE_REDIS") == "1"
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_config(instance_path, database_url, **extra):
    """Settings of a test application: fast password hashing, no rate limits, English."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_ENABLED": False,
        # Tests read the English source text unless they choose a language.
        "BABEL_DEFAULT_LOCALE": "en",
    }
    config.update(extra)
    return config


test_config.__test__ = False  # a helper, not a test, wherever it is imported


def postgres_or_skip():
    """The PostgreSQL URL, or a skip (a failure where CI requires PostgreSQL)."""
    if POSTGRES_URL:
        return POSTGRES_URL
    if REQUIRE_POSTGRES:
        pytest.fail("CARNETS_REQUIRE_POSTGRES=1 but CARNETS_TEST_POSTGRES_URL is not set")
    pytest.skip("PostgreSQL not configured: set CARNETS_TEST_POSTGRES_URL to run these tests")


def redis_or_skip():
    """A client of the test Redis database, or a skip (a failure under CARNETS_REQUIRE_REDIS=1)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        client.close()
        message = f"Redis not reachable at {REDIS_URL}: {error}"
        if REQUIRE_REDIS:
            pytest.fail(f"CARNETS_REQUIRE_REDIS=1 but {message}")
        pytest.skip(f"{message} (start redis-server to run these tests)")
    return client


class CsrfClient(FlaskClient):
    """A test client that fills `csrf_token` in posted forms, as the pages' forms do."""

    def csrf_token(self):
        page = self.get("/auth/login").get_data(as_text=True)
        return CSRF_RE.search(page).group(1)

    def post_form(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def page_value(self, url, name):
        """The value of the field or button `name` on the page at `url`, or None."""
        found = re.search(rf'name="{re.escape(name)}"[^>]*?value="([^"]*)"',
                          self.get(url).get_data(as_text=True))
        return found.group(1) if found else None

    def post_edit(self, url, data=None, **kwargs):
        """Post an edit form with the base revision its page gives, as a browser does."""
        data = dict(data or {})
        if "base_revision" not in data:
            base = self.page_value(url, "base_revision")
            if base is not None:
                data["base_revision"] = base
        return self.post_form(url, data, **kwargs)

    def post_decision(self, url, data=None, **kwargs):
        """Approve or return an article (`url` ends with the action) with the revision its
        page shows the reviewer; "0" when the page has no such button (a refused reviewer)."""
        data = dict(data or {})
        if "revision" not in data:
            data["revision"] = self.page_value(url.rsplit("/", 1)[0], "revision") or "0"
        return self.post_form(url, data, **kwargs)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend_app(request, tmp_path_factory):
    """One application per backend for the whole run, its schema created once."""
    folder = tmp_path_factory.mktemp(f"instance-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'test.sqlite'}"
    else:
        url = postgres_or_skip()
    app = create_app(test_config(folder, url))
    app.test_client_class = CsrfClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def _empty_tables():
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in reversed(tables):
            db.session.execute(table.delete())
        db.session.execute(text("PRAGMA foreign_keys=ON"))
    db.session.commit()


@pytest.fixture
def app(backend_app):
    """The backend's application with every table emptied."""
    with backend_app.app_context():
        _empty_tables()
        db.session.remove()
        # Ids start again at 1: pages cached by an earlier test would show its content,
        # and documents indexed by an earlier test would stand for other rows.
        cache.clear()
        search_registry.backend().clear()
    return backend_app


@pytest.fixture
def ctx(app):
    """An application context, for tests that call domain functions directly."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user (through the accounts service) and return its user name."""
    counter = {"n": 0}

    def factory(role="member", username=None, password=PASSWORD, **fields):
        counter["n"] += 1
        username = username or f"{role}{counter['n']}"
        with app.app_context():
            accounts.create_user(username, fields.pop("email", f"{username}@example.org"),
                                 password, role=role, **fields)
        return username

    return factory


@pytest.fixture
def login(app):
    """Sign a client in: login(client, username)."""

    def do_login(client, username, password=PASSWORD):
        response = client.post_form("/auth/login", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_login


@pytest.fixture
def user_client(app, make_user, login):
    """A signed-in member's client; its user name is `user_client.username`."""

    def factory(role="member", **fields):
        username = make_user(role, **fields)
        new_client = app.test_client()
        login(new_client, username)
        new_client.username = username
        return new_client

    return factory


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) for the whole run."""
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(app, smtp_server, monkeypatch):
    """The real SMTP server, emptied, with `app` sending through it."""
    smtp_server.clear()
    for key, value in smtp_server.config().items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_server
