"""Safeguarding alerts: the member's form on any post, the leads' page of an alert (their
acknowledgement and closing), and the admin's control naming a lead on a profile page.

To anyone who is not a safeguarding lead, an alert's pages and forms do not exist (404).
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts.services import get_user_by_username, set_safeguarding_lead
from core.errors import Contention, InvalidInput
from core.http import keep_nowhere_when
from core.extensions import limiter
from core.forms import attach_error, form_status
from core.i18n import lazy_gettext as _l
from forum import permissions
from forum.forms import ActionForm, CloseAlertForm, SafeguardingAlertForm
from forum.links import question_url
from forum.services import safeguarding, threads

bp = Blueprint("safeguarding", __name__)
# Generous: a worker on a night round may meet several children in danger; the limit only
# stops a script.
ALERT_LIMIT = "30 per hour"


def init_app(app):
    """Name the leads' actions in the audit log; give templates the deadline's words."""
    from core.audit.actions import register_action

    register_action(app, "alert_acknowledged", _l("acknowledged a safeguarding alert"))
    register_action(app, "alert_closed", _l("closed a safeguarding alert"))
    app.jinja_env.globals.update(alert_deadline=deadline)
    # Alerts, the flag queue with hidden posts, warnings and the audit log describe children
    # in danger: no copy stays in the browser's cache (its Back button asks the server again).
    keep_nowhere_when(app, _sensitive_page)


def _sensitive_page():
    if request.endpoint == "safeguarding.raise_alert":
        return True
    if request.endpoint is None:
        return False
    queue = url_for("moderation.index")
    return request.path == queue or request.path.startswith(queue + "/")


def deadline(case):
    """"due in 3 hours" or "overdue by 20 minutes", in the reader's language."""
    left = case.time_left
    if case.overdue:
        return _("overdue by %(time)s", time=format_timedelta(-left, threshold=1))
    return _("due in %(time)s", time=format_timedelta(left, threshold=1))


def _post_url(post_type, post, question):
    anchor = None if post_type == "question" else f"{post_type}-{post.id}"
    return question_url(question, anchor)


# Fixed rules, one a kind: "/questions/<id>/<slug>" would otherwise take "alert" for a slug.
@bp.route("/questions/<int:post_id>/alert", methods=["GET", "POST"],
          defaults={"kind": "questions"})
@bp.route("/answers/<int:post_id>/alert", methods=["GET", "POST"],
          defaults={"kind": "answers"})
@bp.route("/comments/<int:post_id>/alert", methods=["GET", "POST"],
          defaults={"kind": "comments"})
@login_required
@limiter.limit(ALERT_LIMIT, methods=["POST"])
def raise_alert(kind, post_id):
    post_type = kind[:-1]
    permissions.allow_raise_alert(current_user)
    post = safeguarding.alert_target(post_type, post_id, current_user)
    question = threads.get_question(
        post.thread_id if post_type == "comment" else post.question_id, current_user)
    form = SafeguardingAlertForm()
    if form.validate_on_submit():
        try:
            sent = safeguarding.raise_alert(current_user, post_type, post_id, form.note.data)
        except (InvalidInput, Contention) as error:
            attach_error(form, error)
        else:
            if sent.leads:
                flash(_("Your alert was sent to the safeguarding leads."), "success")
            else:
                flash(_("Your alert is recorded, but your organisation has not named a "
                        "safeguarding lead yet: contact your organisation directly now."),
                      "error")
            return redirect(_post_url(post_type, post, question))
    return render_template("forum/safeguarding_alert.html", form=form, post=post,
                           post_type=post_type, question=question), form_status(form)


@bp.get("/moderation/alerts/<int:alert_id>")
def alert(alert_id):
    case = safeguarding.get_alert(alert_id, current_user)
    return _alert_page(case)


def _alert_page(case, close_form=None, status=200):
    return render_template("moderation/alert.html", case=case,
                           close_form=close_form or CloseAlertForm(), form=ActionForm()), status


@bp.post("/moderation/alerts/<int:alert_id>/acknowledge")
def acknowledge(alert_id):
    permissions.allow_handle_alerts(current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        safeguarding.acknowledge_alert(current_user, alert_id)
    except InvalidInput as error:
        flash(error.message, "error")
    else:
        flash(_("You acknowledged the alert: the other leads see that you are handling it."),
              "success")
    return redirect(url_for("safeguarding.alert", alert_id=alert_id))


@bp.post("/moderation/alerts/<int:alert_id>/close")
def close(alert_id):
    permissions.allow_handle_alerts(current_user)
    case = safeguarding.get_alert(alert_id, current_user)
    form = CloseAlertForm()
    if form.validate_on_submit():
        try:
            safeguarding.close_alert(current_user, alert_id, form.action_taken.data)
        except (InvalidInput, Contention) as error:
            attach_error(form, error)
            return _alert_page(case, form, error.status)
        flash(_("The alert is closed, with what was done."), "success")
        return redirect(url_for("moderation.index"))
    return _alert_page(case, form, form_status(form))


@bp.post("/users/<username>/safeguarding-lead")
@login_required
def name_lead(username):
    permissions.allow_name_safeguarding_leads(current_user)
    user = get_user_by_username(username)
    lead = {"yes": True, "no": False}.get(request.form.get("lead"))
    if lead is None or not ActionForm().validate_on_submit():
        abort(400)
    set_safeguarding_lead(user, lead, actor=current_user)
    flash(_("%(name)s is now a safeguarding lead.", name=user.name) if lead else
          _("%(name)s is no longer a safeguarding lead.", name=user.name), "success")
    return redirect(url_for("users.profile", username=user.username))
