"""Authentication and profile-edit views."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from core.accounts import services
from core.accounts.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from core.errors import InvalidInput
from core.extensions import limiter
from core.forms import attach_error, form_status
from core.urls import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


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
            login_user(user)
            flash(_("Welcome to Carnets, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form)


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
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("forum.home"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.languages.data = current_user.languages.split()
        form.locale.data = current_user.locale or ""
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user, form.display_name.data, form.email.data, form.organisation.data,
                form.country.data, form.locale.data, form.languages.data, form.bio.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("users.profile", username=current_user.username))
    return render_template("auth/profile_edit.html", form=form, password_form=PasswordForm()), \
        form_status(form)


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
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.edit_profile"))
    if not form.errors and not form.form_errors:
        abort(400)
    profile_form = ProfileForm(obj=current_user)
    profile_form.languages.data = current_user.languages.split()
    return render_template("auth/profile_edit.html", form=profile_form, password_form=form), 400
