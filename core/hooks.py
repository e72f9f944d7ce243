"""What a package shows on pages it does not own, registered by its init_app: the site's
navigation, the well-known pages other packages link to (home, search, a profile…), and the
badges, actions and notes a package adds to a discussion thread or to the ask form.

The layout (base.html, the error page) and forum's pages render what is registered here, so
they name no endpoint of a package they may not import (tests/test_layout.py). Providers are
called by views, never by templates: a provider may query, a template never does.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

from flask import current_app, url_for

EXTENSION = "carnets_hooks"


@dataclass(frozen=True)
class NavItem:
    """An entry of the site's navigation. `condition(user)`, when given, says who sees it,
    from the user alone: the layout calls it on every page, so it never queries."""
    label: object  # a lazy string, translated when the page is rendered
    endpoint: str
    order: int
    condition: Optional[Callable] = None
    css_class: Optional[str] = None


@dataclass(frozen=True)
class Link:
    """A link as a template renders it (a navigation entry, an action on a thread)."""
    label: object
    url: str
    css_class: Optional[str] = None


@dataclass(frozen=True)
class Badge:
    """A labelled link shown under a thread's title ("Promoted to: <article>")."""
    label: object
    title: str
    url: str
    lang: Optional[str] = None
    css_class: Optional[str] = None


@dataclass(frozen=True)
class Note:
    """A labelled text shown on a form ("About the training module: <module>")."""
    label: object
    text: str


@dataclass
class Hooks:
    """The registrations of one application."""
    navigation: list = field(default_factory=list)
    pages: dict = field(default_factory=dict)
    thread_badges: list = field(default_factory=list)
    thread_actions: list = field(default_factory=list)
    ask_notes: list = field(default_factory=list)


def _hooks(app=None):
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, Hooks())


def add_navigation(app, label, endpoint, order, condition=None, css_class=None):
    """Add an entry to the site's navigation, placed by `order` (smallest first)."""
    _hooks(app).navigation.append(NavItem(label, endpoint, order, condition, css_class))


def add_page(app, name, endpoint):
    """Name the endpoint that serves a well-known page ("home", "search", "profile", "ask",
    "tag"), for the layout and the packages that link to it without importing its owner."""
    pages = _hooks(app).pages
    if pages.get(name, endpoint) != endpoint:
        raise ValueError(f"page {name!r} is already served by {pages[name]!r}")
    pages[name] = endpoint


def add_thread_badges(app, provider):
    """Register `provider(question, answers, viewer) -> [Badge]` for question pages."""
    _hooks(app).thread_badges.append(provider)


def add_thread_actions(app, provider):
    """Register `provider(question, answers, viewer) -> [Link]` for question pages."""
    _hooks(app).thread_actions.append(provider)


def add_ask_notes(app, provider):
    """Register `provider(context) -> [Note]`, what the ask form says of the context a
    question is asked in (the `context` of forum's question_asked signal)."""
    _hooks(app).ask_notes.append(provider)


def page_url(page, /, **values):
    """The address of the well-known `page` (see add_page); `values` as for url_for."""
    return url_for(_hooks().pages[page], **values)


def navigation(user):
    """The navigation entries `user` sees, in order, as links."""
    items = sorted(_hooks().navigation, key=lambda item: item.order)
    return [Link(item.label, url_for(item.endpoint), item.css_class) for item in items
            if item.condition is None or item.condition(user)]


def thread_badges(question, answers, viewer):
    """What the registered packages show under a thread's title."""
    return [badge for provider in _hooks().thread_badges
            for badge in provider(question, answers, viewer)]


def thread_actions(question, answers, viewer):
    """What the registered packages let `viewer` do with a thread."""
    return [action for provider in _hooks().thread_actions
            for action in provider(question, answers, viewer)]


def ask_notes(context):
    """What the registered packages say of the context of a question being asked."""
    return [note for provider in _hooks().ask_notes for note in provider(context)]


def init_app(app):
    """Start an empty registry and give templates the navigation and the pages' addresses."""
    app.extensions[EXTENSION] = Hooks()
    app.jinja_env.globals.update(navigation=navigation, page_url=page_url)
