"""Pages of account recovery, on the auth blueprint: "Forgot your password?", the mailed links
(a new password, a new e-mail address confirmed) and an administrator's "Send a password reset
link". The domain rules are in core.accounts.recovery.

A page reached by a mailed link holds the token in its address: it is sent with
`Referrer-Policy: no-referrer` (no link of the page passes the token on) and stored in no cache.
Opening a link changes nothing by itself: a button does (POST), so that a mail scanner that
follows links cannot use them up.
"""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from core.accounts import permissions, recovery
from core.accounts.forms import ForgotForm, ResetForm
from core.accounts.services import get_user_by_username
from core.accounts.views import bp
from core.errors import InvalidInput
from core.extensions import limiter
from core.forms import ActionForm, attach_error, form_status
from core.hooks import page_url
from core.http import keep_nowhere

# Per address (IP): mail is costly and each request may reach someone's mailbox. Per account,
# core.accounts.recovery sends at most RESETS_PER_HOUR links an hour, with the same answer.
FORGOT_LIMIT = "10 per hour"


def init_app(app):
    """Let templates ask who may send a reset link (`account_perms`)."""
    app.jinja_env.globals["account_perms"] = permissions


def _link_page(body, status=200):
    """A page reached through a mailed link: the token stays out of Referer and caches."""
    keep_nowhere()
    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _expired(message=None, again=None, again_label=None):
    return _link_page(render_template(
        "auth/link_expired.html", message=message or recovery.LINK_EXPIRED,
        again=again or url_for("auth.forgot_password"),
        again_label=again_label or _("Ask for a new link")), 404)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        recovery.request_password_reset(form.login.data)
        # The same page whether an account has this address or name, or none does.
        return redirect(url_for("auth.forgot_sent"))
    return render_template("auth/forgot.html", form=form), form_status(form)


@bp.get("/forgot/sent")
def forgot_sent():
    hours = int(recovery.RESET_LIFETIME.total_seconds() // 3600)
    return render_template("auth/forgot_sent.html", hours=hours,
                           per_hour=recovery.RESETS_PER_HOUR)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def reset_password(token):
    user = recovery.reset_token_user(token)
    if user is None:
        return _expired()
    form = ResetForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.password.data)
        except InvalidInput as error:
            if not error.field:
                return _expired()
            attach_error(form, error)
        else:
            # Every session of the account ended; this browser signs in again with the new
            # password (and a suspended account stays refused there).
            if current_user.is_authenticated and current_user.id == user.id:
                logout_user()
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return _link_page(render_template("auth/reset.html", form=form, user=user),
                      form_status(form))


@bp.route("/email/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def confirm_email(token):
    change = recovery.email_change_of(token)
    again, again_label = url_for("auth.edit_profile"), _("Change the address in your profile")
    if change is None:
        return _expired(again=again, again_label=again_label)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            user = recovery.confirm_email_change(token)
        except InvalidInput as error:
            return _expired(error.message, again, again_label)
        flash(_("Your e-mail address is now %(address)s.", address=user.email), "success")
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect(url_for("auth.edit_profile"))
        return redirect(url_for("auth.login"))
    user, address = change
    return _link_page(render_template("auth/email_confirm.html", form=form, user=user,
                                      address=address), form_status(form))


@bp.post("/users/<username>/reset-link")
@login_required
def send_reset_link(username):
    permissions.allow_send_reset_link(current_user)
    user = get_user_by_username(username)
    if not ActionForm().validate_on_submit():
        abort(400)
    recovery.send_reset_link(user, current_user._get_current_object())
    flash(_("A link to choose a new password was sent to the e-mail address of %(name)s.",
            name=user.name), "success")
    return redirect(page_url("profile", username=user.username))
