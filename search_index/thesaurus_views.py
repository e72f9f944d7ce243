"""The thesaurus pages: experts list, add, change and delete concepts, and see the posts each
one reaches."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import InvalidInput
from core.forms import ActionForm, attach_error, form_status
from search_index import concepts, permissions
from search_index.forms import ConceptForm

bp = Blueprint("thesaurus", __name__, url_prefix="/search/thesaurus")


@bp.before_request
@login_required
def _experts_only():
    permissions.allow_edit_thesaurus(current_user)


@bp.get("")
def index():
    return render_template("search/thesaurus.html", concepts=concepts.listed_concepts(),
                           form=ActionForm())


@bp.get("/<int:concept_id>")
def show(concept_id):
    concept = concepts.get_concept(concept_id)
    total, cards = concepts.reach(concept, current_user)
    return render_template("search/concept.html", concept=concept, total=total, cards=cards,
                           form=ActionForm())


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit(None)


@bp.route("/<int:concept_id>/edit", methods=["GET", "POST"])
def edit(concept_id):
    return _edit(concepts.get_concept(concept_id))


@bp.post("/<int:concept_id>/delete")
def delete(concept_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    concepts.delete_concept(current_user, concept_id)
    flash(_("The concept is deleted; the posts that carried it are being indexed again."),
          "success")
    return redirect(url_for("thesaurus.index"))


def _edit(concept):
    form = ConceptForm()
    if concept is not None and not form.is_submitted():
        form.slug.data, form.tags.data = concept.slug, concept.tags
        for lang, names in (concept.names or {}).items():
            field = getattr(form, "names_" + lang, None)
            if field is not None:
                field.data = "\n".join(names)
    if form.validate_on_submit():
        data = concepts.ConceptInput(slug=form.slug.data, names=form.names(),
                                     tags=form.tag_list())
        try:
            saved = concepts.save_concept(current_user, concept.id if concept else None, data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("The concept is saved; the posts it concerns are being indexed again."),
                  "success")
            return redirect(url_for("thesaurus.show", concept_id=saved.id))
    return render_template("search/concept_edit.html", concept=concept, form=form), \
        form_status(form)


def describe_concepts(ids, _viewer):
    """{id: (identifier, address)} of the concepts among `ids`, for the audit log."""
    from sqlalchemy import select

    from core.extensions import db
    from search_index.models import ThesaurusConcept

    rows = db.session.execute(select(ThesaurusConcept.id, ThesaurusConcept.slug)
                              .where(ThesaurusConcept.id.in_(ids)))
    return {ident: (slug, url_for("thesaurus.show", concept_id=ident)) for ident, slug in rows}
