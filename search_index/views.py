"""The search page: one box, results grouped by thread, filters in the query itself."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from core.urls import number_arg
from search_index import permissions, service
from search_index.query import SORTS

bp = Blueprint("search", __name__)


@bp.get("/search")
def search():
    text = request.args.get("q", "")
    sort = request.args.get("sort", "relevance")
    page = number_arg("page", 1)
    results = service.search(text, sort=sort, page=page, viewer=current_user)
    return render_template("search/results.html", results=results, sorts=SORTS,
                           thesaurus_link=permissions.can_edit_thesaurus(current_user))
