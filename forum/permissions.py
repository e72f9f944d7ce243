"""The forum's rules, each written once: `allow_x(user, ...)` raises Forbidden (or NotFound)
with the reason the user reads; `can_x` is its boolean, for templates (`forum_perms`).

Services call the `allow_x` of what they do; views and templates ask the same rule. Who the
user is and their standing come from core.accounts.permissions.
"""
from sqlalchemy import or_, true

from core.accounts.permissions import allow_active, boolean, is_author, is_expert, is_moderator
from core.errors import Forbidden, NotFound
from core.i18n import lazy_gettext as _l


def allow_see_post(user, post):
    """A deleted question, answer or comment is seen by its author and moderators only;
    to anyone else it does not exist (NotFound)."""
    if post.is_deleted and not (is_author(user, post) or is_moderator(user)):
        raise NotFound()


can_see_post = boolean(allow_see_post)


def visible_posts(model, user):
    """SQL condition of allow_see_post over `model`'s rows (Question, Answer or Comment)."""
    if is_moderator(user):
        return true()
    if user is not None and user.is_authenticated:
        return or_(model.deleted_at.is_(None), model.author_id == user.id)
    return model.deleted_at.is_(None)


def allow_ask(user):
    """Any active user asks a question."""
    allow_active(user)


can_ask = boolean(allow_ask)


def allow_answer(user, question):
    """An active user answers a live question that is open to answers."""
    allow_active(user)
    if question.is_deleted:
        raise Forbidden(_l("This question is deleted."))
    if question.status != "open":
        raise Forbidden(_l("This question is closed to new answers."))


can_answer = boolean(allow_answer)


def allow_comment(user, post):
    """An active user comments on a live question, or on a live answer of a live question."""
    allow_active(user)
    if post.is_deleted:
        raise Forbidden(_l("You cannot comment on a deleted post."))
    # Its author and moderators still see a deleted question, but nothing is added to it.
    if post.post_type == "answer" and post.question.is_deleted:
        raise Forbidden(_l("You cannot comment in a deleted question."))


can_comment = boolean(allow_comment)


def allow_reply(user, comment):
    """An active user replies to a live comment (the reply then goes where the comment is,
    under allow_comment)."""
    allow_active(user)
    if comment.is_deleted:
        raise Forbidden(_l("You cannot reply to a deleted comment."))


can_reply = boolean(allow_reply)


def allow_edit(user, post):
    """The author edits their question or answer, experts and moderators any; a deleted post
    is undeleted first."""
    allow_active(user)
    if not (is_author(user, post) or is_expert(user)):
        raise Forbidden()
    if post.is_deleted:
        raise Forbidden(_l("Undelete this post before editing it."))


can_edit = boolean(allow_edit)


def allow_delete(user, post):
    """The author or a moderator deletes a post, and undeletes it."""
    allow_active(user)
    if not (is_author(user, post) or is_moderator(user)):
        raise Forbidden()


can_delete = boolean(allow_delete)


def allow_vote(user, post):
    """An active user votes on a live question or answer in a live thread, never their own."""
    allow_active(user)
    if post.is_deleted:
        raise Forbidden(_l("You cannot vote on a deleted post."))
    if post.post_type == "answer" and post.question.is_deleted:
        raise Forbidden(_l("You cannot vote in a deleted question."))
    if is_author(user, post):
        raise Forbidden(_l("You cannot vote on your own post."))


can_vote = boolean(allow_vote)


def allow_accept(user, answer):
    """The asker, or a moderator, accepts a live answer of a live question (and withdraws
    the acceptance)."""
    allow_active(user)
    question = answer.question
    if not (is_author(user, question) or is_moderator(user)):
        raise Forbidden(_l("Only the person who asked, or a moderator, can accept an answer."))
    if answer.is_deleted or question.is_deleted:
        raise Forbidden(_l("You cannot accept a deleted post."))


can_accept = boolean(allow_accept)


def allow_edit_tag(user, tag):
    """Experts write the tag wiki."""
    if not is_expert(user):
        raise Forbidden()


can_edit_tag = boolean(allow_edit_tag)
