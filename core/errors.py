"""Domain exceptions raised by services, and their mapping to HTTP error pages."""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from core.i18n import lazy_gettext as _l


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


def _render(status, message=None):
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app):
    """Register friendly error pages for HTTP and domain errors."""

    @app.errorhandler(DomainError)
    def domain_error(error):
        status = error.status if error.status in (400, 403, 404, 409) else 400
        return _render(status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, _("Your form expired or was sent from another site. "
                              "Go back, reload the page and send it again."))

    for status in (400, 403, 404, 405, 409, 413, 429, 500):
        app.register_error_handler(status, lambda error, status=status: _render(status))

