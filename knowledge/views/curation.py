"""The curation dashboard of experts."""
from flask import render_template
from flask_login import current_user, login_required

from knowledge.services import curation
from knowledge.views import bp


@bp.get("/curation")
@login_required
def dashboard():
    return render_template("knowledge/curation.html", board=curation.dashboard(current_user))
