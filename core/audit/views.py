"""The audit log page, read-only: nothing in the log is edited or removed through the
application, so the page answers GET and nothing else."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from core.accounts.models import User
from core.accounts.services import USERNAME_RE
from core.audit import actions, permissions
from core.audit import services as audit
from core.extensions import db
from core.urls import number_arg

bp = Blueprint("audit", __name__)


def _actor_id(username):
    """The id of the account named `username`, 0 (nobody's) for a name no account has, None
    when no name is asked for."""
    if not username:
        return None
    if not USERNAME_RE.match(username):
        return 0
    found = db.session.scalar(select(User.id).where(User.username_key == username.lower()))
    return found or 0


@bp.get("/moderation/log")
@login_required
def log():
    permissions.allow_see_log(current_user)
    action = request.args.get("action") or None
    if action not in actions.names():
        action = None
    actor = (request.args.get("actor") or "").strip()[:40]
    page = audit.entries(page=number_arg("page", 1), action=action, actor_id=_actor_id(actor))
    filters = {key: value for key, value in (("action", action), ("actor", actor)) if value}
    return render_template(
        "audit/log.html", page=page, targets=actions.describe_targets(page.items, current_user),
        choices=[(name, actions.label(name)) for name in actions.names()], action=action,
        actor=actor, filters=filters, label=actions.label)
