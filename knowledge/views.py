"""Knowledge-base pages: notebooks and their modules."""
from flask import Blueprint, render_template

from core import markup
from knowledge import services

bp = Blueprint("knowledge", __name__, url_prefix="/kb")


@bp.get("")
def index():
    return render_template("knowledge/index.html", notebooks=services.list_notebooks())


@bp.get("/notebooks/<slug>")
def notebook(slug):
    return render_template("knowledge/notebook.html", notebook=services.get_notebook(slug))


@bp.get("/notebooks/<slug>/modules/<int:position>")
def module(slug, position):
    module_ = services.get_module(slug, position)
    return render_template("knowledge/module.html", module=module_, notebook=module_.notebook,
                           objectives_html=markup.render(module_.objectives))
