"""`/healthz`: a trivial endpoint for load balancers (and the load benchmark's baseline)."""
from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    # No database and no template: it tells that the worker answers, nothing more.
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
