"""The redaction page of a question or an answer (moderators): redact an earlier revision
whole, or a passage wherever the post holds it. Reached from the post's history."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import Contention, InvalidInput
from core.forms import attach_error
from forum import permissions
from forum.forms import RedactPassageForm, RedactRevisionForm
from forum.services import redaction

bp = Blueprint("redaction", __name__)


def init_app(app):
    """Name the audited action and register the pages."""
    from core.audit.actions import register_action

    register_action(app, redaction.ACTION, redaction.ACTION_LABEL)
    app.register_blueprint(bp)


def _page(post_type, post_id, revision_form=None, passage_form=None, status=200):
    post = redaction.get_post_for_redaction(current_user, post_type, post_id)
    if revision_form is None:
        # "Redact this revision" on the history page names it; anything but a number is left out.
        asked = request.args.get("revision", "")[:12]
        wanted = asked if asked.isascii() and asked.isdigit() else ""
        revision_form = RedactRevisionForm(revision=wanted)
    question = post if post_type == "question" else post.question
    return render_template(
        "forum/redact.html", post=post, post_type=post_type, question=question,
        revision_form=revision_form, passage_form=passage_form or RedactPassageForm(),
        redactable=redaction.redactable_revisions(post_type, post.id)), status


# Fixed rules: "/questions/<id>/<slug>" would otherwise take "redact" for a slug.
@bp.get("/questions/<int:post_id>/redact", defaults={"kind": "questions"})
@bp.get("/answers/<int:post_id>/redact", defaults={"kind": "answers"})
@login_required
def page(kind, post_id):
    return _page(kind[:-1], post_id)


def _redact(kind, post_id, form, operation, done):
    post_type = kind[:-1]
    # Refused before anything is read from the form: a member posting it by hand gets 403.
    permissions.allow_moderate(current_user)
    forms = {"revision_form": form} if isinstance(form, RedactRevisionForm) else {
        "passage_form": form}
    if form.validate_on_submit():
        try:
            operation(post_type, form)
        except (InvalidInput, Contention) as error:
            attach_error(form, error)
            return _page(post_type, post_id, status=error.status, **forms)
        flash(done, "success")
        return redirect(url_for("forum.revisions", kind=kind, post_id=post_id))
    return _page(post_type, post_id, status=400, **forms)


@bp.post("/<any(questions,answers):kind>/<int:post_id>/redact/revision")
@login_required
def revision(kind, post_id):
    return _redact(kind, post_id, RedactRevisionForm(), lambda post_type, form: (
        redaction.redact_revision(current_user, post_type, post_id,
                                  int(form.revision.data), form.reason.data)),
        _("The revision is redacted: its text is gone from the history, the diffs and "
          "search."))


@bp.post("/<any(questions,answers):kind>/<int:post_id>/redact/passage")
@login_required
def passage(kind, post_id):
    return _redact(kind, post_id, RedactPassageForm(), lambda post_type, form: (
        redaction.redact_passage(current_user, post_type, post_id, form.passage.data,
                                 form.reason.data)),
        _("The passage is redacted wherever the post held it."))
