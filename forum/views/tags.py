"""Tag index, tag pages and the tag wiki."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.confidentiality import guard
from core.errors import InvalidInput
from core.forms import attach_error, form_status
from core.i18n import select_locale
from core.urls import number_arg
from forum import permissions
from forum.forms import ActionForm, SynonymForm, TagForm
from forum.services import follows, queries, tag_synonyms
from forum.services import tags as tag_service

bp = Blueprint("tags", __name__, url_prefix="/tags")


@bp.get("")
def index():
    sort = "name" if request.args.get("sort") == "name" else "popular"
    page = number_arg("page", 1)
    tags, has_next = tag_service.list_tags(sort=sort, page=page)
    return render_template("forum/tags.html", tags=tags, sort=sort, page=page, has_next=has_next)


@bp.get("/<name>")
def show(name):
    if not tag_service.plausible_name(name):
        abort(404)
    tag = tag_service.find_tag(name)
    if tag is None or tag.synonym_of_id is not None:
        # A synonym's page is its main tag's; a translation the thesaurus knows leads to the
        # tag of its concept.
        main = tag_synonyms.main_of(tag) if tag else tag_synonyms.translated_tag(name)
        if main is None:
            abort(404)
        # The reader's order and page go along (only values the page accepts).
        kept = {}
        if request.args.get("sort") in queries.SORTS:
            kept["sort"] = request.args["sort"]
        if number_arg("page", 1) > 1:
            kept["page"] = number_arg("page", 1)
        return redirect(url_for("tags.show", name=main.name, **kept))
    sort = request.args.get("sort", "newest")
    page = queries.list_questions(sort=sort, tag=tag.name,
                                  page=number_arg("page", 1),
                                  per_page=current_app.config["QUESTIONS_PER_PAGE"])
    follow = None
    if current_user.is_authenticated:
        follow = {"following": follows.follows_tag(current_user, tag.id),
                  "count": follows.tag_follower_count(tag.id)}
    return render_template("forum/tag.html", tag=tag, page=page, sort=sort, sorts=queries.SORTS,
                           follow=follow, synonyms=tag_synonyms.synonyms_of(tag))


@bp.post("/<name>/<any(follow,unfollow):action>")
@login_required
def follow(name, action):
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "follow":
        tag = follows.follow_tag(current_user, name)
        flash(_("You follow this tag: you will hear of its new questions."), "success")
    else:
        tag = follows.unfollow_tag(current_user, name)
        flash(_("You no longer follow this tag."), "success")
    return redirect(url_for("tags.show", name=tag.name))


@bp.route("/<name>/edit", methods=["GET", "POST"])
@login_required
def edit(name):
    tag = tag_service.get_tag(name)
    if not permissions.can_edit_tag(current_user, tag):
        abort(403)
    form = TagForm(obj=tag)
    if not form.is_submitted():
        form.lang.data = tag.description_lang or select_locale()
    elif not form.lang.raw_data or not form.lang.raw_data[0]:
        form.lang.data = select_locale()
    check = guard.check_form(form, ("description",), lang=form.lang.data, user=current_user) \
        if form.validate_on_submit() else None
    if check is not None and not check.warn:
        with guard.recording(check, current_user, "tag", tag.id):
            tag_service.update_tag_description(tag, form.description.data, form.lang.data)
        flash(_("The tag description is saved."), "success")
        return redirect(url_for("tags.show", name=tag.name))
    return render_template("forum/tag_edit.html", tag=tag, form=form, guard=check)


def _synonyms_page(tag, form, status=200):
    return render_template("forum/tag_synonyms.html", tag=tag, form=form,
                           synonyms=tag_synonyms.synonyms_of(tag)), status


@bp.route("/<name>/synonyms", methods=["GET", "POST"])
@login_required
def synonyms(name):
    tag = tag_service.get_tag(name)
    if not permissions.can_manage_synonyms(current_user):
        abort(403)
    if tag.synonym_of_id is not None:
        return redirect(url_for("tags.synonyms", name=tag_synonyms.main_of(tag).name))
    form = SynonymForm()
    if not form.is_submitted():
        return _synonyms_page(tag, form)
    if form.validate():
        try:
            tag_synonyms.declare_synonym(current_user, form.synonym.data, tag.name)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("“%(synonym)s” is now a synonym of “%(tag)s”.",
                    synonym=form.synonym.data.strip().lower(), tag=tag.name), "success")
            return redirect(url_for("tags.synonyms", name=tag.name))
    return _synonyms_page(tag, form, form_status(form))


@bp.post("/<name>/synonyms/remove")
@login_required
def remove_synonym(name):
    tag = tag_service.get_tag(name)
    if not permissions.can_manage_synonyms(current_user):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    synonym = (request.form.get("synonym") or "")[:100]
    try:
        tag_synonyms.remove_synonym(current_user, synonym, tag.name)
    except InvalidInput as error:
        flash(error.message, "error")
    else:
        flash(_("“%(synonym)s” is a tag of its own again.", synonym=synonym), "success")
    return redirect(url_for("tags.synonyms", name=tag.name))
