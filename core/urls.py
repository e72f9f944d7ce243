"""URL helpers shared by every blueprint."""
from urllib.parse import quote, urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

from core.hooks import page_url
from core.ids import MAX_ID, id_number

# The characters url_for leaves as they are in an anchor.
ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def _up_to(limit):
    """A regular expression of the decimal numbers 1..limit, written without leading zeros."""
    digits = str(limit)
    options = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            options.append(rf"{digits[:i]}[{low}-{int(digit) - 1}]\d{{{len(digits) - i - 1}}}")
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>` of every rule: ids, positions and revision numbers are 1..MAX_ID. The limit
    is in the rule's pattern, so that a number out of range is an address that does not exist
    (404, whatever the method) before any query sees it."""

    regex = _up_to(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def number_arg(name, default=None):
    """The query argument `name` as a positive number within MAX_ID (a page, a revision), or
    `default` when it is missing, not a number or out of range."""
    return request.args.get(name, default, type=id_number)


def safe_next(target):
    """`target` when it is a local path, else the home page: no open redirects."""
    if target:
        parts = urlsplit(target)
        # "//evil" and "\\evil" are read by browsers as another host.
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target
                and not any(ord(char) < 32 for char in target)):
            return target
    return page_url("home")


def path_for(endpoint, **values):
    """The local address url_for gives, also where no request is under way (a command, a
    worker, a test): what is stored names rows, and their addresses are made when read."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind("localhost",
                                       script_name=current_app.config["APPLICATION_ROOT"])
    path = adapter.build(endpoint, values)
    return f"{path}#{quote(anchor, safe=ANCHOR_SAFE)}" if anchor else path


def base_url():
    """The site's public address ("https://carnets.example.org"): CARNETS_BASE_URL when set,
    else the scheme and host this request came to (the Host header, or a trusted proxy's
    X-Forwarded-Host: see TRUSTED_PROXIES)."""
    return (current_app.config.get("CARNETS_BASE_URL") or request.host_url).rstrip("/")


def absolute_url(path):
    """`path` (as url_for gives it) as an absolute address, for rel=canonical."""
    return base_url() + path
