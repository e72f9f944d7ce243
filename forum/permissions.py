"""The forum's rules, each written once: `allow_x(user, ...)` raises Forbidden (or NotFound)
with the reason the user reads; `can_x` answers True or False, for templates (`forum_perms`).

Services call the `allow_x` of what they do; views and templates ask the same rule. Who the
user is and their standing come from core.accounts.permissions.
"""
from sqlalchemy import or_, true

from core.accounts.permissions import Refusal, inactive, is_author, is_expert, is_moderator
from core.accounts.permissions import pair
from core.errors import Forbidden, NotFound
from core.i18n import lazy_gettext as _l

HIDDEN = Refusal(NotFound)
NOT_ALLOWED = Refusal(Forbidden)
QUESTION_DELETED = Refusal(Forbidden, _l("This question is deleted."))
QUESTION_CLOSED = Refusal(Forbidden, _l("This question is closed to new answers."))
COMMENT_ON_DELETED = Refusal(Forbidden, _l("You cannot comment on a deleted post."))
COMMENT_IN_DELETED = Refusal(Forbidden, _l("You cannot comment in a deleted question."))
REPLY_TO_DELETED = Refusal(Forbidden, _l("You cannot reply to a deleted comment."))
UNDELETE_MODERATED = Refusal(
    Forbidden, _l("A moderator deleted this post: only a moderator can bring it back."))
EDIT_DELETED = Refusal(Forbidden, _l("Undelete this post before editing it."))
VOTE_ON_DELETED = Refusal(Forbidden, _l("You cannot vote on a deleted post."))
VOTE_IN_DELETED = Refusal(Forbidden, _l("You cannot vote in a deleted question."))
VOTE_ON_OWN = Refusal(Forbidden, _l("You cannot vote on your own post."))
ACCEPT_NOT_ASKER = Refusal(
    Forbidden, _l("Only the person who asked, or a moderator, can accept an answer."))
ACCEPT_DELETED = Refusal(Forbidden, _l("You cannot accept a deleted post."))
# Thread moderation (forum.services.moderation_threads): a locked thread is frozen for all
# but moderators.
QUESTION_DUPLICATE = Refusal(
    Forbidden, _l("This question is marked as a duplicate: answer the original question."))
THREAD_LOCKED = Refusal(
    Forbidden, _l("This thread is locked by a moderator: no new answers, comments, votes or "
                  "edits."))


def _locked(user, question):
    """THREAD_LOCKED when `question`'s thread is locked and `user` is not a moderator."""
    if question is not None and question.is_locked and not is_moderator(user):
        return THREAD_LOCKED
    return None


def _thread_of(post):
    """The question a question, answer or comment belongs to."""
    if post.post_type == "question":
        return post
    if post.post_type == "answer":
        return post.question
    return post.thread


def _see_post(user, post):
    """A deleted or hidden question, answer or comment (not `is_live`) is seen by its author
    and moderators only; to anyone else it does not exist (NotFound)."""
    if not post.is_live and not (is_author(user, post) or is_moderator(user)):
        return HIDDEN
    return None


allow_see_post, can_see_post = pair(_see_post)


def visible_posts(model, user):
    """The rule of allow_see_post as an SQL condition on `model` (Question, Answer, Comment)."""
    if is_moderator(user):
        return true()
    if user is not None and user.is_authenticated:
        return or_(model.is_live, model.author_id == user.id)
    return model.is_live


def _ask(user):
    """Any active user asks a question."""
    return inactive(user)


allow_ask, can_ask = pair(_ask)


def _answer(user, question):
    """An active user answers a live question that is open to answers."""
    if refusal := inactive(user):
        return refusal
    if question.is_deleted:
        return QUESTION_DELETED
    if question.status == "duplicate":
        return QUESTION_DUPLICATE
    if question.status != "open":
        return QUESTION_CLOSED
    return _locked(user, question)


allow_answer, can_answer = pair(_answer)


def _comment(user, post):
    """An active user comments on a live question, or on a live answer of a live question."""
    if refusal := inactive(user):
        return refusal
    if post.is_deleted:
        return COMMENT_ON_DELETED
    # Its author and moderators still see a deleted question, but nothing is added to it.
    if post.post_type == "answer" and post.question.is_deleted:
        return COMMENT_IN_DELETED
    # Closed and duplicate questions still take comments; locked threads do not.
    return _locked(user, _thread_of(post))


allow_comment, can_comment = pair(_comment)


def _reply(user, comment):
    """An active user replies to a live comment (the reply joins the comment's post, which
    allow_comment rules on)."""
    if refusal := inactive(user):
        return refusal
    if comment.is_deleted:
        return REPLY_TO_DELETED
    return _locked(user, _thread_of(comment))


allow_reply, can_reply = pair(_reply)


def _edit(user, post):
    """The author edits their question or answer, experts and moderators any; a deleted post
    is undeleted first."""
    if refusal := inactive(user):
        return refusal
    if not (is_author(user, post) or is_expert(user)):
        return NOT_ALLOWED
    if post.is_deleted:
        return EDIT_DELETED
    return _locked(user, _thread_of(post))


allow_edit, can_edit = pair(_edit)


def _delete(user, post):
    """The author or a moderator deletes a post, and undeletes it; a post a moderator deleted
    comes back only by a moderator (the author could otherwise undo a moderation decision)."""
    if refusal := inactive(user):
        return refusal
    if not (is_author(user, post) or is_moderator(user)):
        return NOT_ALLOWED
    if (post.is_deleted and post.deleted_by_id not in (None, user.id)
            and not is_moderator(user)):
        return UNDELETE_MODERATED
    return None


allow_delete, can_delete = pair(_delete)


def _vote(user, post):
    """An active user votes on a live question or answer in a live thread, never their own."""
    if refusal := inactive(user):
        return refusal
    if post.is_deleted:
        return VOTE_ON_DELETED
    if post.post_type == "answer" and post.question.is_deleted:
        return VOTE_IN_DELETED
    if is_author(user, post):
        return VOTE_ON_OWN
    return _locked(user, _thread_of(post))


allow_vote, can_vote = pair(_vote)


def _accept(user, answer):
    """The asker, or a moderator, accepts a live answer of a live question (and withdraws the
    acceptance)."""
    if refusal := inactive(user):
        return refusal
    question = answer.question
    if not (is_author(user, question) or is_moderator(user)):
        return ACCEPT_NOT_ASKER
    if answer.is_deleted or question.is_deleted:
        return ACCEPT_DELETED
    return _locked(user, question)


allow_accept, can_accept = pair(_accept)


def _edit_tag(user, tag):
    """Experts write the tag wiki."""
    return None if is_expert(user) else NOT_ALLOWED


allow_edit_tag, can_edit_tag = pair(_edit_tag)


def _manage_synonyms(user):
    """Experts and moderators declare and remove tag synonyms."""
    if refusal := inactive(user):
        return refusal
    return None if is_expert(user) or is_moderator(user) else NOT_ALLOWED


allow_manage_synonyms, can_manage_synonyms = pair(_manage_synonyms)


def _moderate(user):
    """Moderators (and admins) handle flags, hide, close, lock and redact."""
    if refusal := inactive(user):
        return refusal
    return None if is_moderator(user) else NOT_ALLOWED


allow_moderate, can_moderate = pair(_moderate)


def _handle_alerts(user):
    """Only the safeguarding leads read and answer safeguarding alerts; to anyone else they
    do not exist."""
    if inactive(user) or not user.safeguarding_lead:
        return HIDDEN
    return None


allow_handle_alerts, can_handle_alerts = pair(_handle_alerts)


def _see_moderation(user):
    """The moderation page is for moderators and safeguarding leads."""
    if refusal := inactive(user):
        return refusal
    if is_moderator(user) or user.safeguarding_lead:
        return None
    return NOT_ALLOWED


allow_see_moderation, can_see_moderation = pair(_see_moderation)


SUSPEND_SELF = Refusal(Forbidden, _l("You cannot suspend your own account."))
SUSPEND_ADMIN = Refusal(Forbidden, _l("An administrator's account cannot be suspended."))
SUSPEND_MODERATOR = Refusal(Forbidden, _l("Only an administrator can suspend a moderator."))
WARN_SELF = Refusal(Forbidden, _l("You cannot warn yourself."))


def _suspend(user, member):
    """A moderator suspends members and experts (and lifts it); an administrator suspends
    moderators too; nobody suspends an administrator or themselves."""
    if refusal := _moderate(user):
        return refusal
    if member.id == user.id:
        return SUSPEND_SELF
    if member.has_role("admin"):
        return SUSPEND_ADMIN
    if member.has_role("moderator") and not user.has_role("admin"):
        return SUSPEND_MODERATOR
    return None


allow_suspend, can_suspend = pair(_suspend)


def _warn(user, member):
    """A moderator warns any other member about their posts."""
    if refusal := _moderate(user):
        return refusal
    return WARN_SELF if member.id == user.id else None


allow_warn, can_warn = pair(_warn)


def _change_role(user, member):
    """Administrators give roles (the last administrator stays one: accounts.set_role)."""
    if refusal := inactive(user):
        return refusal
    return None if user.has_role("admin") else NOT_ALLOWED


allow_change_role, can_change_role = pair(_change_role)


def _see_warning(user, warning):
    """A warning is read by the member warned and by moderators; to anyone else it does not
    exist."""
    if user is None or not user.is_authenticated:
        return HIDDEN
    return None if user.id == warning.user_id or is_moderator(user) else HIDDEN


allow_see_warning, can_see_warning = pair(_see_warning)


def _raise_alert(user):
    """Any active member raises a safeguarding alert on a post they can see."""
    return inactive(user)


allow_raise_alert, can_raise_alert = pair(_raise_alert)


def _name_safeguarding_leads(user):
    """Admins name the safeguarding leads."""
    if refusal := inactive(user):
        return refusal
    return None if user.has_role("admin") else NOT_ALLOWED


allow_name_safeguarding_leads, can_name_safeguarding_leads = pair(_name_safeguarding_leads)
def _flag(user, post):
    """Any active member flags a post they can see, their own included (an author who
    realises a post identifies a child)."""
    if refusal := inactive(user):
        return refusal
    return _see_post(user, post)


allow_flag, can_flag = pair(_flag)


def _administer_users(user):
    """Administrators search the accounts and act on them (/admin/users); anyone else signed
    in is refused (403), as on the audit log."""
    if refusal := inactive(user):
        return refusal
    return None if user.has_role("admin") else NOT_ALLOWED


allow_administer_users, can_administer_users = pair(_administer_users)


def _export_own_data(user, member):
    """A member downloads what they wrote, and nobody else's: to anyone else the download
    does not exist (404). A suspended member cannot sign in, so cannot either."""
    if user is None or not user.is_authenticated or user.id != member.id:
        return HIDDEN
    return None


allow_export_data, can_export_data = pair(_export_own_data)


def _follow(user):
    """An active member follows questions and tags, and unfollows them; each member changes
    their own follows only (the services take the signed-in user, never another's id)."""
    return inactive(user)


allow_follow, can_follow = pair(_follow)
