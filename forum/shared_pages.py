"""The question page that plain members share (core.personal): rendered once per thread
version, language and address for a stand-in member, with each member's account menu, follow
button and CSRF token filled in at each request.

Only members whose page would be the stand-in's share it: signed in, active, with no role
above "member" (experts edit every post, moderators see hidden posts and their tools), not a
safeguarding lead, with no message waiting to be shown, and who took no part in the thread
(wrote or voted on none of its posts, in any state: their page shows their own votes, edit
and delete buttons, hidden posts; the asker's shows the accept buttons). Everyone else gets
the page rendered for them alone.
"""
from flask import get_template_attribute, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from core import pagecache, personal
from core.accounts.models import User
from core.errors import NotFound
from forum.services import queries, threads

STANDING = "member"


def _shares(user):
    return (user.is_authenticated and user.role == STANDING and not user.is_suspended
            and not user.safeguarding_lead)


def _stand_in():
    """A member of the standing that no post, vote or follow names (id 0 is never given)."""
    return User(id=0, username="member", display_name="member", email="", role=STANDING,
                safeguarding_lead=False, suspended_until=None, session_token="", locale=None,
                languages="")


def question_page(question_id, render):
    """The question page of the current member from the shared page, or None when it must be
    rendered for them alone; `render(question_id)` renders it, returning (body, status)."""
    if not _shares(current_user) or session.get("_flashes"):
        return None
    key = pagecache.shared_key(threads.thread_scope(question_id), STANDING)
    if key is None:
        return None
    page = personal.stored_page(key)
    # Who took part is read once per version of the thread, after its generation (in the
    # key): a vote committed since makes a new one, under which this page is never found.
    participants = page.data["participants"] if page is not None else \
        queries.thread_participants(question_id)
    if current_user.id in participants:
        if page is None:  # kept, not rendered: the next member who took no part renders it
            personal.store_page(key, personal.SharedPage(None, "", {"participants": participants}))
        return None
    if page is None or page.parts is None:
        page = _build(question_id, render, participants)
        if page is None:
            return None
        personal.store_page(key, page)
    follow_box = get_template_attribute("_macros/posts.html", "follow_box")
    return page.fill({"account": personal.account_menu(),
                      "follow": follow_box(question_id,
                                           queries.follow_state(question_id, current_user))})


def _build(question_id, render, participants):
    with personal.rendering_as(_stand_in()) as shared:
        try:
            body, status = render(question_id)
        except (NotFound, HTTPException):  # withdrawn: only its author and moderators see it
            return None
        return shared(body, participants=participants) if status == 200 else None
