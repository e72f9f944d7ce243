"""Public user pages with their questions and answers, and a member's download of everything
they wrote (their own profile only)."""
from flask import Blueprint, Response, render_template, request
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from core.accounts.services import get_user_by_username
from core.extensions import limiter
from core.forms import ActionForm
from core.http import keep_nowhere_when
from core.urls import base_url
from forum.permissions import allow_export_data, can_export_data
from forum.services import export, follows, queries

bp = Blueprint("users", __name__, url_prefix="/users")
# Building the zip reads every post of the member: a few a day is all anyone needs.
EXPORT_LIMIT = "5 per hour"


@bp.get("/<username>")
def profile(username):
    user = get_user_by_username(username)
    questions, answers = queries.user_activity(user, current_user)
    # The form (and its token, which opens a session) only on one's own profile: a visitor
    # reading a profile gets no cookie.
    export_form = ActionForm(formdata=None) if can_export_data(current_user, user) else None
    # The member's own page lists the tags they follow (nobody else learns them).
    own = current_user.is_authenticated and current_user.id == user.id
    tags = follows.followed_tags(user) if own else None
    return render_template("users/profile.html", user=user, questions=questions, answers=answers,
                           export_form=export_form, followed_tags=tags)


def init_app(app):
    # The zip holds the member's e-mail address and every post: no copy stays in a cache,
    # and neither does the refusal when too many were asked for.
    keep_nowhere_when(app, lambda: request.endpoint == "users.export_data")


def _account():
    # The limit counts per account (the address is the fallback a signed-out request never
    # reaches: login_required turns it away first).
    if current_user.is_authenticated:
        return f"user-{current_user.id}"
    return get_remote_address()


@bp.post("/<username>/export")
@login_required
@limiter.limit(EXPORT_LIMIT, key_func=_account)
def export_data(username):
    member = get_user_by_username(username)
    allow_export_data(current_user, member)
    name, data = export.member_archive(current_user, member, base_url())
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})
