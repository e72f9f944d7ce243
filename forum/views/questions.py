"""Question and answer pages and the actions on them."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core import hooks, pagecache
from core.confidentiality import guard
from core.errors import Contention, InvalidInput
from core.extensions import limiter
from core.forms import attach_error, form_status
from core.i18n import select_locale
from core.urls import number_arg
from core.revisions import EditConflict, diff_lines, get_revision, latest_revision
from core.revisions import list_revisions
from forum import permissions, shared_pages
from forum.forms import ActionForm, AnswerForm, AskForm, CommentForm, EditAnswerForm
from forum.forms import EditQuestionForm
from forum.links import question_url
from forum.services import answers, comments, deletion, follows, moderation_threads, queries
from forum.services import tag_synonyms, threads
from forum.services import tags as tag_service
from forum.services import votes
# Aliased: the views `questions` and `revisions` take those names.
from forum.services import questions as question_service
from forum.services import revisions as revision_service
from search_index import service as search_service

bp = Blueprint("forum", __name__)
POST_LIMIT = "30 per hour"
# Every edit and restore counts against one budget, whichever post it changes.
edit_limit = limiter.shared_limit("60 per hour", scope="edit", methods=["POST"])


def _page_arg():
    return number_arg("page", 1)


@bp.get("/")
def home():
    return render_template("forum/home.html", questions=queries.recent_questions(),
                           answers=queries.recent_answers())


@bp.get("/questions")
def questions():
    sort = request.args.get("sort", "newest")
    tag = request.args.get("tag") or None
    lang = request.args.get("lang") or None
    page = queries.list_questions(sort=sort, tag=tag, lang=lang, page=_page_arg(),
                                  per_page=_per_page())
    return render_template("forum/questions.html", page=page, sort=sort, tag=tag, lang=lang,
                           sorts=queries.SORTS)


def _per_page():
    return current_app.config["QUESTIONS_PER_PAGE"]


@bp.route("/questions/ask", methods=["GET", "POST"])
@login_required
@limiter.limit(POST_LIMIT, methods=["POST"])
def ask():
    form = AskForm()
    if request.method == "GET":
        form.lang.data = select_locale()
        form.module.data = number_arg("module")
    if form.validate_on_submit():
        fields = (form.title.data, form.body.data, form.tags.data, form.lang.data)
        try:
            question_service.check_question(current_user, *fields)
            # Before posting, once: the threads that may already answer it (without JS too).
            similar = [] if form.similar_checked.data else search_service.similar(
                form.title.data, current_user)
            if similar:
                form.similar_checked.data = "1"
                return _ask_page(form, similar=similar)
            # What could identify a child: the author edits or confirms; nothing is saved yet.
            check = guard.check_form(form, ("title", "body"), form.lang.data, current_user)
            if check.warn:
                return _ask_page(form, guard=check)
            with guard.recording(check, current_user, "question"):
                question = question_service.ask_question(current_user, *fields,
                                                         context={"module": form.module.data})
        except (InvalidInput, Contention) as error:
            # Refused or crowded out: the question comes back as typed, never lost.
            attach_error(form, error)
            return _ask_page(form), error.status
        flash(_("Your question is posted."), "success")
        _tell_synonyms(form.tags.data)
        return redirect(question_url(question))
    return _ask_page(form), form_status(form)


def _tell_synonyms(text):
    """Say which tags the author typed were stored as their main tag."""
    for typed, main in tag_synonyms.typed_synonyms(tag_service.parse_tags(text)):
        flash(_("“%(tag)s” means the same as “%(main)s”: the question is tagged “%(main)s”.",
                tag=typed, main=main), "success")


def _ask_page(form, **values):
    # What other packages say of the question's context ("About the training module: …").
    return render_template("forum/ask.html", form=form,
                           notes=hooks.ask_notes({"module": form.module.data}), **values)


@bp.get("/questions/<int:question_id>")
@bp.get("/questions/<int:question_id>/<slug>")
@pagecache.anonymous_page(lambda question_id, slug=None: threads.thread_scope(question_id))
def question(question_id, slug=None):
    # Plain members who took no part in the thread share one rendering (forum.shared_pages).
    shared = shared_pages.question_page(question_id, _render_question)
    return shared if shared is not None else _render_question(question_id)


def _render_question(question_id, answer_form=None, status=200, guard_check=None):
    page = queries.question_page(question_id, current_user)
    # Readers who are not signed in get no form, hence no CSRF token and no session cookie.
    if answer_form is None and current_user.is_authenticated:
        answer_form = AnswerForm()
    # What other packages show on the thread ("Promoted to: …") and let the reader do with it.
    extras = (page.question, page.answers, current_user)
    # The signed-in member's follow button (anonymous pages are cached: no count there).
    follow = {"following": page.following, "count": page.followers} \
        if current_user.is_authenticated else None
    return render_template("forum/question.html", page=page, q=page.question,
                           answer_form=answer_form, guard=guard_check, follow=follow,
                           thread_badges=hooks.thread_badges(*extras),
                           thread_status=moderation_threads.status_of(page.question,
                                                                      current_user),
                           thread_actions=hooks.thread_actions(*extras)), status


@bp.post("/questions/<int:question_id>/answers")
@login_required
@limiter.limit(POST_LIMIT)
def answer(question_id):
    form = AnswerForm()
    if form.validate_on_submit():
        check = guard.check_form(form, ("body",), threads.thread_lang(question_id), current_user)
        if check.warn:
            return _render_question(question_id, answer_form=form, guard_check=check)
        try:
            with guard.recording(check, current_user, "answer"):
                new = answers.post_answer(current_user, question_id, form.body.data)
        except (InvalidInput, Contention) as error:
            attach_error(form, error)
            return _render_question(question_id, answer_form=form, status=error.status)
        flash(_("Your answer is posted."), "success")
        return redirect(question_url(new.question, f"answer-{new.id}"))
    return _render_question(question_id, answer_form=form, status=400)


@bp.post("/<any(questions,answers):kind>/<int:post_id>/comments")
@login_required
@limiter.limit(POST_LIMIT)
def comment(kind, post_id):
    post_type = kind[:-1]
    form = CommentForm()
    parent_id = form.parent_id.data
    check = guard.check_form(form, ("body",), threads.thread_lang(
        post_id if post_type == "question" else None,
        answer_id=post_id if post_type == "answer" else None), current_user) \
        if form.validate_on_submit() else None
    if check is not None and not check.warn:
        try:
            with guard.recording(check, current_user, "comment"):
                new = comments.post_comment(
                    current_user, form.body.data, parent_id=parent_id,
                    question_id=post_id if post_type == "question" else None,
                    answer_id=post_id if post_type == "answer" else None)
        except (InvalidInput, Contention) as error:
            attach_error(form, error)
        else:
            return redirect(question_url(threads.get_question(new.thread_id, current_user),
                                         f"comment-{new.id}"))
    post = threads.get_post(post_type, post_id, current_user)
    return render_template("forum/comment_form.html", form=form, post=post, post_type=post_type,
                           parent=threads.get_comment(parent_id, current_user) if parent_id else None,
                           guard=check), 200 if check is not None and check.warn else 400


@bp.get("/comments/<int:comment_id>/reply")
@login_required
def reply(comment_id):
    parent = threads.get_comment(comment_id, current_user)
    post_type = "answer" if parent.answer_id else "question"
    post = threads.get_post(post_type, parent.answer_id or parent.question_id, current_user)
    form = CommentForm(parent_id=parent.id)
    return render_template("forum/comment_form.html", form=form, post=post, post_type=post_type,
                           parent=parent)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
@edit_limit
def edit_question(question_id):
    question = threads.get_question(question_id, current_user)
    _check_editable(question)
    form = EditQuestionForm(obj=question)
    if request.method == "GET":
        form.tags.data = question.tag_names
    return _edit_page("question", question, form, question_url(question), lambda: (
        question_service.edit_question(current_user, question_id, form.title.data,
                                       form.body.data, form.tags.data, form.lang.data,
                                       form.summary.data, base_revision=form.base_revision.data)))


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@login_required
@edit_limit
def edit_answer(answer_id):
    answer_ = threads.get_answer(answer_id, current_user)
    _check_editable(answer_)
    form = EditAnswerForm(obj=answer_)
    return _edit_page("answer", answer_, form,
                      question_url(answer_.question, f"answer-{answer_.id}"), lambda: (
                          answers.edit_answer(current_user, answer_id, form.body.data,
                                              form.summary.data,
                                              base_revision=form.base_revision.data)))


def _edit_page(post_type, post, form, done_url, save):
    """Save a valid edit and go back to the post; else the form again with what was typed.

    An edit started from an older version comes back (409) beside the version saved
    meanwhile, on that version as its new base: saving again is a deliberate choice.
    """
    posted = form.validate_on_submit()
    if form.base_revision.data is None:  # a page just opened, or a form that lost its base
        newest = latest_revision(post_type, post.id)
        form.base_revision.data = newest.number if newest else None
    conflict, status, check = None, None, None
    if posted:
        # What could identify a child: shown with the form; saved only once confirmed.
        check = guard.check_form(form, _GUARDED[post_type], form.lang.data
                                 if post_type == "question" else post.question.lang,
                                 current_user)
    if posted and check.warn:
        status = 200
    elif posted:
        try:
            with guard.recording(check, current_user, post_type, post.id):
                save()
        except EditConflict as error:
            conflict, status = error.current, error.status
            form.base_revision.data = conflict.number
            attach_error(form, error)
        except (InvalidInput, Contention) as error:
            attach_error(form, error)
            status = error.status
        else:
            flash(_("Your edit is saved."), "success")
            return redirect(done_url)
    question = post if post_type == "question" else post.question
    return render_template(
        "forum/edit.html", form=form, post=post, post_type=post_type, question=question,
        conflict=conflict, guard=check,
        title_diff=diff_lines(conflict.title, form.title.data)
        if conflict is not None and post_type == "question"
        and conflict.title != form.title.data else None,
        body_diff=diff_lines(conflict.body, form.body.data) if conflict is not None else None,
    ), status or form_status(form)


def _restore_warned(post_type, post_id, number):
    """An old version that may identify a child is not restored at once: it opens in the edit
    form with the guard's warning, where the author edits it or confirms (None otherwise)."""
    post = threads.get_post(post_type, post_id, current_user)
    revision = get_revision(post_type, post.id, number)
    if (revision is None or revision.redacted_at is not None
            or not permissions.can_edit(current_user, post)):
        return None  # the service refuses with its own reason
    newest = latest_revision(post_type, post.id)
    data = {"body": revision.body, "summary": _("Restored revision %(n)s", n=number),
            "base_revision": newest.number if newest else None}
    if post_type == "question":
        form = EditQuestionForm(formdata=None, data=dict(
            data, title=revision.title, tags=revision.tags or "", lang=revision.lang or post.lang))
    else:
        form = EditAnswerForm(formdata=None, data=data)
    # The language the edit form will be checked in when posted, so that a confirmation of
    # this very text counts there.
    lang = form.lang.data if post_type == "question" else post.question.lang
    check = guard.check_form(form, _GUARDED[post_type], lang, current_user)
    if not check.warn:
        return None
    question = post if post_type == "question" else post.question
    return render_template("forum/edit.html", form=form, post=post, post_type=post_type,
                           question=question, conflict=None, guard=check, title_diff=None,
                           body_diff=None)


# The texts of an edit the guard checks (the edit summary is public in the history too).
_GUARDED = {"question": ("title", "body", "summary"), "answer": ("body", "summary")}


def _check_editable(post):
    if not permissions.can_edit(current_user, post):
        abort(403)


def _back_to(post_type, post):
    question = post if post_type == "question" else threads.get_question(
        post.question_id if post_type == "answer" else post.thread_id, current_user)
    anchor = None if post_type == "question" else f"{post_type}-{post.id}"
    return redirect(question_url(question, anchor))


def _action(post_type, post_id, operation, message=None):
    if not ActionForm().validate_on_submit():
        abort(400)
    post = operation()
    if message:
        flash(message, "success")
    return _back_to(post_type, post)


@bp.post("/<any(questions,answers,comments):kind>/<int:post_id>/delete")
@login_required
def delete(kind, post_id):
    post_type = kind[:-1]
    return _action(post_type, post_id,
                   lambda: deletion.delete_post(current_user, post_type, post_id),
                   _("Deleted. You can undelete it from the same place."))


@bp.post("/<any(questions,answers,comments):kind>/<int:post_id>/undelete")
@login_required
def undelete(kind, post_id):
    post_type = kind[:-1]
    return _action(post_type, post_id,
                   lambda: deletion.undelete_post(current_user, post_type, post_id),
                   _("Undeleted."))


@bp.post("/<any(questions,answers):kind>/<int:post_id>/vote")
@login_required
@limiter.limit("120 per hour")
def vote(kind, post_id):
    post_type = kind[:-1]
    value = {"up": 1, "down": -1}.get(request.form.get("value"))
    if value is None:
        abort(400)

    def operation():
        votes.vote(current_user, post_type, post_id, value)
        return threads.get_post(post_type, post_id, current_user)

    return _action(post_type, post_id, operation)


@bp.post("/answers/<int:answer_id>/accept")
@login_required
def accept(answer_id):
    def operation():
        accepted = answers.accept_answer(current_user, answer_id)
        flash(_("Answer accepted.") if accepted else _("Acceptance withdrawn."), "success")
        return threads.get_answer(answer_id, current_user)

    return _action("answer", answer_id, operation)


@bp.post("/questions/<int:question_id>/<any(follow,unfollow):action>")
@login_required
def follow_question(question_id, action):
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "follow":
        question = follows.follow_question(current_user, question_id)
        flash(_("You follow this question: you will hear of its new answers."), "success")
    else:
        question = follows.unfollow_question(current_user, question_id)
        flash(_("You no longer follow this question."), "success")
    return redirect(question_url(question))


# Two fixed rules: "/questions/<id>/<slug>" would otherwise take "revisions" for a slug.
@bp.get("/questions/<int:post_id>/revisions", defaults={"kind": "questions"})
@bp.get("/answers/<int:post_id>/revisions", defaults={"kind": "answers"})
def revisions(kind, post_id):
    post_type = kind[:-1]
    post = threads.get_post(post_type, post_id, current_user)
    question = post if post_type == "question" else post.question
    return render_template("forum/revisions.html", post=post, post_type=post_type,
                           question=question, revisions=list_revisions(post_type, post.id))


@bp.get("/<any(questions,answers):kind>/<int:post_id>/revisions/diff")
def diff(kind, post_id):
    post_type = kind[:-1]
    post = threads.get_post(post_type, post_id, current_user)
    old = get_revision(post_type, post.id, number_arg("from"))
    new = get_revision(post_type, post.id, number_arg("to"))
    if old is None or new is None:
        abort(404)
    question = post if post_type == "question" else post.question
    return render_template(
        "forum/diff.html", post=post, post_type=post_type, question=question, old=old, new=new,
        title_diff=diff_lines(old.title, new.title) if post_type == "question" else None,
        body_diff=diff_lines(old.body, new.body))


@bp.post("/<any(questions,answers):kind>/<int:post_id>/revisions/<int:number>/restore")
@login_required
@edit_limit
def restore(kind, post_id, number):
    post_type = kind[:-1]
    warned = _restore_warned(post_type, post_id, number)
    if warned is not None:
        return warned
    return _action(post_type, post_id,
                   lambda: revision_service.restore_revision(current_user, post_type, post_id,
                                                             number),
                   _("Revision %(n)s restored.", n=number))
