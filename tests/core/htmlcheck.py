"""Reading HTML the way a browser would, to find what could run script in it."""
import re
from html.parser import HTMLParser

SAFE_SCHEMES = {"http", "https", "mailto"}
# WHATWG URL parsing: leading/trailing C0 controls and spaces are stripped, tabs and
# newlines removed anywhere, then the scheme is what precedes the first ":".
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster",
                  "data", "background", "lowsrc", "ping"}


def url_scheme(value):
    """The scheme a browser would read in an attribute value, or None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", value or "").strip(_C0_AND_SPACE)
    match = _SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else None


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, {attribute: value})

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html):
    """Every start tag of `html` with its attributes, entity references decoded."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.elements


FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame",
                  "frameset", "applet", "noscript", "template"}


# The base template's empty favicon: it spares phones a request for /favicon.ico.
_OWN_EMPTY_ICON = ("link", "href", "data:,")


def dangers(html, allowed_tags=None):
    """What in `html` could run script or restyle the page; an empty list when it is safe."""
    found = []
    if re.search(r"<\s*script", html, re.IGNORECASE):
        found.append("a <script> tag")
    for tag, attrs in elements(html):
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        elif allowed_tags is not None and tag not in allowed_tags:
            found.append(f"<{tag}> is not an allowed tag")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                found.append(f"<{tag} style=…>")
            if (tag, name, value) == _OWN_EMPTY_ICON and attrs.get("rel") == "icon":
                continue
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}> with the {scheme}: scheme")
                if "javascript:" in re.sub(r"\s", "", value).lower():
                    found.append(f"<{tag} {name}={value!r}> contains javascript:")
    return found


def attribute_values(html, tag, name):
    """The values of attribute `name` on every `tag` element."""
    return [attrs.get(name) for element, attrs in elements(html) if element == tag]
