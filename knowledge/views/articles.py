"""Articles: reading, writing, the review workflow, history, promotion from a thread."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts.permissions import is_expert
from core.confidentiality import guard
from core.errors import DomainError, InvalidInput
from core.forms import ActionForm, attach_error, form_status
from core.i18n import lazy_gettext as _l
from core.revisions import EditConflict, diff_lines
from core.timeutil import utcnow
from core.urls import number_arg
from forum.services import threads
from knowledge import permissions
from knowledge.services import articles, drafting, editing, notebooks, promotion, workflow
from knowledge.forms import ApproveForm, ArticleForm, EditArticleForm, PromoteForm, ReturnForm
from knowledge.views import bp


def _article_url(article):
    return url_for("knowledge.article", slug=article.slug)


@bp.get("/articles/<slug>")
def article(slug):
    return _render_article(articles.get_article(slug, current_user), ReturnForm())


def _render_article(article_, return_form, status=200):
    return render_template(
        "knowledge/article.html", article=article_, return_form=return_form,
        translations=articles.translations(article_, current_user),
        review=workflow.review_state(article_, current_user),
        unfinished=workflow.unfinished(article_) if is_expert(current_user) else [],
        source=_source(article_), today=utcnow().date()), status


@bp.get("/articles/<slug>/print")
def print_article(slug):
    article_ = articles.get_article(slug, current_user)
    return render_template("knowledge/article_print.html", article=article_,
                           source=_source(article_))


def _source(article_):
    """The thread an article was promoted from, if a reader may still see it."""
    if not article_.source_question_id:
        return None
    try:
        question = threads.get_question(article_.source_question_id, current_user)
    except DomainError:
        return None
    return question if question.is_live else None


def _form(article_=None, **kwargs):
    form_class = EditArticleForm if article_ is not None else ArticleForm
    return form_class(modules=notebooks.all_modules(),
                      articles=articles.all_for_picker(article_.id if article_ else None),
                      **kwargs)


def _text(form):
    return editing.ArticleText(
        form.title.data, form.summary.data, form.body.data, form.tags.data, form.lang.data,
        form.countries.data, form.modules.data or (), form.review_by.data,
        form.translation_of.data or None)


@bp.route("/articles/new", methods=["GET", "POST"])
@login_required
def new_article():
    permissions.allow_curate(current_user)
    form = _form()
    if request.method == "GET":
        module = notebooks.get_module_by_id(number_arg("module"))
        form.modules.data = [module.id] if module else []
        form.translation_of.data = number_arg("translation_of", 0)
        # The picker lists first the modules in the article's language: the module's own
        # language when the article is written for one, else the reader's.
        form.lang.data = module.notebook.lang if module else get_locale().language
    check = _guard_check(form) if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "article"):
                created = editing.create_article(current_user, _text(form),
                                                 edit_summary=form.edit_summary.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Draft saved. Submit it for review when it is ready."), "success")
            return redirect(_article_url(created))
    return render_template("knowledge/edit.html", form=form, article=None, guard=check,
                           guidance=drafting.guidance()), \
        form_status(form)


def _guard_check(form, article_=None):
    """What in the article's texts could identify a child (core.confidentiality.guard); the
    names of the members it credits (a promoted draft quotes them) are not."""
    credited = [c.user.name for c in article_.contributors] if article_ is not None else []
    return guard.check_form(form, ("title", "summary", "body", "edit_summary"), form.lang.data,
                            current_user, known=credited)


def _fill(form, article_, version):
    """An edit form opened on `version` of the article (its text awaiting review, if any)."""
    fields = version["fields"]
    form.title.data, form.body.data = version["title"], version["body"]
    form.summary.data, form.countries.data = fields["summary"], fields["countries"]
    form.tags.data, form.lang.data, form.modules.data = (version["tags"], version["lang"],
                                                         fields["modules"])
    form.review_by.data = article_.review_by
    form.translation_of.data = article_.translation_of_id or 0
    form.edit_summary.data = ""


def _posted_base(form, fallback):
    """The revision the posted form was opened on, kept while the editor corrects it."""
    if form.base_revision.data is None or form.base_revision.errors:
        return fallback
    return form.base_revision.data


@bp.route("/articles/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_article(slug):
    article_ = articles.get_article(slug, current_user)
    permissions.allow_edit_article(current_user, article_)
    version, base = editing.working_version(article_)
    form = _form(article_)
    if request.method == "GET":
        _fill(form, article_, version)
    conflict = None
    check = _guard_check(form, article_) if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "article", article_.id):
                editing.edit_article(current_user, slug, _text(form), form.edit_summary.data,
                                     base_revision=form.base_revision.data)
        except EditConflict as error:
            conflict = error
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Your edit is saved."), "success")
            return redirect(_article_url(article_))
    if request.method == "POST":
        base = conflict.current.number if conflict else _posted_base(form, base)
    return render_template(
        "knowledge/edit.html", form=form, article=article_, base_revision=base,
        conflict=conflict, guidance=drafting.guidance(), guard=check,
        conflict_diff=diff_lines(conflict.current.body, form.body.data) if conflict else None), \
        409 if conflict else form_status(form)


ACTIONS = {
    "submit": (workflow.submit_for_review,
               _l("Submitted for review: another expert will read it.")),
    "approve": (workflow.approve, _l("Published.")),
    "verify": (workflow.mark_verified, _l("Marked as verified today.")),
    "obsolete": (workflow.mark_obsolete, _l("Archived as obsolete.")),
    "reopen": (workflow.reopen, _l("Reopened as a draft.")),
}


# The endpoint keeps its name "workflow", which the function leaves to the services module.
@bp.post("/articles/<slug>/<any(submit,approve,verify,obsolete,reopen):action>",
         endpoint="workflow")
@login_required
def move(slug, action):
    form = ApproveForm() if action == "approve" else ActionForm()
    if not form.validate_on_submit():
        if form.form_errors:  # no valid revision the reviewer read: the page was not theirs
            raise InvalidInput(form.form_errors[0])
        abort(400)
    operation, message = ACTIONS[action]
    if action == "approve":
        changed = operation(current_user, slug, seen=form.revision.data)
    else:
        changed = operation(current_user, slug)
    flash(str(message), "success")
    return redirect(_article_url(changed))


@bp.post("/articles/<slug>/return")
@login_required
def return_article(slug):
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            changed = workflow.return_to_draft(current_user, slug, form.comment.data,
                                               seen=form.revision.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Returned to its curator with your comment."), "success")
            return redirect(_article_url(changed))
    return _render_article(articles.get_article(slug, current_user), form, 400)


@bp.get("/articles/<slug>/revisions")
def revisions(slug):
    article_, revisions_ = articles.history(slug, current_user)
    return render_template("knowledge/revisions.html", article=article_, revisions=revisions_)


@bp.get("/articles/<slug>/revisions/diff")
def diff(slug):
    article_, old, new = articles.revision_pair(slug, current_user,
                                                number_arg("from"),
                                                number_arg("to"))
    old_fields, new_fields = old.fields or {}, new.fields or {}
    return render_template(
        "knowledge/diff.html", article=article_, old=old, new=new,
        title_diff=diff_lines(old.title, new.title),
        summary_diff=diff_lines(old_fields.get("summary", ""), new_fields.get("summary", "")),
        body_diff=diff_lines(old.body, new.body))


@bp.post("/articles/<slug>/revisions/<int:number>/restore")
@login_required
def restore(slug, number):
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = editing.restore_revision(current_user, slug, number)
    flash(_("Revision %(n)s restored.", n=number), "success")
    return redirect(_article_url(changed))


@bp.route("/promote/<int:question_id>", methods=["GET", "POST"])
@login_required
def promote(question_id):
    question, answers, preselected = promotion.candidates(current_user, question_id)
    existing = promotion.existing_article(question.id)
    form = PromoteForm()
    form.answers.choices = [(answer.id, answer.author.name) for answer in answers]
    if request.method == "GET":
        form.answers.data = preselected
    if existing is None and form.validate_on_submit():
        try:
            created, _new = promotion.promote(current_user, question.id, form.answers.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Draft created from the discussion. Edit it, link its modules, then "
                    "submit it for review."), "success")
            return redirect(url_for("knowledge.edit_article", slug=created.slug))
    return render_template("knowledge/promote.html", question=question, answers=answers,
                           form=form, existing=existing), \
        form_status(form)
