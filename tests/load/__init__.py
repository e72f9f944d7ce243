"""Load and multi-server tests: the real app under gunicorn, driven over HTTP by many threads.

Helpers shared by the modules of this package: a scratch PostgreSQL database, an HTTP visitor
(one `requests` session, like one browser), a way to release many requests at the same moment,
and readers of the question page. Traffic goes to 127.0.0.1 only.
"""
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import CSRF_RE, postgres_or_skip

PASSWORD = "load-password-1"
TIMEOUT = 60
# English pages, whatever the default locale: the assertions read English headings.
HEADERS = {"Accept-Language": "en"}
QUESTION_BODY = ("A boy of 14 sleeps near the bus station and comes to the drop-in centre "
                 "only when it rains. How do other teams keep the contact going?")
ANSWER_ID_RE = re.compile(r'<article class="answer[^"]*" id="answer-(\d+)"')
SCORE_RE = re.compile(r'<span class="score"[^>]*><bdi>(-?\d+)</bdi></span>')
LOCATION_ID_RE = re.compile(r"/questions/(\d+)")


@contextmanager
def scratch_postgres():
    """A brand-new PostgreSQL database named carnets_load_…, dropped afterwards (even if
    servers still hold connections). Skips, or fails under CARNETS_REQUIRE_POSTGRES=1, when
    CARNETS_TEST_POSTGRES_URL is not set."""
    url = make_url(postgres_or_skip())
    name = f"carnets_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Visitor:
    """One browser: a `requests` session with its own cookies, talking to one base URL.
    Redirects are not followed, so that tests see the 302 of every successful form."""

    def __init__(self, base_url, name=None):
        self.base = base_url
        self.name = name
        self.session = requests.Session()
        self.session.headers.update(HEADERS)

    def get(self, path, **kwargs):
        return self.session.get(self.base + path, timeout=TIMEOUT, allow_redirects=False,
                                **kwargs)

    def post(self, path, data, **kwargs):
        return self.session.post(self.base + path, data=data, timeout=TIMEOUT,
                                 allow_redirects=False, **kwargs)

    def csrf(self, path="/auth/login"):
        """A CSRF token of this session, scraped from a page's form."""
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        match = CSRF_RE.search(response.text)
        assert match, f"no csrf_token in {path}"
        return match.group(1)

    def post_form(self, path, data, token=None):
        return self.post(path, dict(data, csrf_token=token or self.csrf()))

    def register_form(self, username, password=PASSWORD):
        """The registration fields with a fresh token (GET /auth/register), ready to post."""
        return {"username": username, "email": f"{username}@example.org", "password": password,
                "confirm": password, "csrf_token": self.csrf("/auth/register")}

    def register(self, username, password=PASSWORD):
        response = self.post("/auth/register", self.register_form(username, password))
        assert response.status_code == 302, (username, response.status_code, response.text[:500])
        self.name = username
        return response

    def login(self, username, password=PASSWORD):
        response = self.post_form("/auth/login", {"username": username, "password": password})
        assert response.status_code == 302, (username, response.status_code, response.text[:500])
        self.name = username
        return response

    def ask(self, title, body=QUESTION_BODY, tags="street-outreach trust"):
        """Ask a question; returns its id (from the redirect to its page)."""
        # similar_checked: the list of similar threads shown before posting is not what the
        # load tests measure.
        response = self.post_form("/questions/ask", {"title": title, "body": body,
                                                     "tags": tags, "lang": "en",
                                                     "similar_checked": "1"},
                                  token=self.csrf("/questions/ask"))
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return int(LOCATION_ID_RE.search(response.headers["Location"]).group(1))

    def answer(self, question_id, body):
        """Answer a question; returns the new answer's id (from the redirect's anchor)."""
        response = self.post_form(f"/questions/{question_id}/answers", {"body": body},
                                  token=self.csrf(f"/questions/{question_id}"))
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return answer_id_from(response)

    def close(self):
        self.session.close()


def answer_id_from(response):
    return int(re.search(r"#answer-(\d+)$", response.headers["Location"]).group(1))


def unique(prefix):
    # Letters only: eight random digits read as a Malian phone number, and the
    # confidentiality guard would then hold the post back (1.6 % of runs).
    letters = uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"{prefix}_{letters}"


def in_parallel(functions, workers=None):
    """Call each function in its own thread; returns their results in order (re-raises the
    first exception)."""
    with ThreadPoolExecutor(workers or len(functions)) as pool:
        futures = [pool.submit(function) for function in functions]
        return [future.result() for future in futures]


def at_once(functions):
    """Like `in_parallel`, but every thread waits at a barrier first, so that all requests
    leave together instead of one after the other."""
    barrier = threading.Barrier(len(functions))

    def released(function):
        def run():
            barrier.wait(timeout=60)
            return function()
        return run

    return in_parallel([released(function) for function in functions])


def answer_ids(page):
    """Ids of the answer articles of a question page, in page order."""
    return [int(value) for value in ANSWER_ID_RE.findall(page)]


def question_score(page):
    """The score shown for the question (the first score on its page)."""
    return int(SCORE_RE.search(page).group(1))


def answer_score(page, answer_id):
    """The score shown in the answer's article."""
    start = page.index(f'id="answer-{answer_id}"')
    return int(SCORE_RE.search(page, start).group(1))


def signed_in_as(page, username):
    """Whether the page's account menu names this user (their profile link and sign-out)."""
    account = page[page.index('<nav class="account"'):]
    account = account[:account.index("</nav>")]
    return f'href="/users/{username}"' in account and 'action="/auth/logout"' in account
