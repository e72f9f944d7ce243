"""The README's "Deployment on several servers", for real: two app servers (gunicorn, 2 workers
each, their own instance folders) on different ports, one PostgreSQL database migrated once,
rate limits counted in Redis, the same SECRET_KEY.

What one server writes the other shows at once, a session opened on one works on the other, and
a rate limit counts requests whichever server receives them. Skipped with the reason shown when
PostgreSQL (CARNETS_TEST_POSTGRES_URL) or Redis is missing; a failure instead under
CARNETS_REQUIRE_POSTGRES=1 or CARNETS_REQUIRE_REDIS=1.
"""
from contextlib import ExitStack

import pytest

from tests.conftest import REDIS_URL, postgres_or_skip, redis_or_skip
from tests.load import Visitor, answer_ids, scratch_postgres, signed_in_as, unique
from tests.servers import Server, flask, server_env

LOGIN_LIMIT = 20  # core/accounts/views.py: "20 per 15 minutes" on POST /auth/login
WRONG = "Unknown user name or wrong password."


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Servers A and B on one scratch PostgreSQL database and one Redis database."""
    with ExitStack() as stack:
        postgres_or_skip()  # checked first, so that its reason is the one shown
        store = redis_or_skip()
        stack.callback(store.close)
        database_url = stack.enter_context(scratch_postgres())
        store.flushdb()
        stack.callback(store.flushdb)
        folders = [tmp_path_factory.mktemp(f"multi-{name}") for name in "ab"]
        envs = [server_env(folder, database_url, REDIS_URL=REDIS_URL, RATELIMIT_ENABLED="true",
                           SECRET_KEY="multi-server-shared-secret", SEARCH_BACKEND="postgres")
                for folder in folders]
        flask(envs[0], "db", "upgrade")  # once, from one host
        servers = []
        for env, folder in zip(envs, folders):
            server = Server(env, workers=2, log=folder / "server.log")
            stack.callback(server.stop)
            servers.append(server)
        # Each host has its own instance folder: the shared key comes from the environment.
        assert not any((folder / "secret_key").exists() for folder in folders)
        yield {"a": servers[0].url, "b": servers[1].url, "redis": store}


@pytest.fixture
def visitors():
    """visitors(url): a new browser on that server; all closed after the test."""
    opened = []

    def factory(url):
        opened.append(Visitor(url))
        return opened[-1]

    yield factory
    for visitor in opened:
        visitor.close()


@pytest.fixture(scope="module")
def asker(cluster):
    """A member who registered through A, then signed in again through A in a new browser."""
    name = unique("asker")
    first = Visitor(cluster["a"])
    first.register(name)
    first.close()
    visitor = Visitor(cluster["a"])
    visitor.login(name)
    yield visitor
    visitor.close()


def test_question_asked_on_a_is_shown_on_b_at_once(cluster, asker, visitors):
    title = f"Where do children sleep when the shelter is full? {unique('q')}"
    question_id = asker.ask(title)
    reader = visitors(cluster["b"])
    page = reader.get(f"/questions/{question_id}")
    assert page.status_code == 200 and f'<h1 lang="en" dir="auto">{title}</h1>' in page.text
    listing = reader.get("/questions")
    assert listing.status_code == 200 and f'href="/questions/{question_id}/' in listing.text
    assert title in listing.text


def test_answer_posted_on_b_is_shown_on_a(cluster, asker, visitors):
    question_id = asker.ask(f"How do we talk with a girl who refuses the shelter? {unique('q')}")
    helper = visitors(cluster["b"])
    helper.register(unique("helper"))
    marker = unique("marker")
    answer_id = helper.answer(question_id, "Let her choose the place and the hour of the next "
                                           f"meeting; it gave her some control back. {marker}")
    page = visitors(cluster["a"]).get(f"/questions/{question_id}")
    assert page.status_code == 200
    assert answer_ids(page.text) == [answer_id] and marker in page.text
    assert '<h2 id="answers-title">1 answer</h2>' in page.text
    # The asker, signed in on A, sees it too, with the button to accept it.
    mine = asker.get(f"/questions/{question_id}").text
    assert marker in mine and f'action="/answers/{answer_id}/accept"' in mine


def test_session_opened_on_a_works_on_b(cluster, asker, visitors):
    """The signed cookie of a session opened on A is accepted by B, and so is a CSRF token
    of that session scraped from a page of A."""
    question_id = asker.ask(f"Which papers does a minor need for school enrolment? {unique('q')}")
    token = asker.csrf(f"/questions/{question_id}")
    on_b = visitors(cluster["b"])
    on_b.session.cookies.set("session", asker.session.cookies["session"])
    page = on_b.get("/")
    assert page.status_code == 200 and signed_in_as(page.text, asker.name)
    body = f"Answered on B with a session from A. {unique('c')}"
    response = on_b.post(f"/questions/{question_id}/comments",
                         {"body": body, "csrf_token": token})
    assert response.status_code == 302, response.text[:500]
    assert body in visitors(cluster["a"]).get(f"/questions/{question_id}").text
    # Without the cookie, B treats the same browser as a stranger.
    assert not signed_in_as(visitors(cluster["b"]).get("/").text, asker.name)


def test_login_limit_is_counted_across_servers(cluster, asker, visitors):
    """Failed sign-ins split between A and B add up in Redis: after 20 the next one is refused
    with 429 on either server (with per-process counters, neither server would refuse)."""
    cluster["redis"].flushdb()  # the other tests' sign-ins must not count here
    on = {name: visitors(cluster[name]) for name in "ab"}
    tokens = {name: visitor.csrf() for name, visitor in on.items()}

    def attempt(name):
        return on[name].post("/auth/login", {"username": asker.name, "password": "wrong-guess",
                                             "csrf_token": tokens[name]})

    for n in range(LOGIN_LIMIT):
        response = attempt("ab"[n % 2])
        assert response.status_code == 400 and WRONG in response.text, (n, response.status_code)
    assert cluster["redis"].dbsize() > 0, "the limiter stored nothing in Redis"
    for name in "ab":
        refused = attempt(name)
        assert refused.status_code == 429, (name, refused.status_code)
    # Even the right password is refused while the limit holds.
    right = on["b"].post("/auth/login", {"username": asker.name, "password": "load-password-1",
                                         "csrf_token": tokens["b"]})
    assert right.status_code == 429
    # Other pages are not limited.
    assert on["a"].get("/questions").status_code == 200


def test_search_on_b_finds_what_was_asked_on_a_and_forgets_what_was_deleted(cluster, asker,
                                                                           visitors):
    marker = unique("kolwezi").replace("_", "")
    question_id = asker.ask(f"Night outreach with the {marker} team: what to bring?")
    reader = visitors(cluster["b"])
    found = reader.get(f"/search?q={marker}")
    assert found.status_code == 200
    assert f'href="/questions/{question_id}/' in found.text and "1 result" in found.text
    # Deleted through A: gone from B's results at once (one index, in the shared database).
    deleted = asker.post_form(f"/questions/{question_id}/delete", {},
                              token=asker.csrf(f"/questions/{question_id}"))
    assert deleted.status_code == 302
    gone = reader.get(f"/search?q={marker}")
    assert gone.status_code == 200 and "0 results" in gone.text
    assert f"/questions/{question_id}/" not in gone.text
