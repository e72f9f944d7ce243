"""Knowledge-base pages under /kb: one blueprint, its routes in one module per subject."""
from flask import Blueprint

bp = Blueprint("knowledge", __name__, url_prefix="/kb")


def register(app):
    """Attach every route module to the blueprint, then the blueprint to `app`."""
    from knowledge.views import articles, curation, editing, notebooks  # noqa: F401 (routes)

    app.register_blueprint(bp)
