"""Pages shared by the members of one standing, with each member's own parts filled in.

A signed-in member's heavy page (a thread of twenty answers) used to be rendered whole for
every request, at several times the cost of a visitor's uncached page. Most of it is the same for
every plain member who took no part in the thread: the posts, and what any member may do with
them (vote, flag, comment). That page is rendered once, as a stand-in member of the standing
(`rendering_as`), kept in the page cache under the generations of what it shows (so it is
invalidated exactly as the visitors' pages are), and each request fills in only what is the
member's own:

- the CSRF token: the stand-in's forms carry a random placeholder, replaced by the member's
  token (the placeholder is drawn when the page is rendered, so no text of the page can hold
  it);
- slots: parts marked in the templates with `slot_open(name)` / `slot_close()` (the account
  menu of the header, a follow button) are cut out when the page is stored and rendered again
  for the member at each request by a small macro.

Who may share such a page is the caller's decision (forum's question page: plain members
who wrote nothing and voted on nothing in the thread); anyone else gets the page rendered
for them alone, as before.
"""
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app, g, get_template_attribute
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from core.extensions import cache

_RECORDING = "carnets_personal_nonce"


def slot_open(name):
    """Template global: where the member's own part `name` starts (nothing outside a shared
    rendering)."""
    nonce = g.get(_RECORDING)
    return Markup(f"<!--{nonce}:{name}-->") if nonce else Markup("")


def slot_close():
    """Template global: where the part opened by `slot_open` ends."""
    nonce = g.get(_RECORDING)
    return Markup(f"<!--{nonce}:end-->") if nonce else Markup("")


@dataclass
class SharedPage:
    """A page rendered for a standing: `parts` alternates text and slot names (odd indexes),
    or is None when only `data` is kept so far; `token` stands for the CSRF token; `data` is
    what the caller kept with it."""
    parts: list
    token: str
    data: dict = field(default_factory=dict)

    def fill(self, slots):
        """The page for the current member: `slots` maps every slot name to its HTML."""
        body = "".join(slots[part] if index % 2 else part
                       for index, part in enumerate(self.parts))
        return body.replace(self.token, generate_csrf())


def _split(body, nonce):
    pattern = re.compile(rf"<!--{nonce}:([a-z-]+)-->.*?<!--{nonce}:end-->", re.DOTALL)
    parts = pattern.split(body)
    if nonce in "".join(parts[::2]):  # a slot left open: never serve such a page
        raise ValueError("unbalanced slot in a shared page")
    return parts


@contextmanager
def rendering_as(stand_in):
    """Within the block, pages render for `stand_in` (current_user) and their forms carry a
    placeholder token; yields a function that makes a SharedPage of the rendered body.

    Everything the rendering leaves in `g` (the stand-in, its notification count, the
    placeholder token) is dropped afterwards: the rest of the request is the member's again.
    """
    globals_ = g._get_current_object().__dict__
    saved = dict(globals_)
    nonce, token = uuid.uuid4().hex, uuid.uuid4().hex
    globals_["_login_user"] = stand_in
    globals_[current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")] = token
    globals_[_RECORDING] = nonce
    try:
        yield lambda body, **data: SharedPage(_split(body, nonce), token, data)
    finally:
        globals_.clear()
        globals_.update(saved)


def stored_page(key):
    """The SharedPage stored under `key` (core.pagecache.shared_key), or None."""
    return cache.get(key)


def store_page(key, page):
    """Keep `page` under `key` for PAGE_CACHE_SECONDS."""
    cache.set(key, page, timeout=current_app.config["PAGE_CACHE_SECONDS"])


def account_menu():
    """The header's account menu of the current member (a slot of every shared page)."""
    context = {}
    current_app.update_template_context(context)  # the unread count of the header
    return get_template_attribute("_macros/account.html", "account_menu")(
        context.get("unread_notifications", 0))


def init_app(app):
    """Make the slot markers available to every template."""
    app.jinja_env.globals.update(slot_open=slot_open, slot_close=slot_close)
