"""Thread moderation: close and reopen a question with a reason, mark it as a duplicate of
another and un-mark it, lock and unlock its thread. Moderators only; every change is written
in the audit log in its own transaction, and is undone by its pair.

A duplicate always points at a question that is not itself a duplicate (its original): marking
a question as a duplicate of a duplicate points it at that one's original, and the questions
that pointed at the newly marked one follow it to its original. So readers reach the original
in one step, from the question page as from search results.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from core.accounts.permissions import is_moderator
from core.audit.services import record
from core.errors import Conflict, InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.ids import id_number
from core.timeutil import utcnow
from core.transactions import transactional
from forum.models import Question
from forum.permissions import allow_moderate, can_see_post
from forum.services.threads import get_question, lock_question, thread_changed

# The reasons a moderator closes a question for, as on Stack Overflow but for the field.
# The code is stored (question.closed_reason, the audit entry); readers see the label in
# their language.
CLOSE_REASONS = {
    "needs_details": _l("Needs details: the situation is not described enough to answer"),
    "needs_focus": _l("Needs focus: several questions in one"),
    "off_topic": _l("Off topic for Carnets"),
    "identifies_person": _l("Identifies a child or another person"),
    "other": _l("Another reason (explained below)"),
}
NOTE_LENGTH = 400
# The action names of the audit log (registered by forum's init_app).
ACTIONS = {
    "close": _l("closed a question"),
    "reopen": _l("reopened a question"),
    "duplicate": _l("marked a question as a duplicate"),
    "unduplicate": _l("un-marked a duplicate question"),
    "lock": _l("locked a thread"),
    "unlock": _l("unlocked a thread"),
}
# "123", "#123", "/questions/123", "/questions/123/slug", "/questions/123-slug", a full address.
_QUESTION_PATH_RE = re.compile(r"^/?questions/(\d+)(?:[/-][^/]*)?/?$")

BAD_REFERENCE = _l("Type the number of the original question, or paste its address "
                   "(for example /questions/123).")


def parse_question_ref(text):
    """The question id written as a number or an address typed into a form; InvalidInput on
    the field "original" otherwise (never a number the database cannot hold)."""
    text = (text or "").strip()
    if text.startswith("#"):
        text = text[1:]
    if not text.isdigit():
        path = urlsplit(text).path if "://" in text else text.split("?")[0].split("#")[0]
        found = _QUESTION_PATH_RE.match(path)
        text = found.group(1) if found else ""
    try:
        return id_number(text)
    except ValueError:
        raise InvalidInput(BAD_REFERENCE, field="original") from None


def reason_parts(question):
    """(label, note) of a closed question's reason, for its banner: the label of its reason
    code in the reader's language and the moderator's own words ("" when none)."""
    code, _sep, note = (question.closed_reason or "").partition("\n")
    label = CLOSE_REASONS.get(code)
    if label is None:  # a reason written before codes existed: it is its own note
        return None, question.closed_reason or ""
    return label, note


@dataclass
class Status:
    """What a question's page says of its moderation state (see `status_of`)."""

    closed: bool = False
    duplicate: bool = False
    locked: bool = False
    by: object = None            # the moderator who closed it or marked it
    at: datetime | None = None
    reason: object = None        # the label of the closing reason
    note: str = ""               # the moderator's own words
    # The original of a duplicate, when the reader may see it (else the banner says it is
    # no longer available, without its title).
    original: Question | None = None

    @property
    def shown(self):
        return self.closed or self.duplicate or self.locked


def status_of(question, viewer=None):
    """The moderation state of `question` as `viewer` may read it, for its page."""
    status = Status(locked=question.is_locked)
    if question.status == "closed":
        status.closed, status.by, status.at = True, question.closed_by, question.closed_at
        status.reason, status.note = reason_parts(question)
    elif question.status == "duplicate":
        status.duplicate, status.by, status.at = True, question.closed_by, question.closed_at
        original = question.duplicate_of
        # Hidden posts are for their author and moderators only (the flag queue's rule).
        if original is not None and can_see_post(viewer, original) and (
                not original.is_hidden or is_moderator(viewer)):
            status.original = original
    return status


def _note(text, field="note", required=False, message=None):
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(message, field=field)
    if len(text) > NOTE_LENGTH:
        raise InvalidInput(_l("Write at most %(max)d characters.", max=NOTE_LENGTH),
                           field=field)
    return text


def _held(moderator, question_id):
    """The question, its row held until commit and read again, for a moderator."""
    allow_moderate(moderator)
    lock_question(question_id)
    question = get_question(question_id, moderator)
    db.session.refresh(question)
    return question


@transactional
def close_question(moderator, question_id, reason, note=""):
    """Close an open question to new answers, for one of CLOSE_REASONS (with the moderator's
    words, required for "other"). Comments stay open."""
    question = _held(moderator, question_id)
    if reason not in CLOSE_REASONS:
        raise InvalidInput(_l("Choose one of the reasons."), field="reason")
    note = _note(note, required=reason == "other",
                 message=_l("Explain the reason in a few words."))
    if question.status == "duplicate":
        raise Conflict(_l("This question is marked as a duplicate: un-mark it first."))
    if question.status == "closed":
        raise Conflict(_l("This question is already closed."))
    question.status = "closed"
    question.closed_reason = reason + ("\n" + note if note else "")
    question.closed_at, question.closed_by_id = utcnow(), moderator.id
    record(moderator, "close", "question", question.id,
           reason=reason + (": " + note if note else ""), details={"reason": reason})
    thread_changed(question.id)
    db.session.commit()
    return question


def _open(question):
    question.status, question.closed_reason = "open", ""
    question.closed_at = question.closed_by_id = question.duplicate_of_id = None


@transactional
def reopen_question(moderator, question_id, note=""):
    """Open a closed question to answers again."""
    question = _held(moderator, question_id)
    note = _note(note)
    if question.status != "closed":
        raise Conflict(_l("This question is not closed."))
    was = question.closed_reason.partition("\n")[0]
    _open(question)
    record(moderator, "reopen", "question", question.id, reason=note,
           details={"was": was})
    thread_changed(question.id)
    db.session.commit()
    return question


def _original_of(question, original_id):
    """The question `question` may be marked a duplicate of, given the id typed: the end of
    the chain when that one is itself a duplicate; InvalidInput (field "original") for the
    question itself, a missing, deleted or hidden one, or a chain that leads back to it."""
    if original_id == question.id:
        raise InvalidInput(_l("A question cannot be a duplicate of itself."), field="original")
    original = db.session.get(Question, original_id)
    seen = {question.id}
    while original is not None and original.status == "duplicate" \
            and original.duplicate_of_id is not None and original.id not in seen:
        seen.add(original.id)
        original = db.session.get(Question, original.duplicate_of_id)
    if original is None or original.is_deleted or original.is_hidden:
        raise InvalidInput(_l("There is no question with this number that readers can see."),
                           field="original")
    if original.id in seen:
        raise InvalidInput(_l("That question is a duplicate of this one: un-mark it first."),
                           field="original")
    return original


@transactional
def mark_duplicate(moderator, question_id, original_id, note=""):
    """Mark the question as a duplicate of the original (see _original_of): it takes no new
    answers and points readers there. Questions marked as duplicates of this one now point at
    the original too. Returns the question."""
    question = _held(moderator, question_id)
    note = _note(note)
    original = _original_of(question, original_id)
    if question.status == "duplicate" and question.duplicate_of_id == original.id:
        raise Conflict(_l("This question is already marked as a duplicate of that one."))
    was = question.status
    question.status, question.duplicate_of_id = "duplicate", original.id
    question.closed_reason = ""
    question.closed_at, question.closed_by_id = utcnow(), moderator.id
    followers = db.session.scalars(select(Question).where(
        Question.duplicate_of_id == question.id, Question.status == "duplicate")).all()
    for follower in followers:
        follower.duplicate_of_id = original.id
        thread_changed(follower.id)
    record(moderator, "duplicate", "question", question.id, reason=note,
           details={"original": original.id, "typed": original_id, "was": was,
                    "moved": sorted(f.id for f in followers)})
    thread_changed(question.id)
    db.session.commit()
    return question


@transactional
def unmark_duplicate(moderator, question_id, note=""):
    """Make a question marked as a duplicate an open question again."""
    question = _held(moderator, question_id)
    note = _note(note)
    if question.status != "duplicate":
        raise Conflict(_l("This question is not marked as a duplicate."))
    original_id = question.duplicate_of_id
    _open(question)
    record(moderator, "unduplicate", "question", question.id, reason=note,
           details={"original": original_id})
    thread_changed(question.id)
    db.session.commit()
    return question


@transactional
def lock_thread(moderator, question_id, reason):
    """Lock a thread: no new answers, comments, votes, acceptances or edits but moderators'.
    The reason is required and kept in the audit log."""
    question = _held(moderator, question_id)
    reason = _note(reason, field="reason", required=True,
                   message=_l("Say why the thread is locked."))
    if question.is_locked:
        raise Conflict(_l("This thread is already locked."))
    question.locked_at, question.locked_by_id = utcnow(), moderator.id
    record(moderator, "lock", "question", question.id, reason=reason)
    thread_changed(question.id)
    db.session.commit()
    return question


@transactional
def unlock_thread(moderator, question_id, note=""):
    """Unlock a locked thread."""
    question = _held(moderator, question_id)
    note = _note(note)
    if not question.is_locked:
        raise Conflict(_l("This thread is not locked."))
    question.locked_at = question.locked_by_id = None
    record(moderator, "unlock", "question", question.id, reason=note)
    thread_changed(question.id)
    db.session.commit()
    return question


def init_app(app):
    """Name the audit log's thread actions."""
    from core.audit.actions import register_action

    for name, label in ACTIONS.items():
        register_action(app, name, label)
