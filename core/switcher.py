"""The language switcher at the top of every page: it works without JavaScript.

Visitors follow a plain link that sets a cookie (a preference of this device, not stored data,
so a GET may set it). Signed-in users press a button of a POST form with a CSRF token, which
also keeps the language in their profile: their stored preference comes first (core.i18n), so
a cookie alone would change nothing for them.
"""
from flask import Blueprint, redirect, request
from flask_login import current_user

from core.accounts import services
from core.config import LANGUAGES
from core.i18n import remember_locale
from core.urls import safe_next

bp = Blueprint("i18n", __name__)


@bp.get("/lang/<code>")
def switch(code):
    response = redirect(safe_next(request.args.get("next")))
    return remember_locale(response, code) if code in LANGUAGES else response


@bp.post("/lang")
def choose():
    code = request.form.get("locale")
    response = redirect(safe_next(request.form.get("next")))
    if code not in LANGUAGES:
        return response
    if current_user.is_authenticated:
        services.set_locale(current_user, code)
    return remember_locale(response, code)
