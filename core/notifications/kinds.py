"""The kinds of notification an application knows, each registered by the package that sends
it (forum: an accepted answer; knowledge: an article promoted, returned, published), so that
core never names another package's rows, words or pages.

A kind says what it is about (a Subject: rows of one model, with their title and page), the
sentence shown before that title, and who may see it: `visible(viewer, row)` False withholds
the title and link from that reader (a deleted question, for someone who may not see it),
and `hidden` is shown instead.
"""
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app

EXTENSION = "carnets_notifications"
# Notification.kind and Notification.subject_type are String(20).
NAME_LENGTH = 20


def everyone(viewer, row):
    """The default rule: whoever receives it may see what it is about."""
    return True


@dataclass(frozen=True)
class Subject:
    """What notifications are about: rows of `model`, loaded with `options` when a page of
    notifications is read, titled by `title(row)`, found at `link(row)` -> (endpoint, values)
    (the address is made when read, so that it follows the row)."""

    name: str
    model: type
    title: Callable[[Any], str]
    link: Callable[[Any], tuple[str, dict]]
    options: tuple = field(default=())


def no_group(row):
    """The default grouping: each notification is its own line."""
    return None


@dataclass(frozen=True)
class Kind:
    """A kind of notification: `sentence` (a lazy string) comes before the subject's title.

    `label` names the kind on the member's preferences page ("Answers to my questions"); a
    kind without a label is not the member's to choose (a moderator's warning: on the site,
    always). `default_channel` is one of models.CHANNELS, used until the member chooses.
    `applies(user)` says whether the member can ever receive it (article reviews: experts),
    so that the preferences page offers only what concerns them. `group(row)` gives the key
    that gathers notifications into one line ("3 new answers on ..."), at most 40 characters;
    `many(num)` is that line's sentence before the subject's title, an ngettext with
    `%(num)s` ("3 new answers on"); without it a line says "3 new notifications about".
    """

    name: str
    sentence: Any
    subject: Subject
    visible: Callable[[Any, Any], bool] = everyone
    hidden: Any = ""
    label: Any = None
    default_channel: str = "site"
    applies: Callable[[Any], bool] = lambda user: True
    group: Callable[[Any], str | None] = no_group
    many: Callable[[int], str] | None = None


def init_app(app):
    """Give `app` an empty registry; each package then registers its kinds."""
    app.extensions[EXTENSION] = {}


def register_kind(app, kind):
    """Let `app` send and show notifications of `kind`; a name is registered once, and a
    subject's name stands for one Subject."""
    kinds = app.extensions[EXTENSION]
    for name in (kind.name, kind.subject.name):
        if not 0 < len(name) <= NAME_LENGTH:
            raise ValueError(f"a notification name has 1 to {NAME_LENGTH} characters: {name!r}")
    if kind.name in kinds:
        raise ValueError(f"notification kind {kind.name!r} is already registered")
    for other in kinds.values():
        if other.subject.name == kind.subject.name and other.subject is not kind.subject:
            raise ValueError(f"two subjects are named {kind.subject.name!r}")
    kinds[kind.name] = kind


def all_kinds():
    """The current app's kinds, in the order they were registered."""
    return list(current_app.extensions[EXTENSION].values())


def get_kind(name):
    """The current app's kind named `name`, or None if no package registered it."""
    return current_app.extensions[EXTENSION].get(name)


def subjects():
    """{name: Subject} of the current app's kinds."""
    return {kind.subject.name: kind.subject
            for kind in current_app.extensions[EXTENSION].values()}
