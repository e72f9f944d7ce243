"""The signed-in user's notifications, and their count in every page's header."""
from flask import (Blueprint, abort, flash, g, has_request_context, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.forms import ActionForm, form_status
from core.notifications import preferences
from core.notifications import services as notifications
from core.notifications.forms import FIELD_PREFIX, chosen_channels, settings_form

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    return render_template("notifications/index.html",
                           lines=notifications.lines(current_user), form=ActionForm())


@bp.get("/<int:notification_id>/open")
@login_required
def open_notification(notification_id):
    """Mark one of the reader's own notifications read (with its line) and go to its subject.
    A GET, so that it is a plain link: it changes nothing but the reader's own read marks."""
    opened = notifications.open_notification(current_user, notification_id)
    if opened is None:
        abort(404)
    shown, withheld = opened
    if withheld or not _local_path(shown.url):
        return redirect(url_for("notifications.index"))
    return redirect(shown.url)


def _local_path(url):
    """Whether `url` is a path of this site ("/questions/3#answer-4"), never another site's
    address ("//evil.example", "https://...", "/\\evil")."""
    return (bool(url) and url.startswith("/") and not url.startswith(("//", "/\\"))
            and "\\" not in url)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    choices = preferences.choices(current_user)
    form = settings_form(choices, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        preferences.set_channels(current_user, chosen_channels(form, choices))
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    fields = [form[FIELD_PREFIX + kind.name] for kind, _channel in choices]
    return render_template("notifications/settings.html", form=form,
                           fields=fields), form_status(form)


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
