"""The audit log: every moderator and admin action, with who, when, what and why. Rows are
only ever added (models.py refuses an update or a delete at flush); packages name their
actions (actions.py) and write them in the transaction of the action (services.py)."""


def init_app(app):
    """Make the audit table refuse changes in `app`'s sessions."""
    from core.audit import models

    models.init_app(app)
