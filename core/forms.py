"""Helpers shared by every form."""
from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """Buttons that change state (vote, accept, delete, restore): a CSRF token and nothing else."""


def attach_error(form, error):
    """Show a domain error beside the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def form_status(form):
    """The status of a page showing this form: 400 when it holds errors, so that nothing
    reading the response takes a refused submission for a success."""
    return 400 if form.errors or form.form_errors else 200
