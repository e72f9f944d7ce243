"""The signed-in user's notifications."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.forms import ActionForm
from forum.services import notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    return render_template("forum/notifications.html",
                           notifications=notifications.recent(current_user), form=ActionForm())


@bp.post("/read")
@login_required
def mark_read():
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        flash(_("All notifications marked as read."), "success")
    return redirect(url_for("notifications.index"))
