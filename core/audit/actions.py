"""The names of audited actions and the words the log page shows for them. Each package
registers its own actions at start-up (register_action), like notification kinds."""
from flask import current_app

EXTENSION = "carnets_audit_actions"


def register_action(app, name, label):
    """Name an action that `record` may write; `label` is a lazy string such as
    _l("hid a post")."""
    actions = app.extensions.setdefault(EXTENSION, {})
    actions[name] = label


def label(name):
    """The words for action `name` (the name itself for an action no package registered)."""
    return current_app.extensions.get(EXTENSION, {}).get(name, name)


def names():
    """Every registered action name, sorted."""
    return sorted(current_app.extensions.get(EXTENSION, {}))
