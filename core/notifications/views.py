"""The signed-in user's notifications, and their count in every page's header."""
from flask import Blueprint, flash, g, has_request_context, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.forms import ActionForm
from core.notifications import services as notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    return render_template("notifications/index.html",
                           notifications=notifications.recent(current_user), form=ActionForm())


@bp.post("/read")
@login_required
def mark_read():
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        flash(_("All notifications marked as read."), "success")
    return redirect(url_for("notifications.index"))


def unread_in_header():
    """`unread_notifications` of every template: how many notifications the signed-in reader
    has not seen (base.html shows it). Counted once a request, and never for visitors."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(current_user)
    return {"unread_notifications": g.unread_notifications}
