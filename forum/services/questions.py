"""Asking a question and editing it."""
from core.config import LANGUAGES
from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import add_revision, check_base
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import check_length
from forum.models import Question
from forum.permissions import allow_ask, allow_edit
from forum.services import follows, mentions, notices
from forum.services import tags as tag_service
from forum.services.limits import BODY_LENGTH, SUMMARY_LENGTH, TITLE_LENGTH
from forum.services.signals import question_asked
from forum.services.threads import get_question, thread_changed


def _check_lang(lang):
    if lang not in LANGUAGES:
        raise InvalidInput(_l("Choose the language the question is written in."), field="lang")
    return lang


def check_question(author, title, body, tags, lang):
    """What `ask_question` would store, checked: (title, body, tag names, lang) or InvalidInput.

    Lets the ask page report every mistake before it shows similar threads. Reads only.
    """
    allow_ask(author)
    return (check_length(title, TITLE_LENGTH, "title"), check_length(body, BODY_LENGTH, "body"),
            tag_service.main_names(tag_service.parse_tags(tags)), _check_lang(lang))


@transactional
def ask_question(author, title, body, tags, lang, context=None):
    """Create a question with its first revision; `tags` is the text the user typed.

    `context`: extra fields of the ask form (a training module...), for signal receivers.
    """
    title, body, names, lang = check_question(author, title, body, tags, lang)
    now = utcnow()
    body_html, mentioned = mentions.render(body)
    question = Question(title=title, body=body, body_html=body_html, author=author,
                        lang=lang, created_at=now, last_activity_at=now, score=0, answer_count=0,
                        status="open")
    question.tags = tag_service.get_or_create_tags(names)
    db.session.add(question)
    db.session.flush()
    tag_service.adjust_counts([tag.id for tag in question.tags], +1)
    add_revision("question", question.id, author, body, title=title, tags=" ".join(sorted(names)),
                 lang=lang)
    question_asked.send(question, context=dict(context or {}))
    follows.auto_follow(author.id, question.id)
    notices.question_asked(question, author, mentioned)
    thread_changed(question.id)
    db.session.commit()
    return question


@transactional
def edit_question(editor, question_id, title, body, tags, lang, summary="", base_revision=None):
    """Save a new version of a question; the previous one stays in its history.

    `base_revision`: the version the editor started from; EditConflict when it is no longer
    the newest (two editors saving at once: the loser's retry sees the winner's revision).
    """
    question = get_question(question_id, editor)
    allow_edit(editor, question)
    check_base("question", question.id, base_revision)
    title = check_length(title, TITLE_LENGTH, "title")
    body = check_length(body, BODY_LENGTH, "body")
    lang = _check_lang(lang)
    names = tag_service.main_names(tag_service.parse_tags(tags))
    summary = (summary or "").strip()[:SUMMARY_LENGTH]
    if (title, body, sorted(names), lang) == (question.title, question.body,
                                              sorted(tag.name for tag in question.tags),
                                              question.lang):
        raise InvalidInput(_l("Nothing was changed."))
    apply_question_text(question, editor, title, body, names, lang, summary, base_revision)
    db.session.commit()
    return question


def apply_question_text(question, editor, title, body, names, lang, summary, base=None):
    """Make this text the question's current one, as a new revision, in the current
    transaction (the caller checked it and commits)."""
    old_ids = {tag.id for tag in question.tags}
    new_tags = tag_service.get_or_create_tags(names)
    new_ids = {tag.id for tag in new_tags}
    tag_service.adjust_counts(old_ids - new_ids, -1)
    tag_service.adjust_counts(new_ids - old_ids, +1)
    now = utcnow()
    old_body = question.body
    question.title, question.body, question.lang = title, body, lang
    question.body_html, mentioned = mentions.render(body)
    question.tags = new_tags
    question.edited_at = question.last_activity_at = now
    thread_changed(question.id)
    add_revision("question", question.id, editor, body, title=title,
                 tags=" ".join(sorted(names)), lang=lang, summary=summary, base=base)
    notices.post_edited(question, editor, mentioned, old_body)
