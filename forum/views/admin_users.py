"""The administrators' page of accounts (/admin/users): search and filter the accounts, and on
an account's page change its role, suspend it or lift the suspension, and send a password
reset link. The actions are forum.services.members' (audited); every rule is checked before
the form is read, so anyone else posting these forms by hand gets 403 whatever they hold.
No page of it stays in a cache (it lists e-mail addresses)."""
import importlib.util

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.accounts.models import ROLES
from core.errors import InvalidInput, NotFound
from core.http import keep_nowhere_when
from core.i18n import isolate
from core.i18n import lazy_gettext as _l
from core.forms import attach_error, form_status
from core.urls import number_arg
from forum import permissions
from forum.forms import ActionForm, LiftSuspensionForm, RoleForm, SuspendForm
from forum.services import admin_users, members

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")
# The forms share the account's page: the role's and the lifting's fields are prefixed.
LIFT, ROLE = "lift", "role"
# core.accounts.recovery (account recovery) sends the reset link; until it is part of the
# application, the button is not shown and its address answers 404.
RECOVERY = "core.accounts.recovery"


def init_app(app):
    from core import hooks

    hooks.add_navigation(app, _l("Users"), "admin_users.index", order=85,
                         condition=permissions.can_administer_users)
    # Its pages list e-mail addresses: no copy stays in a cache, error pages included.
    keep_nowhere_when(app, lambda: request.blueprint == bp.name)


def can_send_reset_link():
    return importlib.util.find_spec(RECOVERY) is not None


@bp.get("")
@login_required
def index():
    query = admin_users.clean_query(request.args.get("q"))
    role = request.args.get("role") or None
    role = role if role in ROLES else None
    status = request.args.get("status") or None
    status = status if status in admin_users.STATUSES else None
    page = admin_users.search_accounts(current_user, query, role, status,
                                       page=number_arg("page", 1))
    filters = {key: value for key, value in (("q", query), ("role", role), ("status", status))
               if value}
    return render_template("admin/users.html", page=page, query=query, role=role,
                           status=status, filters=filters, roles=ROLES,
                           max_length=admin_users.QUERY_LENGTH)


def _account_page(account, role_form=None, suspend_form=None, lift_form=None, status=200):
    return render_template(
        "admin/user.html", account=account, member=account.user,
        role_form=role_form or RoleForm(formdata=None, prefix=ROLE,
                                         data={"role": account.user.role}),
        suspend_form=suspend_form or SuspendForm(formdata=None),
        lift_form=lift_form or LiftSuspensionForm(formdata=None, prefix=LIFT),
        reset_form=ActionForm(formdata=None), reset_link=can_send_reset_link()), status


def _back(member):
    return redirect(url_for("admin_users.show", user_id=member.id))


@bp.get("/<int:user_id>")
@login_required
def show(user_id):
    return _account_page(admin_users.get_account(current_user, user_id))


@bp.post("/<int:user_id>/role")
@login_required
def role(user_id):
    account = admin_users.get_account(current_user, user_id)
    form = RoleForm(prefix=ROLE)
    if form.validate_on_submit():
        try:
            members.change_role(current_user, account.user, form.role.data, form.reason.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("The role of %(name)s is saved.", name=isolate(account.user.name)),
                  "success")
            return _back(account.user)
    return _account_page(account, role_form=form, status=form_status(form))


@bp.post("/<int:user_id>/suspend")
@login_required
def suspend(user_id):
    account = admin_users.get_account(current_user, user_id)
    permissions.allow_suspend(current_user, account.user)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            members.suspend_member(current_user, account.user, form.duration.data,
                                   form.reason.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("%(name)s is suspended and signed out.", name=isolate(account.user.name)),
                  "success")
            return _back(account.user)
    return _account_page(account, suspend_form=form, status=form_status(form))


@bp.post("/<int:user_id>/unsuspend")
@login_required
def unsuspend(user_id):
    account = admin_users.get_account(current_user, user_id)
    permissions.allow_suspend(current_user, account.user)
    form = LiftSuspensionForm(prefix=LIFT)
    if form.validate_on_submit():
        try:
            members.lift_suspension(current_user, account.user, form.reason.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_l("The suspension of %(name)s is lifted.", name=isolate(account.user.name)),
                  "success")
            return _back(account.user)
    return _account_page(account, lift_form=form, status=form_status(form) or 400)


@bp.post("/<int:user_id>/reset-link")
@login_required
def reset_link(user_id):
    account = admin_users.get_account(current_user, user_id)
    if not can_send_reset_link():
        raise NotFound()
    from core.accounts import recovery  # account recovery's service (see RECOVERY)

    form = ActionForm()
    if form.validate_on_submit():
        try:
            recovery.send_reset_link(account.user, actor=current_user._get_current_object())
        except InvalidInput as error:
            flash(str(error), "error")
        else:
            flash(_l("A password reset link is on its way to %(name)s's e-mail address.",
                     name=isolate(account.user.name)), "success")
        return _back(account.user)
    return _account_page(account, status=400)
