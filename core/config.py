"""Configuration: documented defaults, overridden by environment variables and the instance file."""
import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# UI languages (DESIGN §8) and content languages a question can be written in.
LANGUAGES = ("fr", "en", "es", "ar", "km", "mg")


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def instance_path():
    """Folder holding the SQLite database, the generated secret key and the search index."""
    return os.environ.get("CARNETS_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")


def load_or_create_secret_key(folder):
    """Return the secret key stored in the instance folder, creating it on first run."""
    path = Path(folder) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Exclusive create: when several workers start at once, one key wins and all read it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def defaults(folder):
    """Settings before the instance file and the caller's mapping are applied."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'carnets.sqlite'}"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "BABEL_DEFAULT_LOCALE": os.environ.get("CARNETS_DEFAULT_LOCALE", "fr"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "core" / "translations"),
        "LANGUAGES": LANGUAGES,
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        # Without Redis, counters live in a SQLite file that every worker of this server shares
        # (core.ratelimit); several servers need REDIS_URL to share them.
        "RATELIMIT_STORAGE_URI": (os.environ.get("REDIS_URL")
                                  or f"carnets-sqlite:///{Path(folder) / 'ratelimits.sqlite'}"),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        # Anonymous pages kept this long at most (core.pagecache); 0 turns the cache off.
        "PAGE_CACHE_SECONDS": _env_int("PAGE_CACHE_SECONDS", 60),
        "RATELIMIT_HEADERS_ENABLED": False,
        # How many reverse proxies stand in front of the app and append X-Forwarded-For,
        # -Proto and -Host: their headers give the client's address (rate limits) and scheme
        # (HTTPS). 0 ignores them: a client could otherwise forge its address.
        "TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        # The public address of the site ("https://carnets.example.org"), for the absolute
        # links pages give search engines (rel=canonical). Unset, the request's host is used.
        "CARNETS_BASE_URL": os.environ.get("CARNETS_BASE_URL", "").strip().rstrip("/"),
        # Where the "Quick exit" link of every page leaves for (core.accounts.devices): a
        # page anyone may be seen on, light on a slow link, that tells nothing of Carnets.
        "CARNETS_QUICK_EXIT_URL": (os.environ.get("CARNETS_QUICK_EXIT_URL", "").strip()
                                   or "https://www.google.com/"),
        # A session opened on "a shared device" ends after this many minutes without a request.
        "CARNETS_SHARED_SESSION_MINUTES": _env_int("CARNETS_SHARED_SESSION_MINUTES", 30),
        # Mail (core.mail): through this SMTP server when MAIL_HOST is set; otherwise each
        # message is written as an .eml file in MAIL_DIR (instance/mail by default), so that
        # `make run` needs no mail server. MAIL_SECURITY: "starttls", "tls" or "none".
        "MAIL_HOST": os.environ.get("MAIL_HOST", "").strip(),
        "MAIL_PORT": _env_int("MAIL_PORT", 587),
        "MAIL_SECURITY": os.environ.get("MAIL_SECURITY", "starttls").strip().lower(),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Carnets <carnets@localhost>"),
        "MAIL_DIR": os.environ.get("MAIL_DIR") or str(Path(folder) / "mail"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "QUESTIONS_PER_PAGE": _env_int("QUESTIONS_PER_PAGE", 20),
        # How many hours the safeguarding leads have to respond to an alert.
        "CARNETS_SAFEGUARDING_RESPONSE_HOURS": _env_int("CARNETS_SAFEGUARDING_RESPONSE_HOURS", 4),
        # "whoosh" (index in the instance folder) or "postgres" (full-text search in the
        # database, for several app servers).
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "whoosh"),
        "SEARCH_WHOOSH_DIR": os.environ.get("SEARCH_WHOOSH_DIR"),
        # The domain thesaurus experts edit; the one shipped in search_index/ by default.
        "SEARCH_THESAURUS": os.environ.get("SEARCH_THESAURUS"),
        # Static URLs carry a content hash (see core.templating), so a year of caching is safe.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        # The longest post is 30,000 characters; anything far bigger is refused unread.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "COMPRESS_MIN_SIZE": 300,
        "COMPRESS_ALGORITHM": ["br", "gzip", "deflate"],
        # Static files are streamed: gzip too, since browsers offer br only over HTTPS.
        "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip", "deflate"],
    }
