"""Authentication and profile-edit views."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask import session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_limiter.util import get_remote_address
from flask_login.config import COOKIE_NAME

from core.accounts import devices, recovery, services
from core.accounts.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from core.errors import InvalidInput
from core.extensions import limiter
from core.i18n import isolate
from core.i18n import lazy_gettext as _l
from core.forms import attach_error, form_status
from core.i18n import forget_locale, remember_locale
from core.hooks import page_url
from core.urls import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _sign_in(user, remember=False):
    # A new CSRF token: one read or planted before sign-in (on a shared device, say) must
    # not be good for the signed-in session.
    session.pop("csrf_token", None)
    login_user(user, remember=remember)


def _account_or_address():
    return f"user-{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _has_remember_cookie():
    return bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.email.data, form.password.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            _sign_in(user)
            # Markup: the name is isolated, so that an Arabic name keeps the "." in its place.
            flash(_l("Welcome to Carnets, %(name)s.", name=isolate(user.name)), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except InvalidInput as error:
            form.form_errors.append(error.message)
        else:
            # On a shared device, no "stay signed in" cookie even if that box is ticked too.
            shared = form.shared_device.data
            _sign_in(user, remember=form.remember.data and not shared)
            devices.mark_session(shared)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), form_status(form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(page_url("home"))


@bp.route("/profile", methods=["GET", "POST"])
# Each refused address is a hint that someone has it: try them slowly, as at registration.
@limiter.limit("30 per hour", methods=["POST"], key_func=_account_or_address)
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.languages.data = current_user.languages.split()
        form.locale.data = current_user.locale or ""
    if form.validate_on_submit():
        address = (form.email.data or "").strip()
        moving = address.lower() != current_user.email.lower()
        try:
            if moving:
                # Nothing changes before the new address confirms it by its link.
                address = recovery.request_email_change(current_user, address,
                                                        form.current_password.data)
                flash(_("Check your new address: we sent a link to %(address)s. Your address "
                        "changes when you open it; until then, mail goes to the current one.",
                        address=address), "info")
            services.update_profile(
                current_user, form.display_name.data, form.organisation.data,
                form.country.data, form.locale.data, form.languages.data, form.bio.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            response = redirect(page_url("profile", username=current_user.username))
            # "As my browser says" means the browser's languages, not a switcher's old cookie.
            if current_user.locale:
                return remember_locale(response, current_user.locale)
            return forget_locale(response)
    return (render_template("auth/profile_edit.html", form=form, password_form=PasswordForm(),
                            pending_email=recovery.pending_email_change(current_user)),
            form_status(form))


@bp.post("/password")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            # The change ended every session, this one too: carry on with the new token.
            _sign_in(current_user._get_current_object(), remember=_has_remember_cookie())
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.edit_profile"))
    if not form.errors and not form.form_errors:
        abort(400)
    profile_form = ProfileForm(obj=current_user)
    profile_form.languages.data = current_user.languages.split()
    return render_template("auth/profile_edit.html", form=profile_form, password_form=form,
                           pending_email=recovery.pending_email_change(current_user)), 400
