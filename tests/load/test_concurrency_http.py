"""Many people at the same moment, through a real server: gunicorn with 4 worker processes on a
freshly migrated database, driven over HTTP by many client threads.

Every test runs on SQLite and, when CARNETS_TEST_POSTGRES_URL is set, on a scratch PostgreSQL
database (skipped with the reason shown otherwise; a failure under CARNETS_REQUIRE_POSTGRES=1).
What is checked is what a user would notice: every vote counts, no answer or comment is lost,
and no request fails with a server error while others read and write.
"""
import itertools
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.load import (Visitor, answer_id_from, answer_ids, answer_score, at_once, in_parallel,
                        question_score, scratch_postgres, signed_in_as, unique)
from tests.servers import Server, flask, server_env

WORKERS = 4
CROWD = 50
MIXED_SECONDS = 8
MIXED_MAX_REQUESTS = 400  # per thread: the loops end on time or on this count, whichever first
ANSWER_TEXT = ("Come back at the same hour every evening and keep each promise small; "
               "the trust comes from that. Marker {marker}.")


@dataclass
class Site:
    """A running server, its database (for assertions) and its people."""

    url: str
    engine: object
    asker: Visitor
    answerer: Visitor
    crowd: list = field(default_factory=list)
    registrations: list = field(default_factory=list)

    def visitor(self):
        return Visitor(self.url)

    def scalar(self, sql, **params):
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def site(request, tmp_path_factory):
    """gunicorn (4 workers) on a migrated database; two users registered one after the other,
    then 50 more registered over HTTP all at the same moment."""
    folder = tmp_path_factory.mktemp(f"load-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            database_url = f"sqlite:///{folder / 'carnets.sqlite'}"
        else:
            database_url = stack.enter_context(scratch_postgres())
        env = server_env(folder, database_url)
        flask(env, "db", "upgrade")
        server = Server(env, workers=WORKERS, log=folder / "server.log")
        stack.callback(server.stop)
        engine = create_engine(database_url)
        stack.callback(engine.dispose)

        run = unique("r")  # user names stay unique even if the database were reused
        people = {"asker": Visitor(server.url), "answerer": Visitor(server.url)}
        people["asker"].register(f"asker_{run}")
        people["answerer"].register(f"answerer_{run}")
        crowd = [Visitor(server.url) for _ in range(CROWD)]
        for visitor in crowd:
            stack.callback(visitor.close)
        forms = in_parallel([lambda v=v, n=n: v.register_form(f"crowd{n:02d}_{run}")
                             for n, v in enumerate(crowd)], workers=10)
        responses = at_once([lambda v=v, f=f: v.post("/auth/register", f)
                             for v, f in zip(crowd, forms)])
        for visitor, form in zip(crowd, forms):
            visitor.name = form["username"]
        site = Site(server.url, engine, people["asker"], people["answerer"], crowd,
                    [(form["username"], response.status_code)
                     for form, response in zip(forms, responses)])
        for visitor in people.values():
            stack.callback(visitor.close)
        yield site


def test_fifty_registrations_at_once(site):
    """50 people registering at the same moment: every one gets an account and a session."""
    assert [status for _, status in site.registrations] == [302] * CROWD, site.registrations
    names = {name for name, _ in site.registrations}
    with site.engine.connect() as connection:
        rows = connection.execute(text('SELECT username FROM "user"')).scalars().all()
    assert len(rows) == CROWD + 2 and names <= set(rows)
    # Each session is signed in as its own user, whichever worker answers.
    pages = in_parallel([lambda v=v: v.get("/") for v in site.crowd], workers=10)
    assert all(page.status_code == 200 for page in pages)
    assert all(signed_in_as(page.text, visitor.name) for page, visitor in zip(pages, site.crowd))


def test_fifty_up_votes_at_once_all_count(site):
    """50 users vote up the same answer at the same moment: the score is exactly 50."""
    question_id = site.asker.ask("How do we keep in touch with a boy who moves every night?")
    answer_id = site.answerer.answer(question_id, ANSWER_TEXT.format(marker="votes"))
    tokens = in_parallel([lambda v=v: v.csrf(f"/questions/{question_id}") for v in site.crowd],
                         workers=10)

    responses = at_once([lambda v=v, t=t: v.post(f"/answers/{answer_id}/vote",
                                                 {"value": "up", "csrf_token": t})
                         for v, t in zip(site.crowd, tokens)])

    assert [r.status_code for r in responses] == [302] * CROWD, [r.text[:300] for r in responses
                                                                if r.status_code != 302][:3]
    page = site.visitor().get(f"/questions/{question_id}").text
    assert answer_score(page, answer_id) == CROWD
    assert site.scalar("SELECT score FROM answer WHERE id = :id", id=answer_id) == CROWD
    assert site.scalar("SELECT COUNT(*) FROM vote WHERE answer_id = :id AND value = 1",
                       id=answer_id) == CROWD
    assert site.scalar("SELECT COUNT(DISTINCT user_id) FROM vote WHERE answer_id = :id",
                       id=answer_id) == CROWD
    # Each voter sees their own vote pressed (whichever worker renders the page).
    mine = site.crowd[7].get(f"/questions/{question_id}").text
    article = mine[mine.index(f'id="answer-{answer_id}"'):]
    assert 'aria-pressed="true"' in article[:article.index("</article>")]


def test_twenty_answers_at_once_are_all_stored_and_listed(site):
    """20 users answer the same question at the same moment: 20 answers, none lost."""
    question_id = site.asker.ask("What do you say on the first evening with a new child?")
    writers = site.crowd[:20]
    tokens = in_parallel([lambda v=v: v.csrf(f"/questions/{question_id}") for v in writers],
                         workers=10)
    bodies = [ANSWER_TEXT.format(marker=f"answer-from-{v.name}") for v in writers]

    responses = at_once([lambda v=v, t=t, b=b: v.post(f"/questions/{question_id}/answers",
                                                      {"body": b, "csrf_token": t})
                         for v, t, b in zip(writers, tokens, bodies)])

    assert [r.status_code for r in responses] == [302] * 20
    posted = {answer_id_from(r) for r in responses}
    assert len(posted) == 20
    with site.engine.connect() as connection:
        stored = set(connection.execute(
            text("SELECT id FROM answer WHERE question_id = :q AND deleted_at IS NULL"),
            {"q": question_id}).scalars())
    assert stored == posted
    assert site.scalar("SELECT answer_count FROM question WHERE id = :id", id=question_id) == 20
    page = site.visitor().get(f"/questions/{question_id}")
    assert page.status_code == 200
    assert '<h2 id="answers-title">20 answers</h2>' in page.text
    assert set(answer_ids(page.text)) == posted and len(answer_ids(page.text)) == 20
    assert all(f"Marker answer-from-{v.name}." in page.text for v in writers)


def test_reads_mixed_with_writes_lose_nothing(site):
    """For a few seconds, readers load pages while others comment and vote: no server error,
    every comment that was accepted is shown, and every score matches the votes."""
    question_id = site.asker.ask("Which games work with children who do not speak our language?")
    answer_id = site.answerer.answer(question_id, ANSWER_TEXT.format(marker="mixed"))
    targets = {"question": f"/questions/{question_id}", "answer": f"/answers/{answer_id}"}
    readers = [site.visitor() for _ in range(4)] + site.crowd[20:22]  # anonymous and signed-in
    commenters = site.crowd[22:26]
    voters = site.crowd[26:30]
    tokens = {v.name: v.csrf(f"/questions/{question_id}") for v in commenters + voters}
    log = []  # (kind, path, status or exception name)
    accepted_comments = []
    clicks = {}  # (voter, target) -> number of accepted clicks on "up"
    lock = threading.Lock()
    deadline = time.monotonic() + MIXED_SECONDS

    def record(kind, path, send):
        try:
            status = send().status_code
        except requests.RequestException as error:
            status = type(error).__name__
        with lock:
            log.append((kind, path, status))
        return status

    def read(visitor):
        paths = itertools.cycle([f"/questions/{question_id}", "/questions", "/"])
        for _, path in zip(range(MIXED_MAX_REQUESTS), paths):
            if time.monotonic() > deadline:
                break
            record("read", path, lambda p=path: visitor.get(p))

    def comment(visitor):
        for n in range(MIXED_MAX_REQUESTS):
            if time.monotonic() > deadline:
                break
            target = "question" if n % 2 else "answer"
            body = f"Load comment {visitor.name} number {n}: we tried this too."
            path = targets[target] + "/comments"
            status = record("comment", path, lambda: visitor.post(
                path, {"body": body, "csrf_token": tokens[visitor.name]}))
            if status == 302:
                with lock:
                    accepted_comments.append(body)

    def vote(visitor):
        for n in range(MIXED_MAX_REQUESTS):
            if time.monotonic() > deadline:
                break
            target = "question" if n % 2 else "answer"
            path = targets[target] + "/vote"
            status = record("vote", path, lambda: visitor.post(
                path, {"value": "up", "csrf_token": tokens[visitor.name]}))
            if status == 302:
                with lock:
                    clicks[visitor.name, target] = clicks.get((visitor.name, target), 0) + 1

    in_parallel([lambda v=v: read(v) for v in readers]
                + [lambda v=v: comment(v) for v in commenters]
                + [lambda v=v: vote(v) for v in voters])

    statuses = {}
    for kind, _, status in log:
        statuses.setdefault(kind, {}).setdefault(status, 0)
        statuses[kind][status] += 1
    server_errors = [entry for entry in log
                     if not isinstance(entry[2], int) or entry[2] >= 500]
    assert server_errors == [], statuses
    assert set(statuses["read"]) == {200}, statuses
    assert set(statuses["comment"]) == {302}, statuses
    assert set(statuses["vote"]) == {302}, statuses
    assert len(accepted_comments) >= 8, statuses  # the test did write, even on a slow machine

    # Nothing lost: every accepted comment is stored once and shown on the page.
    page = site.visitor().get(f"/questions/{question_id}").text
    missing = [body for body in accepted_comments if body not in page]
    assert missing == [], f"{len(missing)} of {len(accepted_comments)} comments not shown"
    assert site.scalar("SELECT COUNT(*) FROM comment WHERE thread_id = :q",
                       q=question_id) == len(accepted_comments)
    # Each "up" click toggles the voter's vote: an odd number of clicks leaves it up.
    expected = {target: sum(count % 2 for (_, t), count in clicks.items() if t == target)
                for target in targets}
    assert question_score(page) == expected["question"]
    assert answer_score(page, answer_id) == expected["answer"]
    for table, post_id in (("question", question_id), ("answer", answer_id)):
        score = site.scalar(f"SELECT score FROM {table} WHERE id = :id", id=post_id)
        votes = site.scalar(f"SELECT COALESCE(SUM(value), 0) FROM vote WHERE {table}_id = :id",
                            id=post_id)
        assert score == votes == expected[table], (table, score, votes, expected)


def test_twenty_questions_at_once_all_reach_the_search_index(site):
    """20 people ask at the same moment through 4 workers: the workers' index writes queue
    behind one another, none is lost, and every question is found by its own word."""
    writers = site.crowd[20:40]
    markers = [f"kestrel{n:02d}{unique('w')}".replace("-", "").replace("_", "").lower()
               for n in range(len(writers))]
    ids = at_once([lambda v=v, m=m: v.ask(f"Evening outreach with a new group, {m}",
                                          tags="street-outreach")
                   for v, m in zip(writers, markers)])
    assert len(set(ids)) == 20
    # The workers drain the queue themselves; no search is needed to finish it.
    deadline = time.monotonic() + 20
    while site.scalar("SELECT count(*) FROM search_queue WHERE done_at IS NULL") and (
            time.monotonic() < deadline):
        time.sleep(0.2)
    assert site.scalar("SELECT count(*) FROM search_queue WHERE done_at IS NULL") == 0
    pages = in_parallel([lambda m=m: site.visitor().get("/search", params={"q": m})
                         for m in markers], workers=10)
    for page, marker, question_id in zip(pages, markers, ids):
        assert page.status_code == 200
        assert f'href="/questions/{question_id}/' in page.text, marker
        assert "1 result" in page.text, marker
