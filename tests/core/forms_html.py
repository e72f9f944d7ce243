"""Reading the forms of a page: which fields it has and which errors it shows where."""
import re
from html import unescape

_LI_RE = re.compile(r"<li>(.*?)</li>", re.S)


def field_errors(html, field):
    """The error messages shown beside the field named `field`."""
    match = re.search(rf'<ul class="errors" id="{re.escape(field)}-error">(.*?)</ul>', html, re.S)
    return [unescape(item) for item in _LI_RE.findall(match.group(1))] if match else []


def form_errors(html):
    """The messages shown at the top of the form (not tied to one field)."""
    match = re.search(r'<div class="errors" role="alert"><ul>(.*?)</ul></div>', html, re.S)
    return [unescape(item) for item in _LI_RE.findall(match.group(1))] if match else []


def field_names(html):
    """The names of the inputs, selects and text areas of the page's main content (the
    search box of the header is not part of the page's form)."""
    main = html.split('<main id="main">', 1)[-1]
    return re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', main)


def is_invalid(html, field):
    """True when the field is marked invalid for assistive technology."""
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{re.escape(field)}"[^>]*>', html)
    return match is not None and 'aria-invalid="true"' in match.group(0)
