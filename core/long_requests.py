"""Addresses too long for the server: a page of the site saying so, never a bare error.

A query pasted into the address bar, or a search link built by another site, can make a
request line of thousands of characters. The search reads only its first characters
(search_index.query.MAX_QUERY) and says so; beyond MAX_LINE characters the application answers
a 414 page in the site's layout, with a way back to search. Longer still, the server refuses
the line before the application sees it: gunicorn (gunicorn.conf.py raises its limit to the
highest it allows, 8,190) then hands the refusal to `install`, which writes the same page
instead of gunicorn's own "Bad Request"/"URI Too Long" text. The Flask development server
passes lines up to 65,536 characters to the application, so the 414 page covers it too.
"""
import logging
import socket
import time

from flask import abort, request
from werkzeug.test import EnvironBuilder, run_wsgi_app

# Below gunicorn's highest limit (8,190), so that the application answers first.
MAX_LINE = 8000
# Set in the environ of the request `install` makes up for a line the server refused.
REFUSED = "carnets.request_line_refused"
# At most this much of the refused request is read (and thrown away) after the page is sent.
DRAIN_BYTES = 65536
# ... and for at most this long: a client sending a byte at a time must not hold the worker.
DRAIN_SECONDS = 1.0
log = logging.getLogger(__name__)


def _too_long():
    line = request.environ.get("RAW_URI") or request.full_path
    if request.environ.get(REFUSED) or len(line) > MAX_LINE:
        abort(414)


def init_app(app):
    """Answer 414 for an address longer than MAX_LINE, before any other work."""
    app.before_request(_too_long)


def refused_page(app):
    """The raw HTTP response (bytes) of the 414 page, in the site's default language (gunicorn
    has not read the request's headers, its language among them, when it refuses the line)."""
    environ = EnvironBuilder().get_environ()
    environ[REFUSED] = True
    body_parts, status, response_headers = run_wsgi_app(app, environ)
    try:
        body = b"".join(body_parts)
    finally:
        getattr(body_parts, "close", lambda: None)()
    kept = [(name, value) for name, value in response_headers.items()
            if name.lower() not in ("content-length", "connection", "set-cookie",
                                    "content-encoding", "transfer-encoding")]
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in kept),
             f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


def install(worker):
    """Have this gunicorn worker answer a request line it refuses with the 414 page."""
    from gunicorn.http.errors import LimitRequestLine

    original = worker.handle_error

    def handle_error(req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return original(req, client, addr, exc)
        try:
            page = refused_page(worker.wsgi)
        except Exception:  # noqa: BLE001 — gunicorn's own answer rather than none
            log.exception("the page for a refused request line could not be made")
            return original(req, client, addr, exc)
        try:
            client.setblocking(True)
            client.sendall(page)
            # Read what the client still sends (the rest of its headers) before closing:
            # closing with unread data resets the connection and may lose the page.
            client.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + DRAIN_SECONDS
            left = DRAIN_BYTES
            while left > 0 and (remaining := deadline - time.monotonic()) > 0:
                client.settimeout(min(0.5, remaining))
                chunk = client.recv(65536)
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:  # the client is gone, or sends on and on: the page went or never will
            log.debug("the page for a refused request line could not be sent", exc_info=True)
        worker.log.warning("Request line too long from ip=%s", (addr or ("",))[0])
        return None

    worker.handle_error = handle_error
