"""The indexing queue: nothing is lost when a process dies after its commit, `flask search
sync` and `flask search rebuild` bring the index back in step."""
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from sqlalchemy import func, select

from core.extensions import db
from search_index import indexing, registry
from search_index.models import SearchQueue

ROOT = Path(__file__).resolve().parents[2]


def _pending(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SearchQueue).where(
            SearchQueue.done_at.is_(None)))


def _die_after_commit(app, username, title):
    """Ask a question in another process that dies between its commit and the index write."""
    config = {name: app.config[name] for name in (
        "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "SEARCH_BACKEND", "SEARCH_WHOOSH_DIR",
        "PASSWORD_HASH_METHOD")}
    config.update(INSTANCE_PATH=app.instance_path, RATELIMIT_ENABLED=False)
    script = textwrap.dedent(f"""
        import os
        from core import create_app
        from core.accounts.services import get_user_by_username
        from forum.services import questions
        from search_index import indexing

        def die(*args, **kwargs):
            os._exit(3)   # the process is killed: no cleanup, no index write

        indexing.drain = die
        app = create_app({config!r})
        with app.app_context():
            questions.ask_question(get_user_by_username({username!r}), {title!r},
                                   "Asked just before the server process was killed.",
                                   "crash", "en")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 3, result.stderr


def test_a_change_survives_the_process_dying_after_commit(app, make_user, find):
    author = make_user()
    _die_after_commit(app, author, "Question asked while the server crashed, albatross")
    assert _pending(app) == 1
    # The next search anywhere indexes what the dead process left in the queue.
    assert len(find("albatross")) == 1
    assert _pending(app) == 0


def test_search_sync_indexes_what_was_left(app, make_user):
    author = make_user()
    _die_after_commit(app, author, "Another question asked during a crash, pelican")
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert "1 queued changes indexed" in result.output
    assert _pending(app) == 0
    with app.test_request_context():
        from search_index import service
        assert service.search("pelican").total == 1


def test_rebuild_recreates_the_index_from_the_database(app, seed, make_user, find):
    author = make_user()
    ids = [seed.question(author, f"Rebuilt question number {n} about night shelters")
           for n in range(5)]
    with app.app_context():
        registry.backend().clear()
    assert find("shelters") == []
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "5 documents indexed" in result.output
    assert sorted(find("shelters")) == sorted(ids)


def test_changes_made_during_a_rebuild_are_not_lost(app, seed, make_user, find):
    author = make_user()
    first = seed.question(author, "A question indexed by the rebuild, heron")
    late = {}

    def documents_then_a_write(documents):
        # A write commits (and is indexed into the old index) while the new one is built.
        yield from documents
        late["id"] = seed.question(author, "A question asked during the rebuild, heron")

    with app.app_context():
        backend = registry.backend()
        original = backend.rebuild
        backend.rebuild = lambda docs, *args, **kwargs: original(
            documents_then_a_write(docs), *args, **kwargs)
        try:
            indexing.rebuild()
        finally:
            backend.rebuild = original
    assert sorted(find("heron")) == sorted([first, late["id"]])


def test_stats_command(app, seed, make_user):
    seed.question(make_user(), "A question for the statistics of the index")
    result = app.test_cli_runner().invoke(args=["search", "stats"])
    assert result.exit_code == 0 and "documents: 1" in result.output


def test_an_index_from_an_older_release_is_rebuilt_by_make_run(app, seed, make_user, find):
    """`make run` calls `search rebuild --if-outdated`: an index whose fields an older release
    chose keeps accepting posts meanwhile, and `search stats` says what to do."""
    if app.config["SEARCH_BACKEND"] != "whoosh":
        pytest.skip("PostgreSQL's search tables are made by migrations, never left outdated")
    from whoosh import fields, index as whoosh_index

    with app.app_context():
        backend = registry.backend()
        old = backend.folder / "index-older-release"
        old.mkdir()
        whoosh_index.create_in(str(old), fields.Schema(
            key=fields.ID(unique=True, stored=True), title=fields.TEXT(), body=fields.TEXT()))
        backend._point_to(old.name)
    try:
        question = seed.question(make_user(), "Posted while the index is outdated, ibis")
        runner = app.test_cli_runner()
        assert "outdated" in runner.invoke(args=["search", "stats"]).output
        result = runner.invoke(args=["search", "rebuild", "--if-outdated"])
        assert result.exit_code == 0 and "1 documents indexed" in result.output
        assert find("ibis") == [question]
        again = runner.invoke(args=["search", "rebuild", "--if-outdated"])
        assert again.exit_code == 0 and again.output == ""
        assert "schema: current" in runner.invoke(args=["search", "stats"]).output
    finally:
        with app.app_context():
            registry.backend().rebuild([])


def test_a_search_never_waits_for_another_writer(app, seed, make_user, find):
    """A search indexes what waits in the queue only when the writer is free: while another
    process holds it (for a minute here), the search answers at once with what the index has,
    and the next one catches up."""
    author = make_user()
    indexed = seed.question(author, "Indexed before the long write, osprey")
    held, release = threading.Event(), threading.Event()

    def hold_the_writer():
        with app.app_context(), registry.backend().batch():
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold_the_writer)
    holder.start()
    try:
        assert held.wait(10)
        # Committed, but its own indexing gives up at once: the writer is taken.
        waiting = seed.question(author, "Asked while another process writes, osprey")
        assert _pending(app) == 1
        started = time.monotonic()
        found = find("osprey")
        assert time.monotonic() - started < 5
        assert found == [indexed]
    finally:
        release.set()
        holder.join()
    assert sorted(find("osprey")) == sorted([indexed, waiting])
