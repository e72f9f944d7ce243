"""/kb, notebooks and their modules."""
from flask import Response, render_template, request
from flask_login import current_user

from core import markup
from forum.services import queries
from knowledge.services import articles, export, notebooks
from knowledge.views import bp


@bp.get("")
def index():
    tag = request.args.get("tag", "").strip()[:35]
    return render_template(
        "knowledge/index.html", notebooks=notebooks.list_notebooks(),
        recent=articles.recent_published(), tags=articles.tag_counts(), tag=tag,
        tagged=articles.published_with_tag(tag) if tag else None)


@bp.get("/notebooks/<slug>")
def notebook(slug):
    return render_template("knowledge/notebook.html", notebook=notebooks.get_notebook(slug))


@bp.get("/notebooks/<slug>/modules/<int:position>")
def module(slug, position):
    module_ = notebooks.get_module(slug, position)
    return render_template(
        "knowledge/module.html", module=module_, notebook=module_.notebook,
        objectives_html=markup.render(module_.objectives),
        articles=articles.published_for_module(module_.id),
        questions=queries.recent_for_ids(notebooks.question_ids_for_module(module_.id)),
        me_can_ask=current_user.is_authenticated)


@bp.get("/notebooks/<slug>/offline.zip")
def offline(slug):
    """The notebook as a zip of static pages, to read without a connection."""
    bundle = export.build(slug)
    return Response(bundle.data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{bundle.filename}"',
        "Cache-Control": "public, max-age=300"})


@bp.get("/notebooks/<slug>/modules/<int:position>/print")
def print_module(slug, position):
    module_ = notebooks.get_module(slug, position)
    return render_template(
        "knowledge/module_print.html", module=module_, notebook=module_.notebook,
        objectives_html=markup.render(module_.objectives),
        articles=articles.published_for_module(module_.id))
