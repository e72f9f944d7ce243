"""Domain exceptions raised by services, and their mapping to HTTP error pages."""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from core.extensions import db
from core.i18n import lazy_gettext as _l

# PostgreSQL: serialization failure, deadlock, unique violation (two inserts raced).
CONTENTION_PG_CODES = {"40001", "40P01", "23505"}


class DomainError(Exception):
    """Base of the errors a service raises; `message` is shown to the user."""

    status = 400
    default_message = _l("This request cannot be completed.")

    def __init__(self, message=None, field=None):
        # A plain str: a lazy string counts as safe HTML in Jinja, and messages may quote
        # what the user typed.
        self.message = str(message or self.default_message)
        super().__init__(self.message)
        self.field = field


class NotFound(DomainError):
    status = 404
    default_message = _l("This page does not exist or is no longer available.")


class Forbidden(DomainError):
    status = 403
    default_message = _l("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409
    default_message = _l("This conflicts with the current state; reload the page and try again.")


class InvalidInput(DomainError):
    status = 400
    default_message = _l("Some of what you entered is not valid.")


class Contention(Conflict):
    """Other writers kept winning the race after every retry (core.transactions); nothing of
    this change was saved."""

    default_message = _l("Many people are saving the same thing at this moment and your change "
                         "could not be saved. Send it again in a moment.")


def is_contention(error):
    """True for a database error that another writer caused (a unique key taken meanwhile, a
    serialization failure, a deadlock, a locked SQLite file, a row another transaction changed
    or removed between our read and our write): trying again may succeed."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, (IntegrityError, OperationalError)):
        return False
    orig = getattr(error, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in CONTENTION_PG_CODES:
        return True
    message = str(orig).lower()
    # SQLite: a reader that became a writer after another commit is refused at once.
    return "database is locked" in message or "unique constraint failed" in message


def _render(status, message=None):
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app):
    """Register friendly error pages for HTTP and domain errors."""

    @app.errorhandler(DomainError)
    def domain_error(error):
        status = error.status if error.status in (400, 403, 404, 409) else 400
        return _render(status, error.message)

    @app.errorhandler(IntegrityError)
    @app.errorhandler(OperationalError)
    @app.errorhandler(StaleDataError)
    def database_conflict(error):
        # Services retry these (core.transactions); one that escapes a service that does not
        # is still another writer's doing, not a fault of the page: say so, never a 500.
        if not is_contention(error):
            raise error
        db.session.rollback()
        return _render(409, Contention().message)

    @app.errorhandler(DataError)
    def unstorable_value(error):
        # A value the database cannot hold (a number out of range, a NUL byte) that slipped
        # past the forms and URL converters: the request is at fault, not the server.
        db.session.rollback()
        return _render(400, _("Some of what you sent cannot be stored. Go back, check it and "
                              "send it again."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, _("Your form expired or was sent from another site. "
                              "Go back, reload the page and send it again."))

    for status in (400, 403, 404, 405, 409, 413, 414, 429, 500):
        app.register_error_handler(status, lambda error, status=status: _render(status))

