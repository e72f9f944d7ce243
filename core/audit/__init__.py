"""The audit log: every moderator and admin action, with who, when, what and why. Rows are
only ever added (models.py refuses an update or a delete at flush); packages name their
actions (actions.py) and write them in the transaction of the action (services.py)."""


def init_app(app):
    """Make the audit table refuse changes in `app`'s sessions; name core's own actions."""
    from core.audit import actions, models, permissions, views
    from core.i18n import lazy_gettext as _l

    models.init_app(app)
    app.register_blueprint(views.bp)
    app.jinja_env.globals["audit_perms"] = permissions
    actions.register_target(app, "user", _describe_users)
    for name, label in (
            ("suspend", _l("suspended an account")),
            ("unsuspend", _l("lifted a suspension")),
            ("role_change", _l("changed a role")),
            ("safeguarding_lead_added", _l("named a safeguarding lead")),
            ("safeguarding_lead_removed", _l("removed a safeguarding lead")),
            ("password_reset_sent", _l("sent a password reset link"))):
        actions.register_action(app, name, label)


def _describe_users(ids, _viewer):
    """{id: ("@name", profile address)} of the accounts among `ids` (any admin sees any
    profile)."""
    from sqlalchemy import select

    from core.accounts.models import User
    from core.extensions import db
    from core.hooks import page_url

    users = db.session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {user_id: ("@" + username, page_url("profile", username=username))
            for user_id, username in users}
