"""Flagging a post (any signed-in member), and the moderators' decisions on flagged posts."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import Contention, InvalidInput
from core.forms import attach_error, form_status
from forum import permissions
from forum.forms import FLAG_CHOICES, DecisionForm, FlagForm
from forum.links import question_url
from forum.services import flags, hiding
from forum.services.threads import load_question

bp = Blueprint("flags", __name__)
KINDS = "<any(questions,answers,comments):kind>"


def _where_to(post, post_type):
    """The post on its page if the member may still see it, else its thread, else the
    questions list (a flag that hid the post took it out of their sight)."""
    question = load_question(hiding.thread_of(post))
    if not permissions.can_see_post(current_user, question):
        return url_for("forum.questions")
    if post_type == "question" or not permissions.can_see_post(current_user, post):
        return question_url(question)
    return question_url(question, f"{post_type}-{post.id}")


# One rule per kind: a fixed "/questions/…/flag" outranks the question page's "<slug>".
@bp.route("/questions/<int:post_id>/flag", methods=["GET", "POST"], defaults={"kind": "questions"})
@bp.route("/answers/<int:post_id>/flag", methods=["GET", "POST"], defaults={"kind": "answers"})
@bp.route("/comments/<int:post_id>/flag", methods=["GET", "POST"], defaults={"kind": "comments"})
@login_required
def new(kind, post_id):
    post_type = kind[:-1]
    post = flags.flag_target(current_user, post_type, post_id)
    form = FlagForm()
    status = 200
    if form.validate_on_submit():
        try:
            _flag, created = flags.flag_post(current_user, post_type, post_id, form.reason.data,
                                            form.text.data)
        except (InvalidInput, flags.TooManyFlags, Contention) as error:
            attach_error(form, error)
            status = error.status
        else:
            if not created:
                flash(_("You have already flagged this post: the moderators will look at it."),
                      "info")
            else:
                flash(_("Thank you, the moderators will look at it."), "success")
            return redirect(_where_to(post, post_type))
    else:
        status = form_status(form)
    return render_template("forum/flag.html", form=form, post=post, post_type=post_type,
                           question=load_question(hiding.thread_of(post)),
                           choices=FLAG_CHOICES), status


@bp.post(f"/moderation/flags/{KINDS}/<int:post_id>")
@login_required
def decide(kind, post_id):
    # The rule before the form: a member posting this by hand gets 403 whatever they sent.
    permissions.allow_moderate(current_user)
    form = DecisionForm()
    if not form.validate_on_submit():
        # Only a broken or forged form gets here (the queue's buttons send a valid one).
        errors = form.form_errors + [error for field in form for error in field.errors]
        raise InvalidInput(errors[0] if errors else None)
    flags.decide(current_user, kind[:-1], post_id, form.decision.data, form.reason.data)
    flash(_("Your decision is recorded."), "success")
    return redirect(url_for("moderation.index", _anchor="flags-heading"), 303)
