"""Whole pages kept for readers who are not signed in, as Discourse and Stack Overflow do.

Most visits are anonymous reads of a few popular threads; rendering each one again costs
twenty times a trivial request. A page is cached under a key that holds the generation of what
it shows (a thread, or the whole site), so a committed change makes the next reader get a fresh
page at once, on every worker and, with Redis, on every server. Generations are random tokens,
not counters, so two writers never produce the same generation. What no write announces (the
relative times, "3 minutes ago") is at most PAGE_CACHE_SECONDS old.
"""
import functools
import uuid
from pathlib import Path

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event

from core.extensions import cache, db

SITE = "site"
_PENDING = "carnets_changed_scopes"


def changed(*scopes):
    """Announce that what pages of `scopes` show changes in the current transaction."""
    db.session.info.setdefault(_PENDING, set()).update(scopes)


def changed_everywhere():
    """Announce a change every page may show (a user's name, for instance)."""
    changed(SITE)


def _after_commit(session):
    scopes = session.info.pop(_PENDING, None)
    if scopes and current_app and current_app.config.get("PAGE_CACHE_SECONDS"):
        # No expiry: a generation must outlive every page stored under it.
        cache.set_many({f"gen:{scope}": uuid.uuid4().hex for scope in scopes}, timeout=0)


def _after_rollback(session, _previous_transaction):
    session.info.pop(_PENDING, None)


def _generations(scope):
    values = cache.get_many(f"gen:{SITE}", f"gen:{scope}")
    return ":".join(value or "0" for value in values)


def _cacheable_request():
    # A session cookie can carry a flash message or a form's token: such readers get their own
    # page, and so does anyone signed in.
    return (current_app.config.get("PAGE_CACHE_SECONDS")
            and request.method == "GET"
            and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
            and not current_user.is_authenticated)


def anonymous_page(scope_of):
    """Serve the view's page from the cache to anonymous readers; `scope_of(**view_args)`
    names the thing whose changes make the page stale."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            if not _cacheable_request():
                return view(**kwargs)
            key = "page:{}:{}:{}:{}".format(scope_of(**kwargs), _generations(scope_of(**kwargs)),
                                            get_locale(), request.full_path)
            stored = cache.get(key)
            if stored is not None:
                body, mimetype = stored
                return current_app.response_class(body, mimetype=mimetype)
            response = make_response(view(**kwargs))
            if response.status_code == 200 and not session.modified:
                cache.set(key, (response.get_data(), response.mimetype),
                          timeout=current_app.config["PAGE_CACHE_SECONDS"])
            return response

        return wrapper

    return decorator


def cache_config(app, instance_folder):
    """Cache settings: Redis when REDIS_URL is set (shared by servers), else files in the
    instance folder (shared by the workers of one server)."""
    redis_url = app.config.get("REDIS_URL")
    settings = {"CACHE_KEY_PREFIX": "carnets:", "CACHE_DEFAULT_TIMEOUT": 300}
    if redis_url:
        settings.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    else:
        settings.update(CACHE_TYPE="FileSystemCache", CACHE_THRESHOLD=5000,
                        CACHE_DIR=str(Path(instance_folder) / "cache"))
    return settings


def init_app(app):
    """Bind the cache and listen for commits that change what pages show."""
    for name, value in cache_config(app, app.instance_path).items():
        app.config.setdefault(name, value)
    cache.init_app(app)
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", _after_commit):
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_soft_rollback", _after_rollback)
