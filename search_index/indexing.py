"""Getting changes into the index without ever losing one.

A service that changes searchable content calls `enqueue` inside its transaction: the queue
row commits or rolls back with the change. After the commit the queue is drained (here, in the
same process) into the engine; if the process dies first, the row waits for the next drain —
the next write anywhere, the next search, or `flask search sync`. Draining takes the engine's
single writer, reads the queue and the rows it names only then, and marks the queue rows done
after the engine committed, so whichever order processes drain in, the last one to write a
document wrote its latest committed state.

A document the engine refuses must not hold up the others (one Khmer post once stopped all
indexing): a batch that fails is written again in halves until each bad document stands
alone; its rows count an attempt, keep the error and wait (1, 2, 4, 8 minutes), then, after
MAX_ATTEMPTS, wait for `flask search sync` or a rebuild.
"""
import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from core.extensions import db
from core.timeutil import utcnow
from search_index import registry
from search_index.analysis import spelling_terms
from search_index.backend import Busy
from search_index.documents import make_key, split_key
from search_index.models import SearchQueue
from search_index.providers import load_documents

log = logging.getLogger(__name__)
BATCH = 500
_PENDING = "carnets_search_pending"
_DEFERRED = "carnets_search_deferred"
KEEP_DONE = timedelta(days=1)
REPLAY_MARGIN = timedelta(minutes=1)
# A document the engine refuses is tried again after 1, 2, 4, 8 minutes, then waits for
# `flask search sync` (which tries every failing one) or `flask search rebuild`.
MAX_ATTEMPTS = 5
RETRY_FIRST = timedelta(minutes=1)
RETRY_LAST = timedelta(hours=1)


def enqueue(kind, target_id):
    """Queue (re)indexing of one document in the current transaction."""
    db.session.add(SearchQueue(kind=kind, target_id=target_id, queued_at=utcnow()))
    db.session.info[_PENDING] = True


def _after_commit(session):
    if session.info.get(_DEFERRED):
        return
    if session.info.pop(_PENDING, None):
        try:
            drain(wait=False)
        except Exception:  # noqa: BLE001 — the change is committed; the queue keeps the job
            log.exception("search index update postponed: the queue keeps it")


def _after_rollback(session, _previous):
    session.info.pop(_PENDING, None)


@contextlib.contextmanager
def deferred():
    """Queue changes without indexing after each commit, then index them all at once.

    For bulk loads (the demo content): Whoosh writes a segment per drain, and hundreds of
    small commits each merging segments took minutes instead of seconds.
    """
    db.session.info[_DEFERRED] = True
    try:
        yield
    finally:
        db.session.info.pop(_DEFERRED, None)
        db.session.info.pop(_PENDING, None)
    drain()


def listen():
    """Drain after every commit that queued something (idempotent)."""
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", _after_commit):
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_soft_rollback", _after_rollback)


def has_pending(session=None):
    """True when some queued change is due for the index (failing ones wait their turn)."""
    session = session or db.session
    return session.scalar(select(SearchQueue.id).where(_due(utcnow(), False, ()))
                          .limit(1)) is not None


def with_concepts(document, concepts):
    """`document` with the ids of the thesaurus concepts it names (see thesaurus.py)."""
    document.concepts = concepts.concepts_of(document)
    return document


def write_documents(session, writer, keys_by_kind):
    """Put the current state of the named documents into `writer` (or remove them)."""
    providers = registry.state().providers
    concepts = registry.state().thesaurus.get()
    for kind, ids in keys_by_kind.items():
        provider = providers.get(kind)
        documents = load_documents(session, provider, sorted(ids)) if provider else {}
        for ident in ids:
            document = documents.get(ident)
            if document is None:
                writer.remove(make_key(kind, ident))
            else:
                writer.put(with_concepts(document, concepts))


def _key_groups(keys):
    """{kind: {id}} of (kind, id) pairs."""
    groups = defaultdict(set)
    for kind, target_id in keys:
        groups[kind].add(target_id)
    return groups


def _due(now, retry, tried):
    """Queue rows a drain takes: due ones, or with `retry` every failing one too, never
    those that failed during this very drain (`tried`)."""
    condition = SearchQueue.done_at.is_(None)
    if not retry:
        condition &= (SearchQueue.attempts < MAX_ATTEMPTS) & (
            SearchQueue.retry_at.is_(None) | (SearchQueue.retry_at <= now))
    if tried:
        condition &= SearchQueue.id.not_in(tried)
    return condition


def _select(session, retry, tried):
    """{(kind, id): [queue row ids]} of one batch: due rows, with every other waiting row of
    the same documents (the write that follows indexes their latest state too)."""
    rows = session.execute(select(SearchQueue.kind, SearchQueue.target_id)
                           .where(_due(utcnow(), retry, tried))
                           .order_by(SearchQueue.id).limit(BATCH)).all()
    selected = defaultdict(list)
    for kind, ids in _key_groups(rows).items():
        for row_id, target_id in session.execute(
                select(SearchQueue.id, SearchQueue.target_id).where(
                    SearchQueue.done_at.is_(None), SearchQueue.kind == kind,
                    SearchQueue.target_id.in_(ids))):
            selected[(kind, target_id)].append(row_id)
    return dict(selected)


def _write(engine, wait, keys):
    with registry.backend().batch(wait=wait) as writer, Session(engine) as session:
        write_documents(session, writer, _key_groups(keys))


def _write_apart(engine, wait, keys, error):
    """Write `keys`, whose batch failed with `error`, in halves until each failing document
    stands alone: returns {key: error} of those. A few bad documents cost a few batches."""
    if len(keys) == 1:
        return {keys[0]: error}
    failures = {}
    middle = len(keys) // 2
    for half in (keys[:middle], keys[middle:]):
        try:
            _write(engine, wait, half)
        except Busy:
            raise
        except Exception as half_error:  # noqa: BLE001 — narrowed down to the documents
            failures |= _write_apart(engine, wait, half, half_error)
    return failures


def describe(error):
    """One line saying why a document could not be indexed (no SQL, no parameters)."""
    message = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"{type(error).__name__}: {message[0] if message else ''}"[:500]


def _retry_delay(attempts):
    return min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_LAST)


def _record_failures(engine, failures, during="indexing"):
    """Count an attempt on the waiting rows of each failed document ({(kind, id): error}),
    with why and when to try again (a row is added if it has none), and log it."""
    now = utcnow()
    with Session(engine) as session:
        for (kind, target_id), error in failures.items():
            rows = session.scalars(select(SearchQueue).where(
                SearchQueue.done_at.is_(None), SearchQueue.kind == kind,
                SearchQueue.target_id == target_id)).all()
            if not rows:
                rows = [SearchQueue(kind=kind, target_id=target_id, queued_at=now)]
                session.add(rows[0])
            for row in rows:
                row.attempts = (row.attempts or 0) + 1
                row.last_error = describe(error)
                row.retry_at = now + _retry_delay(row.attempts)
            attempts = max(row.attempts for row in rows)
            log.error("search index: %s could not be indexed (%s, attempt %s%s): %s",
                      make_key(kind, target_id), during, attempts,
                      ", waiting for `flask search sync`" if attempts >= MAX_ATTEMPTS else "",
                      describe(error))
        session.commit()


def _mark_done(engine, row_ids):
    if row_ids:
        with Session(engine) as session:
            session.execute(update(SearchQueue).where(SearchQueue.id.in_(row_ids))
                            .values(done_at=utcnow()))
            session.commit()


def _drain_once(engine, wait, retry, tried):
    """Index one batch of queued changes: (queue rows handled, {failed key: its row ids}).

    The queue is read under the engine's writer, and the documents after it, so that the
    last process to write a document wrote its latest committed state. A batch the engine
    refuses is written again in parts, so that one bad document fails alone.
    """
    selected = {}
    try:
        with registry.backend().batch(wait=wait) as writer, Session(engine) as session:
            selected = _select(session, retry, tried)
            write_documents(session, writer, _key_groups(selected))
    except Busy:
        raise
    except Exception as error:  # noqa: BLE001 — isolated below, recorded and logged
        if not selected:
            raise
        failures = _write_apart(engine, wait, sorted(selected), error)
    else:
        failures = {}
    _mark_done(engine, [row for key, rows in selected.items() if key not in failures
                        for row in rows])
    if failures:
        _record_failures(engine, failures)
    return sum(len(rows) for rows in selected.values()), {
        key: selected[key] for key in failures}


@dataclass
class Drained:
    """What a drain did: queue rows indexed, and documents that failed."""

    indexed: int = 0
    failed: int = 0


def drain(wait=True, retry=False):
    """Bring the index up to date with the queue; returns a `Drained`.

    With wait=False, give up at once when another process holds the writer: that process
    looks at the queue again after releasing it, so the change is not left behind. With
    retry, documents waiting after failures are tried again now (`flask search sync`).
    """
    engine = db.engine
    done = Drained()
    tried = set()
    while True:
        try:
            handled, failed = _drain_once(engine, wait, retry, tried)
        except Busy:
            return done
        failed_rows = {row for rows in failed.values() for row in rows}
        tried |= failed_rows
        done.indexed += handled - len(failed_rows)
        done.failed += len(failed)
        if handled < BATCH:
            with Session(engine) as session:
                if not session.scalar(select(SearchQueue.id).where(
                        _due(utcnow(), retry, tried)).limit(1)):
                    return done
            wait = False


def queue_stats(session=None):
    """{"pending": queue rows waiting, "failing": documents the engine refused so far}."""
    session = session or db.session
    waiting = SearchQueue.done_at.is_(None)
    pending = session.scalar(select(func.count()).select_from(SearchQueue).where(waiting))
    failing = session.scalar(select(func.count()).select_from(
        select(SearchQueue.kind, SearchQueue.target_id).where(
            waiting, SearchQueue.attempts > 0).distinct().subquery()))
    return {"pending": pending, "failing": failing}


def has_failures(session=None):
    """True when some document could not be indexed and waits for another try."""
    session = session or db.session
    return session.scalar(select(SearchQueue.id).where(
        SearchQueue.done_at.is_(None), SearchQueue.attempts > 0).limit(1)) is not None


def purge_done(older_than=KEEP_DONE):
    """Delete queue rows indexed more than `older_than` ago; returns how many."""
    with Session(db.engine) as session:
        result = session.execute(SearchQueue.__table__.delete().where(
            SearchQueue.done_at < utcnow() - older_than))
        session.commit()
        return result.rowcount


def _load_apart(session, provider, ids, failed):
    """{id: document} of `ids`, loaded one by one after their batch failed to load."""
    documents = {}
    for ident in ids:
        try:
            documents |= load_documents(session, provider, [ident])
        except Exception as error:  # noqa: BLE001 — reported, the others are loaded
            session.rollback()
            failed(make_key(provider.kind, ident), error)
    return documents


def all_documents(session, batch=BATCH, failed=None):
    """Every document of every provider, loaded a batch at a time.

    `failed(key, error)` is told of a document its provider could not load; without it, the
    error propagates.
    """
    concepts = registry.state().thesaurus.get()
    for provider in registry.state().providers.values():
        for ids in provider.batches(session, batch):
            try:
                documents = load_documents(session, provider, ids)
            except Exception:
                if failed is None:
                    raise
                session.rollback()
                documents = _load_apart(session, provider, ids, failed)
            yield from (with_concepts(documents[ident], concepts) for ident in ids
                        if ident in documents)
            session.expunge_all()


def count_documents(session):
    """How many documents a rebuild will write (for its progress bar)."""
    return sum(provider.count(session) for provider in registry.state().providers.values())


def _settle(engine, started, last, failures):
    """After a rebuild: the rows it made obsolete are done; a document it could not index
    counts one more attempt."""
    failed_keys = {split_key(key) for key in failures}
    with Session(engine) as session:
        for row in session.scalars(select(SearchQueue).where(
                SearchQueue.done_at.is_(None), SearchQueue.id <= last,
                SearchQueue.queued_at < started)):
            if (row.kind, row.target_id) not in failed_keys:
                row.done_at = utcnow()
        session.commit()
    _record_failures(engine, {split_key(key): error for key, error in failures.items()},
                    during="rebuild")


@dataclass
class Rebuilt:
    """What a rebuild did: documents indexed, and documents that failed."""

    indexed: int = 0
    failed: int = 0


def rebuild(progress=None):
    """Re-create the index from the database while the site serves; returns a `Rebuilt`.

    Changes committed while the new index is built are indexed into the old one by the
    other processes; they are replayed into the new one once it is live. A document the
    engine refuses is left out, logged and queued as failing; the others are all indexed.
    """
    engine = db.engine
    # Ids are not always committed in order: a change whose transaction was still open when
    # the rebuild began is caught by its time instead (no transaction lasts a minute here).
    started = utcnow() - REPLAY_MARGIN
    failures = {}

    def failed(key, error):
        failures[key] = error
        if progress:
            progress(1)

    with Session(engine) as session:
        last = session.scalar(select(func.max(SearchQueue.id))) or 0
        count = registry.backend().rebuild(all_documents(session, failed=failed), progress,
                                           failed=failed)
    _settle(engine, started, last, failures)
    with Session(engine) as session:
        later = session.execute(select(SearchQueue.kind, SearchQueue.target_id).where(
            (SearchQueue.id > last) | (SearchQueue.queued_at >= started))).all()
    # What failed was just tried: it waits for its next try like the rest.
    keys = sorted(set(later) - {split_key(key) for key in failures})
    if keys:
        try:
            _write(engine, True, keys)
        except Busy:
            raise
        except Exception as error:  # noqa: BLE001 — narrowed down, recorded
            _record_failures(engine, _write_apart(engine, True, keys, error), during="replay")
    return Rebuilt(indexed=count, failed=len(failures))


def forget(texts):
    """After a redaction committed: index the queued changes now, then have the engine drop
    the words of `texts` (the redacted text, held in memory only) that no live document
    holds any more, so that no suggestion and no index file keeps them. Never raises: the
    redaction is committed; a failure is logged, and corrections already offer only words
    that a live document holds."""
    words = {word for text in texts for word in spelling_terms(text or "").split()}
    try:
        drain(wait=True)
        registry.backend().forget(words)
    except Exception:  # noqa: BLE001 — the redaction is committed; a rebuild completes it
        log.exception("search index not purged after a redaction: run `flask search rebuild`")
