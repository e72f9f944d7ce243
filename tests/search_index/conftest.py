"""One application per search engine: Whoosh on SQLite (the embedded default) and the
PostgreSQL engine on PostgreSQL. Every test of this folder runs on both; the PostgreSQL one is
skipped with a reason where no PostgreSQL is configured, and mandatory in CI."""
import pytest

from core import create_app
from core.extensions import cache, db
from search_index import registry, service
from tests import factories
from tests.conftest import CsrfClient, _empty_tables, postgres_or_skip, test_config


@pytest.fixture(scope="session", params=["whoosh", "postgres"])
def search_backend_app(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"search-{request.param}")
    if request.param == "whoosh":
        url = f"sqlite:///{folder / 'test.sqlite'}"
    else:
        url = postgres_or_skip()
    app = create_app(test_config(folder, url, SEARCH_BACKEND=request.param,
                                 PAGE_CACHE_SECONDS=0))
    app.test_client_class = CsrfClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        create_schema = getattr(registry.backend(), "create_schema", None)
        if create_schema:
            create_schema()
    yield app
    with app.app_context():
        registry.backend().close()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def app(search_backend_app):
    """The engine's application with every table and the index emptied."""
    with search_backend_app.app_context():
        _empty_tables()
        db.session.remove()
        cache.clear()
        registry.backend().clear()
    return search_backend_app


@pytest.fixture
def client(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def seed(app):
    """Forum content created through the services (tests/factories.py), tagged "field"."""
    return factories.Seed(app, tags="field")


@pytest.fixture
def find(app):
    """find(query, **options) -> list of result question ids, in order (as a reader sees)."""

    def run(text, viewer=None, **options):
        with app.test_request_context():
            results = service.search(text, viewer=viewer, **options)
            run.last = results
            return [item.card.id for item in results.items]

    return run
