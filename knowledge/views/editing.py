"""Experts and admins write notebooks and their modules (every module edit is a revision)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.confidentiality import guard
from core.errors import InvalidInput
from core.forms import attach_error, form_status
from core.revisions import EditConflict, diff_lines, list_revisions
from knowledge import permissions
from knowledge.services import notebooks
from knowledge.forms import EditModuleForm, ModuleForm, NotebookForm
from knowledge.views import bp


@bp.route("/notebooks/new", methods=["GET", "POST"])
@login_required
def new_notebook():
    permissions.allow_edit_notebooks(current_user)
    form = NotebookForm()
    check = _notebook_check(form) if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "notebook"):
                notebook = notebooks.save_notebook(current_user, form.title.data,
                                                   form.summary.data, form.lang.data,
                                                   new_slug=form.slug.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Notebook created. Add its modules."), "success")
            return redirect(url_for("knowledge.notebook", slug=notebook.slug))
    return render_template("knowledge/notebook_edit.html", form=form, notebook=None,
                           guard=check), form_status(form)


def _notebook_check(form):
    """What in a notebook's title and summary could identify a child."""
    return guard.check_form(form, ("title", "summary"), form.lang.data, current_user)


@bp.route("/notebooks/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_notebook(slug):
    permissions.allow_edit_notebooks(current_user)
    notebook = notebooks.get_notebook(slug)
    form = NotebookForm(obj=notebook)
    check = _notebook_check(form) if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "notebook", notebook.id):
                notebooks.save_notebook(current_user, form.title.data, form.summary.data,
                                        form.lang.data, slug=slug)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Your edit is saved."), "success")
            return redirect(url_for("knowledge.notebook", slug=slug))
    return render_template("knowledge/notebook_edit.html", form=form, notebook=notebook,
                           guard=check), form_status(form)


@bp.route("/notebooks/<slug>/modules/new", methods=["GET", "POST"])
@login_required
def new_module(slug):
    permissions.allow_edit_notebooks(current_user)
    notebook = notebooks.get_notebook(slug)
    form = ModuleForm()
    check = _guard_check(form, notebook, MODULE_TEXTS) if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "module"):
                module = notebooks.add_module(current_user, slug, form.title.data,
                                              form.summary.data, form.objectives.data,
                                              form.body.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Module added."), "success")
            return redirect(url_for("knowledge.module", slug=slug, position=module.position))
    return render_template("knowledge/module_edit.html", form=form, notebook=notebook,
                           module=None, guard=check), form_status(form)


# The texts of a module the guard checks (core.confidentiality.guard), in its notebook's
# language.
MODULE_TEXTS = ("title", "summary", "objectives", "body")


def _guard_check(form, notebook, names):
    return guard.check_form(form, names, notebook.lang, current_user)


@bp.route("/notebooks/<slug>/modules/<int:position>/edit", methods=["GET", "POST"])
@login_required
def edit_module(slug, position):
    permissions.allow_edit_notebooks(current_user)
    module = notebooks.get_module(slug, position)
    form = EditModuleForm(obj=module)
    base = notebooks.module_base(module)
    if request.method == "GET":
        form.edit_summary.data = ""
    conflict = None
    check = _guard_check(form, module.notebook, MODULE_TEXTS + ("edit_summary",)) \
        if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "module", module.id):
                notebooks.edit_module(current_user, slug, position, form.title.data,
                                      form.summary.data, form.objectives.data, form.body.data,
                                      form.edit_summary.data,
                                      base_revision=form.base_revision.data)
        except EditConflict as error:
            conflict = error
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Your edit is saved."), "success")
            return redirect(url_for("knowledge.module", slug=slug, position=position))
    if request.method == "POST":
        base = conflict.current.number if conflict else (
            base if form.base_revision.data is None or form.base_revision.errors
            else form.base_revision.data)
    return render_template(
        "knowledge/module_edit.html", form=form, notebook=module.notebook, module=module,
        base_revision=base, conflict=conflict, guard=check,
        conflict_diff=diff_lines(conflict.current.body, form.body.data) if conflict else None), \
        409 if conflict else form_status(form)


@bp.get("/notebooks/<slug>/modules/<int:position>/revisions")
def module_revisions(slug, position):
    module = notebooks.get_module(slug, position)
    return render_template("knowledge/module_revisions.html", module=module,
                           notebook=module.notebook,
                           revisions=list_revisions("module", module.id))
