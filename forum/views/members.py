"""Moderators' actions on accounts: warn the author of a post, suspend and lift a suspension;
administrators' role changes; the page where a warned member reads a warning. Every form works
without JavaScript; every rule is checked before the form is read, so a member posting a
moderator's form by hand gets 403 whatever it holds."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.accounts.services import get_user_by_username
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.forms import attach_error, form_status
from core.i18n import isolate
from core.i18n import lazy_gettext as _l
from core.urls import number_arg
from forum import permissions
from forum.forms import LiftSuspensionForm, RoleForm, SuspendForm, WarnForm
from forum.links import post_url
from forum.models import ModeratorWarning
from forum.services import members

bp = Blueprint("members", __name__, url_prefix="/moderation")
# The lifting form shares the suspension's page: its fields are named "lift-…".
LIFT = "lift"


def _profile(member):
    return redirect(url_for("users.profile", username=member.username))


def _suspend_page(member, form, lift_form, status=200):
    return render_template("moderation/suspend.html", member=member, form=form,
                           lift_form=lift_form), status


@bp.route("/users/<username>/suspend", methods=["GET", "POST"])
@login_required
def suspend(username):
    member = get_user_by_username(username)
    permissions.allow_suspend(current_user, member)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            members.suspend_member(current_user, member, form.duration.data, form.reason.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("%(name)s is suspended and signed out.", name=isolate(member.name)),
                  "success")
            return _profile(member)
    return _suspend_page(member, form, LiftSuspensionForm(formdata=None, prefix=LIFT), form_status(form))


@bp.post("/users/<username>/unsuspend")
@login_required
def unsuspend(username):
    member = get_user_by_username(username)
    permissions.allow_suspend(current_user, member)
    form = LiftSuspensionForm(prefix=LIFT)
    if form.validate_on_submit():
        try:
            members.lift_suspension(current_user, member, form.reason.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("The suspension of %(name)s is lifted.", name=isolate(member.name)),
                  "success")
            return _profile(member)
    return _suspend_page(member, SuspendForm(formdata=None), form, 400)


@bp.route("/users/<username>/warn", methods=["GET", "POST"])
@login_required
def warn(username):
    member = get_user_by_username(username)
    permissions.allow_warn(current_user, member)
    form = WarnForm()
    if request.method == "GET":
        form.post_type.data = request.args.get("post_type") or ""
        form.post_id.data = number_arg("post_id")
        if form.post_type.data or request.args.get("post_id"):
            # A link to a post that does not exist, or is not this member's: no such page.
            if form.post_id.data is None:
                raise NotFound()
            members.warned_post(member, form.post_type.data, form.post_id.data)
    post = None
    if form.validate_on_submit():
        try:
            members.warn_member(current_user, member, form.message.data,
                                form.post_type.data or None, form.post_id.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("%(name)s is warned: they will read your message in their notifications.",
                     name=isolate(member.name)), "success")
            return _profile(member)
    if form.post_id.data is not None and form.post_type.data:
        post = members.warned_post(member, form.post_type.data, form.post_id.data)
    return (render_template("moderation/warn.html", member=member, form=form, post=post,
                            post_link=post_url(post) if post else None), form_status(form))


@bp.route("/users/<username>/role", methods=["GET", "POST"])
@login_required
def role(username):
    member = get_user_by_username(username)
    permissions.allow_change_role(current_user, member)
    form = RoleForm(data={"role": member.role} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            members.change_role(current_user, member, form.role.data, form.reason.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("The role of %(name)s is saved.", name=isolate(member.name)), "success")
            return _profile(member)
    return (render_template("moderation/role.html", member=member, form=form),
            form_status(form))


@bp.get("/warnings/<int:warning_id>")
@login_required
def warning(warning_id):
    found = db.session.get(ModeratorWarning, warning_id)
    if found is None:
        raise NotFound()
    permissions.allow_see_warning(current_user, found)
    post = None
    if found.target_type in members.POST_MODELS and found.target_id:
        post = db.session.get(members.POST_MODELS[found.target_type], found.target_id)
    return render_template("moderation/warning.html", warning=found,
                           post_link=post_url(post) if post is not None else None)
