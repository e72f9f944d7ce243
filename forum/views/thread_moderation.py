"""Moderators' pages for a thread: close or reopen it, mark it as a duplicate or un-mark it,
lock or unlock it. Each page shows the one form that applies to the question's state; each
form posts to its own address and works without JavaScript. Everything is refused (403) to
anyone but moderators, before any form is read."""
from flask import Blueprint, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import Conflict, InvalidInput
from core.forms import attach_error, form_status
from forum import permissions
from forum.forms import CloseForm, DuplicateForm, LockForm, UndoForm
from forum.links import question_url
from forum.services import moderation_threads as service
from forum.services import threads

bp = Blueprint("thread_moderation", __name__)



def _question(question_id):
    permissions.allow_moderate(current_user)
    return threads.get_question(question_id, current_user)


def _done(question, page):
    """The question is in the state the page's first form brings it to."""
    return {"close": question.status == "closed",
            "duplicate": question.status == "duplicate",
            "lock": question.is_locked}[page]


def _page(question, page, form=None, status=None):
    if form is None:
        form = UndoForm() if _done(question, page) else {
            "close": CloseForm, "duplicate": DuplicateForm, "lock": LockForm}[page]()
    return render_template("forum/thread_moderation.html", q=question, page=page,
                           done=_done(question, page), form=form,
                           close_reasons=service.CLOSE_REASONS), \
        status or form_status(form)


def _submit(question_id, page, form, change, message):
    """Run `change` for a valid form, then back to the question; else the page again with
    the form as typed and the field named (nothing changed)."""
    question = _question(question_id)
    if form.validate_on_submit():
        try:
            change()
        except (InvalidInput, Conflict) as error:
            attach_error(form, error)
            return _page(question, page, form, error.status)
        flash(message, "success")
        return redirect(question_url(threads.get_question(question_id, current_user)))
    return _page(question, page, form, 400)


@bp.get("/questions/<int:question_id>/moderate/close")
@bp.get("/questions/<int:question_id>/moderate/duplicate", endpoint="duplicate_page",
        defaults={"page": "duplicate"})
@bp.get("/questions/<int:question_id>/moderate/lock", endpoint="lock_page",
        defaults={"page": "lock"})
@login_required
def close_page(question_id, page="close"):
    return _page(_question(question_id), page)


@bp.post("/questions/<int:question_id>/moderate/close")
@login_required
def close(question_id):
    permissions.allow_moderate(current_user)
    form = CloseForm()
    return _submit(question_id, "close", form, lambda: service.close_question(
        current_user, question_id, form.reason.data, form.note.data),
        _("The question is closed to new answers."))


@bp.post("/questions/<int:question_id>/moderate/reopen")
@login_required
def reopen(question_id):
    permissions.allow_moderate(current_user)
    form = UndoForm()
    return _submit(question_id, "close", form, lambda: service.reopen_question(
        current_user, question_id, form.note.data), _("The question is open again."))


@bp.post("/questions/<int:question_id>/moderate/duplicate")
@login_required
def duplicate(question_id):
    permissions.allow_moderate(current_user)
    form = DuplicateForm()

    def change():
        original_id = service.parse_question_ref(form.original.data)
        service.mark_duplicate(current_user, question_id, original_id, form.note.data)

    return _submit(question_id, "duplicate", form, change,
                   _("The question is marked as a duplicate: it points to the original."))


@bp.post("/questions/<int:question_id>/moderate/unduplicate")
@login_required
def unduplicate(question_id):
    permissions.allow_moderate(current_user)
    form = UndoForm()
    return _submit(question_id, "duplicate", form, lambda: service.unmark_duplicate(
        current_user, question_id, form.note.data),
        _("The question is no longer marked as a duplicate."))


@bp.post("/questions/<int:question_id>/moderate/lock")
@login_required
def lock(question_id):
    permissions.allow_moderate(current_user)
    form = LockForm()
    return _submit(question_id, "lock", form, lambda: service.lock_thread(
        current_user, question_id, form.reason.data), _("The thread is locked."))


@bp.post("/questions/<int:question_id>/moderate/unlock")
@login_required
def unlock(question_id):
    permissions.allow_moderate(current_user)
    form = UndoForm()
    return _submit(question_id, "lock", form, lambda: service.unlock_thread(
        current_user, question_id, form.note.data), _("The thread is unlocked."))
