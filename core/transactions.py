"""The one transaction policy of services: run again from the start when the database reports
a transient conflict with another writer, and say so clearly when it keeps happening."""
import functools
import random
import time

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import Contention, is_contention
from core.extensions import db

ATTEMPTS = 8
_DEPTH = "carnets.transactional"


class RaceLost(Exception):
    """Raised by a service whose conditional write found the row changed since it read it."""


def transactional(func):
    """Run `func` (a service that commits) again from the start when it lost a race with another
    writer; after the last attempt, raise Contention (a 409 page, or a message in the form).

    A transactional service called by another runs once: the outermost call owns the retries,
    since a rollback undoes the caller's work too.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        info = db.session.info
        if info.get(_DEPTH):
            return func(*args, **kwargs)
        info[_DEPTH] = True
        try:
            return _retrying(func, args, kwargs)
        finally:
            info.pop(_DEPTH, None)

    return wrapper


def _retrying(func, args, kwargs):
    for attempt in range(ATTEMPTS):
        try:
            return func(*args, **kwargs)
        except (OperationalError, IntegrityError, StaleDataError, RaceLost) as error:
            db.session.rollback()
            if not (isinstance(error, RaceLost) or is_contention(error)):
                raise
            if attempt == ATTEMPTS - 1:
                raise Contention() from error
            time.sleep(random.uniform(0, 0.02 * 2 ** attempt))
    raise AssertionError("unreachable")
