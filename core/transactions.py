"""Retrying a service's transaction when the database reports a transient conflict."""
import functools
import random
import time

from sqlalchemy.exc import IntegrityError, OperationalError

from core.extensions import db

ATTEMPTS = 8
# PostgreSQL: serialization failure, deadlock, unique violation (two inserts raced).
RETRYABLE_PG_CODES = {"40001", "40P01", "23505"}


class RaceLost(Exception):
    """Raised by a service whose conditional write found the row changed since it read it."""


def _retryable(error):
    orig = getattr(error, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in RETRYABLE_PG_CODES:
        return True
    message = str(orig).lower()
    # SQLite: a reader that became a writer after another commit is refused at once.
    return "database is locked" in message or "unique constraint failed" in message


def transactional(func):
    """Run `func` (which commits) again from the start when it lost a race with another writer."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(ATTEMPTS):
            try:
                return func(*args, **kwargs)
            except (OperationalError, IntegrityError, RaceLost) as error:
                db.session.rollback()
                if attempt == ATTEMPTS - 1 or not (isinstance(error, RaceLost)
                                                   or _retryable(error)):
                    raise
                time.sleep(random.uniform(0, 0.02 * 2 ** attempt))
        raise AssertionError("unreachable")

    return wrapper
