"""URL helpers shared by every blueprint."""
from urllib.parse import urlsplit

from flask import url_for


def safe_next(target, default_endpoint="forum.home"):
    """`target` when it is a local path, else the default page: no open redirects."""
    if target:
        parts = urlsplit(target)
        # "//evil" and "\\evil" are read by browsers as another host.
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target
                and not any(ord(char) < 32 for char in target)):
            return target
    return url_for(default_endpoint)
