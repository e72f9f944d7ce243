"""Fixtures of the core tests: separately configured applications and posting helpers."""
import re

import pytest

from core import create_app
from core.extensions import db, limiter
from tests.conftest import CsrfClient, test_config

QUESTION_ID_RE = re.compile(r"/questions/(\d+)")
BODY = "We meet a boy of fourteen each night near the station; he runs away when we approach."


@pytest.fixture
def separate_app(tmp_path):
    """Build an application of its own on a fresh SQLite file: separate_app(without=(), **extra).

    `without` names settings of tests.conftest.test_config to leave out (so that the
    application's own default applies); `extra` overrides settings. The schema is created.
    """
    built = []
    limiter_was_enabled = limiter.enabled

    def factory(without=(), **extra):
        folder = tmp_path / f"instance-{len(built)}"
        config = test_config(folder, f"sqlite:///{folder / 'app.sqlite'}", **extra)
        for key in without:
            config.pop(key)
        new_app = create_app(config)
        new_app.test_client_class = CsrfClient
        with new_app.app_context():
            db.create_all()
        built.append(new_app)
        return new_app

    yield factory
    for new_app in built:
        with new_app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
    # The Limiter object is shared by every application of the process and keeps the
    # `enabled` flag and the counters of the last one initialised: put them back.
    if limiter.enabled and limiter.initialized:
        limiter.reset()
    limiter.enabled = limiter_was_enabled


def question_id(response):
    """The id of the question a posting response redirects to."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(QUESTION_ID_RE.search(response.headers["Location"]).group(1))


@pytest.fixture
def ask():
    """Post a question through the form: ask(client, title=..., body=..., tags=..., lang=...)."""

    def do_ask(client, title="How do I build trust with a boy who runs away?", body=BODY,
               tags="trust first-contact", lang="en"):
        return client.post_form("/questions/ask",
                                {"title": title, "body": body, "tags": tags, "lang": lang})

    return do_ask
