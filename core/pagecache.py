"""Whole pages kept for readers who are not signed in, as Discourse and Stack Overflow do.

Most visits are anonymous reads of a few popular threads; rendering each one again costs
twenty times a trivial request. A page is cached under a key that holds the generation of what
it shows (a thread, or the whole site), so a committed change makes the next reader get a fresh
page at once, on every worker and, with Redis, on every server. Generations are random tokens,
not counters, so two writers never produce the same generation. What no write announces (the
relative times, "3 minutes ago") is at most PAGE_CACHE_SECONDS old.

A generation that is missing (evicted, or never written) counts as a change: a new one is
minted, so a page stored under the lost one, or under none, is never found again. Without
Redis the generations also live in a file store of their own that is never pruned (pages are,
when they pass CACHE_THRESHOLD): one small file per thread that ever changed.
"""
import functools
import uuid
from pathlib import Path

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event

from core.extensions import cache, db, page_generations
from core.urls import base_url

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
        page_generations.set_many({f"gen:{scope}": _new_generation() for scope in scopes},
                                  timeout=0)


def _after_rollback(session, _previous_transaction):
    session.info.pop(_PENDING, None)


def _new_generation():
    return uuid.uuid4().hex


def _generations(scope):
    keys = (f"gen:{SITE}", f"gen:{scope}")
    values = page_generations.get_many(*keys)
    if None not in values:
        return ":".join(values)
    # Lost means changed: a new generation, so that no page stored before is found again.
    for key, value in zip(keys, values):
        if value is None:
            page_generations.add(key, _new_generation(), timeout=0)
    # Read again, as `add` keeps what another worker or a commit wrote meanwhile; one evicted
    # at once gets a token of its own: the page is a miss, never a stale page.
    return ":".join(value or _new_generation() for value in page_generations.get_many(*keys))


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
            # The host is part of the key: without CARNETS_BASE_URL a page's absolute links
            # (rel=canonical) name the host it was asked for, which a client chooses.
            key = "page:{}:{}:{}:{}:{}".format(
                scope_of(**kwargs), _generations(scope_of(**kwargs)), get_locale(),
                base_url(), request.full_path)
            stored = cache.get(key)
            if stored is not None:
                # A feed's Last-Modified is kept with it (pages stored before had none).
                body, mimetype, last_modified = (*stored, None)[:3]
                response = current_app.response_class(body, mimetype=mimetype)
                response.last_modified = last_modified
                return response
            response = make_response(view(**kwargs))
            if response.status_code == 200 and not session.modified:
                cache.set(key, (response.get_data(), response.mimetype, response.last_modified),
                          timeout=current_app.config["PAGE_CACHE_SECONDS"])
            return response

        return wrapper

    return decorator


def shared_key(scope, standing):
    """The cache key of the current page as shared by the signed-in members of `standing`
    (core.personal), under the same generations as the visitors' page of `scope`; None when
    the page cache is off or the request is not a GET."""
    if not current_app.config.get("PAGE_CACHE_SECONDS") or request.method != "GET":
        return None
    return "shared:{}:{}:{}:{}:{}:{}".format(standing, scope, _generations(scope), get_locale(),
                                             base_url(), request.full_path)


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


def _generations_config(app):
    # Pruning removes the files that expire first, and a generation never expires: it would
    # go first. Its own directory, with no threshold, keeps it out of the pages' pruning.
    if app.config["CACHE_TYPE"] != "FileSystemCache":
        return {}
    pages = Path(app.config["CACHE_DIR"])
    return {"CACHE_DIR": str(pages.parent / f"{pages.name}-generations"), "CACHE_THRESHOLD": 0}


def init_app(app):
    """Bind the cache and listen for commits that change what pages show."""
    for name, value in cache_config(app, app.instance_path).items():
        app.config.setdefault(name, value)
    cache.init_app(app)
    page_generations.init_app(app, config=_generations_config(app))
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", _after_commit):
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_soft_rollback", _after_rollback)
