"""The moderation page: safeguarding alerts (leads only, first) and the queue of flags."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from core.i18n import lazy_gettext as _l
from forum import permissions
from forum.services import flags, safeguarding

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


def init_app(app):
    """The page is in the header of those who may see it."""
    from core import hooks

    hooks.add_navigation(app, _l("Moderation"), "moderation.index", order=80,
                         condition=permissions.can_see_moderation)


@bp.get("")
@login_required
def index():
    permissions.allow_see_moderation(current_user)
    alerts = safeguarding.open_alerts() if permissions.can_handle_alerts(current_user) else []
    groups = flags.open_flag_groups() if permissions.can_moderate(current_user) else []
    return render_template("moderation/index.html", alerts=alerts, flag_groups=groups)
