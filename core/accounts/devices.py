"""Shared devices (issue 15, item 7): the quick exit, and sessions opened on "a shared device".

Field workers often sign in on a phone that colleagues, or the young people themselves, use
too. A session opened with "This is a shared device" ticked
- sets no "stay signed in" cookie, even when that box is ticked as well;
- ends after CARNETS_SHARED_SESSION_MINUTES without a request: the signed session cookie holds
  the time of the last request (written again at most once a minute, so that not every page
  sends a new cookie), and the first request after that lapse is served to a visitor, with
  "Your session on this shared device has ended." said once;
- has every response sent with "Cache-Control: no-store" (core.http), so that the browser
  keeps none of its pages, not even for its Back button.
"""
import time

from flask import current_app, flash, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_out
from flask_login.config import COOKIE_NAME

from core import http
from core.accounts import services

SHARED = "shared_device"
SEEN = "shared_seen"
# The last-request time is written again only when it is this old: a new cookie at most
# once a minute, and an idle limit exact to the minute.
REFRESH_SECONDS = 60
# Chromium and Firefox honour it (over HTTPS or on localhost; plain HTTP is ignored), Safari
# in part; browsers without it still get the cookies deleted below and a no-store redirect.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def _now():
    """Seconds since the epoch (tests move this clock instead of waiting)."""
    return int(time.time())


def _remember_cookie():
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)


def mark_session(shared):
    """Called right after a sign-in: whether the session is on a shared device."""
    if not shared:
        session.pop(SHARED, None)
        session.pop(SEEN, None)
        return
    session[SHARED] = True
    session[SEEN] = _now()
    # No "stay signed in" cookie for this session, and none left by an earlier user of the
    # device either (Flask-Login deletes it on the way out).
    if _remember_cookie() in request.cookies:
        session["_remember"] = "clear"
    else:
        session.pop("_remember", None)


def _idle_limit():
    return int(current_app.config["CARNETS_SHARED_SESSION_MINUTES"]) * 60


def _expire_idle():
    """Before every request: end a shared session left idle, or note that it is in use."""
    if request.endpoint == "static" or not session.get(SHARED):
        return
    now = _now()
    seen = session.get(SEEN)
    if not isinstance(seen, int) or now - seen >= _idle_limit():
        # Nothing of the old session is kept (its form token included), and this response
        # too is stored nowhere.
        session.clear()
        logout_user()
        http.keep_nowhere()
        flash(_("Your session on this shared device has ended."), "info")
        return
    if now - seen >= REFRESH_SECONDS:
        session[SEEN] = now


def _in_shared_session():
    # The stylesheet is left out: the same fingerprinted file for everyone, showing nothing
    # of the session; storing it nowhere would only download it again on every page.
    return request.endpoint != "static" and bool(session.get(SHARED))


def _forget(_app, **_extra):
    # Signed out (sign-out button, quick exit): a visitor's pages are cached as usual, and
    # there is no session left to end for being idle.
    session.pop(SHARED, None)
    session.pop(SEEN, None)


def quick_exit():
    """GET /exit, the "Quick exit" link of every page: sign out, forget this device's
    cookies and caches, and leave for a neutral page (CARNETS_QUICK_EXIT_URL).

    A link and a GET, without a form token, on purpose: it must work in one tap from any
    page, without script, even from a page kept from before sign-in whose token is stale.
    Another site can therefore send a member here (a link; the session cookie is SameSite=Lax,
    so images and forms from elsewhere come without it). The worst that does is sign them out
    on every device, as the sign-out button would: a nuisance, and nothing is read or changed
    on their behalf.
    """
    if current_user.is_authenticated:
        # As the sign-out button does: every session of the user ends, on every device.
        services.end_sessions(current_user)
    logout_user()
    session.clear()  # Flask then deletes the session cookie
    response = redirect(current_app.config["CARNETS_QUICK_EXIT_URL"], 303)
    config = current_app.config
    response.delete_cookie(_remember_cookie(), path=config.get("REMEMBER_COOKIE_PATH", "/"),
                           domain=config.get("REMEMBER_COOKIE_DOMAIN"),
                           secure=config.get("REMEMBER_COOKIE_SECURE", False),
                           httponly=config.get("REMEMBER_COOKIE_HTTPONLY", True),
                           samesite=config.get("REMEMBER_COOKIE_SAMESITE"))
    # Also erases what cookies the site set for its visitors (the language menu's choice)
    # and the browser's copies of its pages, Back button included.
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    http.keep_nowhere()
    return response


def init_app(app):
    """Route /exit, expire idle shared sessions and have their responses stored nowhere."""
    app.add_url_rule("/exit", "quick_exit", quick_exit)
    app.before_request(_expire_idle)
    http.keep_nowhere_when(app, _in_shared_session)
    user_logged_out.connect(_forget, app)
