"""HTTP policies: security headers and cache validators on every page."""
from flask import Response, abort, current_app, g, request

from core import feeds
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

# img-src data: only for the empty favicon that spares phones a request for /favicon.ico.
# connect-src 'self': pages run no script, but auditors such as Lighthouse read /robots.txt
# from inside the page, and "unable to download a robots.txt file" costs the SEO score.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Crawlers read everything but the language switcher's links (redirects that set a cookie).
ROBOTS_TXT = "User-agent: *\nDisallow: /lang/\n"


_KEEP_NOWHERE = "carnets_keep_nowhere"


def keep_nowhere():
    """Have the current response stored by no cache, the browser's own included (its Back
    button then asks the server again): `Cache-Control: no-store`, whatever its status."""
    setattr(g, _KEEP_NOWHERE, True)


def keep_nowhere_when(app, test):
    """Have every response for which `test()` is true stored nowhere (a shared device's
    session, see core.accounts.devices)."""
    app.extensions.setdefault(_KEEP_NOWHERE, []).append(test)


def _kept_nowhere():
    return g.get(_KEEP_NOWHERE) or any(test() for test in current_app.extensions.get(
        _KEEP_NOWHERE, ()))


def robots_txt():
    return Response(ROBOTS_TXT, mimetype="text/plain")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        # Browsers that saw the site over HTTPS never try plain HTTP again for a year
        # (behind a proxy, request.is_secure needs TRUSTED_PROXIES).
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if _kept_nowhere():
        # No validator either: nothing is kept to be revalidated.
        response.headers["Cache-Control"] = "no-store"
        for name in ("ETag", "Last-Modified", "Expires"):
            response.headers.pop(name, None)
        return response
    if (request.method in ("GET", "HEAD") and response.status_code == 200
            and response.mimetype in ("text/html", feeds.MIMETYPE) and not response.is_streamed):
        # Pages differ by user and language: private caches only, revalidated each time with
        # the ETag, so a reader on a slow link gets "304 Not Modified" instead of the page.
        # Feeds too: a feed reader polling every hour mostly gets a 304, and a post hidden
        # a minute ago is never served from a cache between.
        response.headers["Cache-Control"] = "private, no-cache"
        response.vary.update(("Cookie", "Accept-Language"))
        response.add_etag()
        # The ETag alone decides: no page or feed sends Last-Modified, and Werkzeug would
        # otherwise weigh If-Modified-Since against the Date header (a reader sending a late
        # date would keep an entry that was redacted since).
        environ = {key: value for key, value in request.environ.items()
                   if key != "HTTP_IF_MODIFIED_SINCE"}
        response.make_conditional(environ)
    return response


def _without_nul():
    # PostgreSQL refuses a NUL in any text, so it never reaches a query: no address of ours
    # holds one (404), and a query argument (words typed in the search box) is read without it.
    if "\x00" in request.path:
        abort(404)
    pairs = list(request.args.items(multi=True))
    if any("\x00" in key + value for key, value in pairs):
        request.args = ImmutableMultiDict(
            (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in pairs)


def init_app(app):
    app.add_url_rule("/robots.txt", "robots_txt", robots_txt)
    app.before_request(_without_nul)
    # Registered after Flask-Compress, so it runs before it: the ETag is of the plain body.
    app.after_request(_headers)
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
