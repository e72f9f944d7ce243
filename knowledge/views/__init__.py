"""Knowledge-base pages under /kb (one blueprint, its routes in one module per subject), and
the feed of published articles under /feeds."""
from flask import Blueprint

bp = Blueprint("knowledge", __name__, url_prefix="/kb")


def register(app):
    """Attach every route module to the blueprint, then the blueprint to `app`."""
    # Importing a module attaches its routes to the blueprint.
    from knowledge.views import articles, curation, editing, feeds, notebooks  # noqa: F401

    app.register_blueprint(bp)
    app.register_blueprint(feeds.bp)
