"""Redaction: a moderator purges what identifies a child from a question or an answer — a
whole earlier revision, or a passage wherever it appears in the post (its current title and
text, every revision, the comments on it).

The text is overwritten in the database, never kept aside: the revision's title, text, tags
and edit summary become a neutral placeholder and the revision is stamped redacted; a passage
becomes "[redacted]" written in the post's language. Who redacted what, when and why goes to
the audit log, in the same transaction; the text never does. The thread's page cache and its
search document change with the commit; after it, the search engines drop the words nobody
holds any more (search_index.indexing.forget). Other packages take the text out of what quotes
it through the `post_redacted` signal (knowledge: the articles promoted from the thread).
"""
import re

from flask_babel import force_locale
from sqlalchemy import select

from core.audit.services import record
from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import add_revision, get_revision, list_revisions
from core.timeutil import utcnow
from core.transactions import transactional
from forum.models import Comment
from forum.permissions import allow_moderate
from forum.services import mentions
from forum.services.limits import SUMMARY_LENGTH
from forum.services.signals import post_redacted
from forum.services.threads import get_post, thread_changed
from search_index import indexing

ACTION = "redact"
ACTION_LABEL = _l("redacted a post")
PLACEHOLDER = _l("[redacted]")
REVISION_TITLE = _l("[Redacted revision]")
REVISION_BODY = _l("[This revision was redacted by a moderator.]")
PASSAGE_SUMMARY = _l("A passage was redacted by a moderator")
REASON_LENGTH = 500
PASSAGE_LENGTH = 2000

NOT_FOUND = _l("This passage is not in the post.")
NO_PASSAGE = _l("Write or paste the passage to redact.")
WOULD_EMPTY = _l("Without this passage the post would be empty: delete or hide the post "
                 "instead.")
NO_REASON = _l("Say why you redact this, for the moderation log.")
NO_REVISION = _l("This post has no revision with this number.")
CURRENT_REVISION = _l("This revision is the current text: redact a passage of it instead, "
                      "or edit the post.")
ALREADY_REDACTED = _l("This revision is already redacted.")


def passage_pattern(passage):
    """A pattern finding `passage` in a text whatever its case and however its words are
    spaced or wrapped; a passage that starts or ends with a letter matches whole words only
    ("Ali" never takes a piece of "Alice"). None for a passage with no words."""
    words = (passage or "").split()
    if not words:
        return None
    core = r"\s+".join(map(re.escape, words))
    # "_" is a word character to regular expressions but markdown's emphasis to writers:
    # "_Moussa Kanté_" holds the name as a whole word.
    before = r"(?<![^\W_])" if words[0][0].isalnum() else ""
    after = r"(?![^\W_])" if words[-1][-1].isalnum() else ""
    return re.compile(before + core + after, re.IGNORECASE)


def _lang(post_type, post):
    return post.lang if post_type == "question" else post.question.lang


def _localised(message, lang):
    """`message` as written in the post's language: the stored text reads like the post."""
    with force_locale(lang or "en"):
        return str(message)


def _reason(reason):
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(NO_REASON, field="reason")
    if len(reason) > REASON_LENGTH:
        raise InvalidInput(_l("Write at most %(n)s characters.", n=REASON_LENGTH),
                           field="reason")
    return reason


def _question_id(post_type, post):
    return post.id if post_type == "question" else post.question_id


def _load(moderator, post_type, post_id):
    allow_moderate(moderator)
    return get_post(post_type, post_id, moderator)


def _comments(post_type, post):
    column = Comment.question_id if post_type == "question" else Comment.answer_id
    return db.session.scalars(select(Comment).where(column == post.id)
                              .order_by(Comment.id)).all()


# -- a whole revision --------------------------------------------------------------------------

def _only_in(revision, post, others):
    """The lines (and title) of `revision` that no other version still shows: what leaves the
    articles quoting the post."""
    kept_lines, kept_titles = set(), {post.title if hasattr(post, "title") else None}
    for text in [post.body] + [other.body for other in others]:
        kept_lines.update(line.strip() for line in (text or "").splitlines())
    kept_titles.update(other.title for other in others)
    lines = [line for line in (revision.body or "").splitlines()
             if line.strip() and line.strip() not in kept_lines]
    titles = [revision.title] if revision.title and revision.title not in kept_titles else []
    return "\n".join(lines), titles


@transactional
def _redact_revision(moderator, post_type, post_id, number, reason):
    post = _load(moderator, post_type, post_id)
    reason = _reason(reason)
    # Numbers beyond a revision column's range (a forged form) name no revision either.
    revision = get_revision(post_type, post.id, number) if 1 <= (number or 0) < 2 ** 31 \
        else None
    if revision is None:
        raise InvalidInput(NO_REVISION, field="revision")
    if revision.redacted_at is not None:
        raise InvalidInput(ALREADY_REDACTED, field="revision")
    versions = list_revisions(post_type, post.id)
    if versions and versions[0].number == revision.number:
        raise InvalidInput(CURRENT_REVISION, field="revision")
    others = [other for other in versions
              if other.number != revision.number and other.redacted_at is None]
    removed = [revision.title, revision.body, revision.tags, revision.summary]
    quoted, titles = _only_in(revision, post, others)
    lang = _lang(post_type, post)
    if revision.title is not None:
        revision.title = _localised(REVISION_TITLE, lang)
    revision.body = _localised(REVISION_BODY, lang)
    revision.tags = "" if revision.tags is not None else None
    revision.summary, revision.fields = "", None
    revision.redacted_at, revision.redacted_by_id = utcnow(), moderator.id
    record(moderator, ACTION, post_type, post.id, reason,
           {"revision": revision.number, "scope": "revision"})
    # History and diffs are read live; the thread's page and search document change too
    # (the history link, and so that the engine writes the document again before forgetting).
    thread_changed(_question_id(post_type, post))
    post_redacted.send(post, post_type=post_type, actor=moderator, texts=[quoted] if quoted
                       else [], titles=titles, passage=None)
    db.session.commit()
    return post, removed


def redact_revision(moderator, post_type, post_id, number, reason):
    """Overwrite an earlier revision of a question or an answer with a neutral placeholder
    (title, text, tags, edit summary) and stamp it redacted, with an audit entry; the
    current revision cannot be redacted (a passage of it can). Raises Forbidden for a
    non-moderator, NotFound, InvalidInput naming `revision` or `reason`."""
    post, removed = _redact_revision(moderator, post_type, post_id, number, reason)
    indexing.forget(removed)
    return post


# -- a passage -----------------------------------------------------------------------------------

def _check_passage(passage):
    passage = (passage or "").strip()
    if not passage or passage_pattern(passage) is None:
        raise InvalidInput(NO_PASSAGE, field="passage")
    if len(passage) > PASSAGE_LENGTH:
        raise InvalidInput(_l("Write at most %(n)s characters.", n=PASSAGE_LENGTH),
                           field="passage")
    return passage


def _empty_without(pattern, text):
    return not any(char.isalnum() for char in pattern.sub("", text or ""))


def _scrub(pattern, text, placeholder):
    """(text with every match replaced, how many)."""
    if text is None:
        return None, 0
    return pattern.subn(placeholder, text)


@transactional
def _redact_passage(moderator, post_type, post_id, passage, reason):
    post = _load(moderator, post_type, post_id)
    passage = _check_passage(passage)
    reason = _reason(reason)
    pattern = passage_pattern(passage)
    placeholder = _localised(PLACEHOLDER, _lang(post_type, post))
    is_question = post_type == "question"
    found = {"current": 0, "revisions": [], "comments": []}

    title, in_title = _scrub(pattern, post.title, placeholder) if is_question else (None, 0)
    body, in_body = _scrub(pattern, post.body, placeholder)
    if in_title + in_body:
        if _empty_without(pattern, post.body) or (
                is_question and _empty_without(pattern, post.title)):
            raise InvalidInput(WOULD_EMPTY, field="passage")
        found["current"] = in_title + in_body
    versions = list_revisions(post_type, post.id)
    for revision in versions:
        count = 0
        for name in ("title", "body", "summary"):
            value, hits = _scrub(pattern, getattr(revision, name), placeholder)
            if hits:
                setattr(revision, name, value if name == "body" else value[:200])
                count += hits
        if count:
            found["revisions"].append(revision.number)
    for comment in _comments(post_type, post):
        value, hits = _scrub(pattern, comment.body, placeholder)
        if hits:
            comment.body, comment.body_html = value, mentions.render(value)[0]
            found["comments"].append(comment.id)
    if not (found["current"] or found["revisions"] or found["comments"]):
        raise InvalidInput(NOT_FOUND, field="passage")

    if found["current"]:
        if is_question:
            post.title = title[:200]
        post.body, post.body_html = body, mentions.render(body)[0]
        # A version of its own, so that an edit form opened before the redaction meets the
        # edit conflict page instead of saving the passage back.
        latest = versions[0] if versions else None
        add_revision(post_type, post.id, moderator, post.body,
                     title=post.title if is_question else None,
                     tags=latest.tags if latest else None,
                     lang=latest.lang if latest else None,
                     summary=str(PASSAGE_SUMMARY)[:SUMMARY_LENGTH])
    record(moderator, ACTION, post_type, post.id, reason,
           {"scope": "passage", "occurrences": found["current"],
            "revisions": sorted(found["revisions"]), "comments": found["comments"]})
    thread_changed(_question_id(post_type, post))
    post_redacted.send(post, post_type=post_type, actor=moderator, texts=[], titles=[],
                       passage=passage)
    db.session.commit()
    return post


def redact_passage(moderator, post_type, post_id, passage, reason):
    """Replace every occurrence of `passage` (case and spacing aside) in a question's or an
    answer's current title and text, in all its revisions and in the comments on it, by
    "[redacted]" in the post's language, with an audit entry. Raises Forbidden for a
    non-moderator, NotFound, InvalidInput naming `passage` (empty, not in the post, or all
    the post holds) or `reason`."""
    post = _redact_passage(moderator, post_type, post_id, passage, reason)
    indexing.forget([passage])
    return post


def redactable_revisions(post_type, post_id):
    """Numbers of the revisions of a post that a moderator may redact whole (not the
    current one, not those already redacted), newest first."""
    versions = list_revisions(post_type, post_id)
    return [revision.number for revision in versions[1:] if revision.redacted_at is None]


def get_post_for_redaction(moderator, post_type, post_id):
    """The post a moderator redacts in (deleted ones included); Forbidden for anyone else."""
    return _load(moderator, post_type, post_id)
