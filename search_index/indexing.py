"""Getting changes into the index without ever losing one.

A service that changes searchable content calls `enqueue` inside its transaction: the queue
row commits or rolls back with the change. After the commit the queue is drained (here, in the
same process) into the engine; if the process dies first, the row waits for the next drain —
the next write anywhere, the next search, or `flask search sync`. Draining takes the engine's
single writer, reads the queue and the rows it names only then, and marks the queue rows done
after the engine committed, so whichever order processes drain in, the last one to write a
document wrote its latest committed state.
"""
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from core.extensions import db
from core.timeutil import utcnow
from search_index import registry
from search_index.backend import Busy
from search_index.documents import make_key
from search_index.models import SearchQueue

log = logging.getLogger(__name__)
BATCH = 500
_PENDING = "carnets_search_pending"
_DEFERRED = "carnets_search_deferred"
KEEP_DONE = timedelta(days=1)
REPLAY_MARGIN = timedelta(minutes=1)


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
    """True when some queued change has not reached the index yet."""
    session = session or db.session
    return session.scalar(select(SearchQueue.id).where(SearchQueue.done_at.is_(None))
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
        documents = provider.load(session, sorted(ids)) if provider else {}
        for ident in ids:
            document = documents.get(ident)
            if document is None:
                writer.remove(make_key(kind, ident))
            else:
                writer.put(with_concepts(document, concepts))


def _drain_once(engine, wait):
    """Index one batch of queued changes; returns how many queue rows it handled."""
    with registry.backend().batch(wait=wait) as writer, Session(engine) as session:
        rows = session.execute(select(SearchQueue.id, SearchQueue.kind, SearchQueue.target_id)
                               .where(SearchQueue.done_at.is_(None))
                               .order_by(SearchQueue.id).limit(BATCH)).all()
        keys = defaultdict(set)
        for _id, kind, target_id in rows:
            keys[kind].add(target_id)
        write_documents(session, writer, keys)
    if rows:
        with Session(engine) as session:
            session.execute(update(SearchQueue).where(SearchQueue.id.in_([r.id for r in rows]))
                            .values(done_at=utcnow()))
            session.commit()
    return len(rows)


def drain(wait=True):
    """Bring the index up to date with the queue; returns how many changes were indexed.

    With wait=False, give up at once when another process holds the writer: that process
    looks at the queue again after releasing it, so the change is not left behind.
    """
    engine = db.engine
    total = 0
    while True:
        try:
            handled = _drain_once(engine, wait)
        except Busy:
            return total
        total += handled
        if handled < BATCH:
            with Session(engine) as session:
                if not has_pending(session):
                    return total
            wait = False


def purge_done(older_than=KEEP_DONE):
    """Delete queue rows indexed more than `older_than` ago; returns how many."""
    with Session(db.engine) as session:
        result = session.execute(SearchQueue.__table__.delete().where(
            SearchQueue.done_at < utcnow() - older_than))
        session.commit()
        return result.rowcount


def all_documents(session, batch=BATCH):
    """Every document of every provider, loaded a batch at a time."""
    concepts = registry.state().thesaurus.get()
    for provider in registry.state().providers.values():
        for ids in provider.batches(session, batch):
            documents = provider.load(session, ids)
            yield from (with_concepts(documents[ident], concepts) for ident in ids
                        if ident in documents)
            session.expunge_all()


def count_documents(session):
    """How many documents a rebuild will write (for its progress bar)."""
    return sum(provider.count(session) for provider in registry.state().providers.values())


def rebuild(progress=None):
    """Re-create the index from the database while the site serves; returns the count.

    Changes committed while the new index is built are indexed into the old one by the
    other processes; they are replayed into the new one once it is live.
    """
    engine = db.engine
    # Ids are not always committed in order: a change whose transaction was still open when
    # the rebuild began is caught by its time instead (no transaction lasts a minute here).
    started = utcnow() - REPLAY_MARGIN
    with Session(engine) as session:
        last = session.scalar(select(func.max(SearchQueue.id))) or 0
        count = registry.backend().rebuild(all_documents(session), progress)
    with Session(engine) as session:
        later = session.execute(select(SearchQueue.kind, SearchQueue.target_id).where(
            (SearchQueue.id > last) | (SearchQueue.queued_at >= started))).all()
    if later:
        keys = defaultdict(set)
        for kind, target_id in later:
            keys[kind].add(target_id)
        with registry.backend().batch() as writer, Session(engine) as session:
            write_documents(session, writer, keys)
    return count
