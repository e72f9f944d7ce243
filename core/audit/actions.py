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


TARGETS = "carnets_audit_targets"


def register_target(app, target_type, describe):
    """Let the log page name and link targets of `target_type` ("user", "question"...):
    `describe(ids, viewer)` returns {id: (text, url or None)} for the ids that still exist and
    that `viewer` may see (one call per page of entries, so one query per type). Registered by
    the package that owns the rows, so that core never imports it."""
    app.extensions.setdefault(TARGETS, {})[target_type] = describe


def describe_targets(entries, viewer):
    """{(target type, id): (text, url or None)} of the targets of `entries` that a package
    describes for `viewer`; the others are left out (the page writes their type and number)."""
    wanted = {}
    for entry in entries:
        if entry.target_type and entry.target_id is not None:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    found = {}
    describers = current_app.extensions.get(TARGETS, {})
    for target_type, ids in wanted.items():
        describe = describers.get(target_type)
        if describe is not None:
            found.update(((target_type, target_id), value)
                         for target_id, value in describe(sorted(ids), viewer).items())
    return found
