"""Writing posts: ask, answer, comment, edit with revisions, restore, soft delete and undelete."""
from sqlalchemy import update

from core import markup, pagecache
from core.accounts import permissions
from core.config import LANGUAGES
from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import add_revision, check_base, get_revision
from core.timeutil import utcnow
from core.transactions import RaceLost, transactional
from core.validation import check_length
from forum.models import Answer, Comment, Question
from forum.services import tags as tag_service
from forum.services.signals import post_deleted, question_asked
from search_index import indexing

TITLE_LENGTH = (10, 150)
BODY_LENGTH = (20, 30000)
COMMENT_LENGTH = (5, 1000)
SUMMARY_LENGTH = 200


def thread_scope(question_id):
    """The page-cache scope of a question's page (core.pagecache)."""
    return f"question:{question_id}"


def thread_changed(question_id):
    """What the question's page and its search document show changes with this transaction."""
    pagecache.changed(thread_scope(question_id))
    indexing.enqueue("question", question_id)


def _check_lang(lang):
    if lang not in LANGUAGES:
        raise InvalidInput(_l("Choose the language the question is written in."), field="lang")
    return lang


def require_active_user(user):
    if user is None or not user.is_authenticated:
        raise Forbidden(_l("Sign in to do this."))
    if user.is_suspended:
        raise Forbidden(_l("Your account is suspended."))


def get_question(question_id, viewer=None):
    """A question the viewer may see (deleted ones only by their author and moderators)."""
    question = db.session.get(Question, question_id)
    if question is None or (question.is_deleted
                            and not permissions.can_see_deleted(viewer, question)):
        raise NotFound()
    return question


def load_question(question_id):
    """The question whatever its state, or None: for code that must know what was deleted
    (knowledge keeps deleted posts out of articles), never to show it."""
    return db.session.get(Question, question_id)


def lock_question(question_id):
    """Hold the question's row until the transaction ends, so that writers deciding from the
    state of a thread (whether it was promoted already) go one at a time and each sees what
    the one before committed. A write rather than SELECT … FOR UPDATE: SQLite has no row
    locks, and a write is what makes a second SQLite writer wait."""
    db.session.execute(update(Question).where(Question.id == question_id)
                       .values(status=Question.status))


def get_answer(answer_id, viewer=None):
    """An answer the viewer may see, on a question the viewer may see."""
    answer = db.session.get(Answer, answer_id)
    if answer is None or (answer.is_deleted and not permissions.can_see_deleted(viewer, answer)):
        raise NotFound()
    get_question(answer.question_id, viewer)
    return answer


def get_comment(comment_id, viewer=None):
    """A comment the viewer may see, in a thread the viewer may see."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or (comment.is_deleted
                           and not permissions.can_see_deleted(viewer, comment)):
        raise NotFound()
    get_question(comment.thread_id, viewer)
    return comment


def get_post(post_type, post_id, viewer=None):
    """Question or answer by type name; raises NotFound."""
    if post_type == "question":
        return get_question(post_id, viewer)
    if post_type == "answer":
        return get_answer(post_id, viewer)
    raise NotFound()


@transactional
def check_question(author, title, body, tags, lang):
    """What `ask_question` would store, checked: (title, body, tag names, lang) or InvalidInput.

    Lets the ask page report every mistake before it shows similar threads.
    """
    require_active_user(author)
    return (check_length(title, TITLE_LENGTH, "title"), check_length(body, BODY_LENGTH, "body"),
            tag_service.parse_tags(tags), _check_lang(lang))


@transactional
def ask_question(author, title, body, tags, lang, context=None):
    """Create a question with its first revision; `tags` is the text the user typed.

    `context`: extra fields of the ask form (a training module...), for signal receivers.
    """
    title, body, names, lang = check_question(author, title, body, tags, lang)
    now = utcnow()
    question = Question(title=title, body=body, body_html=markup.render(body), author=author,
                        lang=lang, created_at=now, last_activity_at=now, score=0, answer_count=0,
                        status="open")
    question.tags = tag_service.get_or_create_tags(names)
    db.session.add(question)
    db.session.flush()
    tag_service.adjust_counts([tag.id for tag in question.tags], +1)
    add_revision("question", question.id, author, body, title=title, tags=" ".join(sorted(names)),
                 lang=lang)
    question_asked.send(question, context=dict(context or {}))
    thread_changed(question.id)
    db.session.commit()
    return question


@transactional
def post_answer(author, question_id, body):
    """Answer a visible, open question; updates its counters and activity."""
    require_active_user(author)
    question = get_question(question_id, author)
    if question.is_deleted:
        raise Forbidden(_l("This question is deleted."))
    if question.status != "open":
        raise Forbidden(_l("This question is closed to new answers."))
    body = check_length(body, BODY_LENGTH, "body")
    now = utcnow()
    answer = Answer(question_id=question.id, body=body, body_html=markup.render(body),
                    author=author, created_at=now, score=0)
    db.session.add(answer)
    db.session.flush()
    db.session.execute(update(Question).where(Question.id == question.id).values(
        answer_count=Question.answer_count + 1, last_activity_at=now))
    add_revision("answer", answer.id, author, body)
    thread_changed(question.id)
    db.session.commit()
    return answer


@transactional
def post_comment(author, body, question_id=None, answer_id=None, parent_id=None):
    """Comment on a question or an answer, or reply to a comment (the reply joins its target)."""
    require_active_user(author)
    body = check_length(body, COMMENT_LENGTH, "body")
    if parent_id is not None:
        parent = get_comment(parent_id, author)
        if parent.is_deleted:
            raise Forbidden(_l("You cannot reply to a deleted comment."))
        question_id, answer_id = parent.question_id, parent.answer_id
    if answer_id is not None:
        target = get_answer(answer_id, author)
        thread_id, question_id = target.question_id, None
    elif question_id is not None:
        target = get_question(question_id, author)
        thread_id = target.id
    else:
        raise NotFound()
    if target.is_deleted:
        raise Forbidden(_l("You cannot comment on a deleted post."))
    # Its author and moderators still see a deleted question, but nothing is added to it.
    if answer_id is not None and target.question.is_deleted:
        raise Forbidden(_l("You cannot comment in a deleted question."))
    now = utcnow()
    comment = Comment(thread_id=thread_id, question_id=question_id, answer_id=answer_id,
                      parent_id=parent_id, body=body, body_html=markup.render(body),
                      author=author, created_at=now)
    db.session.add(comment)
    db.session.execute(update(Question).where(Question.id == thread_id)
                       .values(last_activity_at=now))
    thread_changed(thread_id)
    db.session.commit()
    return comment


def _check_can_edit(user, post):
    require_active_user(user)
    if not permissions.can_edit(user, post):
        raise Forbidden()
    if post.is_deleted:
        raise Forbidden(_l("Undelete this post before editing it."))


@transactional
def edit_question(editor, question_id, title, body, tags, lang, summary="", base_revision=None):
    """Save a new version of a question; the previous one stays in its history.

    `base_revision`: the version the editor started from; EditConflict when it is no longer
    the newest (two editors saving at once: the loser's retry sees the winner's revision).
    """
    question = get_question(question_id, editor)
    _check_can_edit(editor, question)
    check_base("question", question.id, base_revision)
    title = check_length(title, TITLE_LENGTH, "title")
    body = check_length(body, BODY_LENGTH, "body")
    lang = _check_lang(lang)
    names = tag_service.parse_tags(tags)
    summary = (summary or "").strip()[:SUMMARY_LENGTH]
    if (title, body, sorted(names), lang) == (question.title, question.body,
                                              sorted(tag.name for tag in question.tags),
                                              question.lang):
        raise InvalidInput(_l("Nothing was changed."))
    _apply_question_text(question, editor, title, body, names, lang, summary, base_revision)
    db.session.commit()
    return question


def _apply_question_text(question, editor, title, body, names, lang, summary, base=None):
    old_ids = {tag.id for tag in question.tags}
    new_tags = tag_service.get_or_create_tags(names)
    new_ids = {tag.id for tag in new_tags}
    tag_service.adjust_counts(old_ids - new_ids, -1)
    tag_service.adjust_counts(new_ids - old_ids, +1)
    now = utcnow()
    question.title, question.body, question.lang = title, body, lang
    question.body_html = markup.render(body)
    question.tags = new_tags
    question.edited_at = question.last_activity_at = now
    thread_changed(question.id)
    add_revision("question", question.id, editor, body, title=title,
                 tags=" ".join(sorted(names)), lang=lang, summary=summary, base=base)


@transactional
def edit_answer(editor, answer_id, body, summary="", base_revision=None):
    """Save a new version of an answer; EditConflict when `base_revision` is not the newest."""
    answer = get_answer(answer_id, editor)
    _check_can_edit(editor, answer)
    check_base("answer", answer.id, base_revision)
    body = check_length(body, BODY_LENGTH, "body")
    if body == answer.body:
        raise InvalidInput(_l("Nothing was changed."))
    _apply_answer_text(answer, editor, body, (summary or "").strip()[:SUMMARY_LENGTH],
                       base_revision)
    db.session.commit()
    return answer


def _apply_answer_text(answer, editor, body, summary, base=None):
    now = utcnow()
    answer.body, answer.body_html, answer.edited_at = body, markup.render(body), now
    db.session.execute(update(Question).where(Question.id == answer.question_id)
                       .values(last_activity_at=now))
    thread_changed(answer.question_id)
    add_revision("answer", answer.id, editor, body, summary=summary, base=base)


@transactional
def restore_revision(editor, post_type, post_id, number):
    """Make an old version current again, as a new revision that says so."""
    post = get_post(post_type, post_id, editor)
    _check_can_edit(editor, post)
    revision = get_revision(post_type, post.id, number)
    if revision is None:
        raise NotFound()
    summary = str(_l("Restored revision %(n)s", n=number))
    if post_type == "question":
        _apply_question_text(post, editor, revision.title, revision.body,
                             (revision.tags or "").split(), revision.lang or post.lang, summary)
    else:
        _apply_answer_text(post, editor, revision.body, summary)
    db.session.commit()
    return post


def _soft_delete_write(post, deleted_at, deleted_by_id):
    """Flip the deleted stamp only if nobody flipped it first; raises RaceLost otherwise."""
    model = type(post)
    was_deleted = post.is_deleted
    result = db.session.execute(
        update(model).where(model.id == post.id,
                            model.deleted_at.is_not(None) if was_deleted
                            else model.deleted_at.is_(None))
        .values(deleted_at=deleted_at, deleted_by_id=deleted_by_id)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RaceLost()
    thread_changed(post.thread_id if isinstance(post, Comment) else
                   post.id if isinstance(post, Question) else post.question_id)


def _load_for_deletion(user, post_type, post_id):
    require_active_user(user)
    post = get_comment(post_id, user) if post_type == "comment" else get_post(
        post_type, post_id, user)
    if not permissions.can_delete(user, post):
        raise Forbidden()
    return post


@transactional
def delete_post(user, post_type, post_id):
    """Soft-delete a question, answer or comment; nothing leaves the database."""
    post = _load_for_deletion(user, post_type, post_id)
    if post.is_deleted:
        return post
    # Counters move only with the write that wins, so two clicks at once count once.
    _soft_delete_write(post, utcnow(), user.id)
    if post_type == "question":
        tag_service.adjust_counts([tag.id for tag in post.tags], -1)
    elif post_type == "answer":
        db.session.execute(update(Question).where(Question.id == post.question_id).values(
            answer_count=Question.answer_count - 1))
        db.session.execute(update(Question).where(
            Question.id == post.question_id, Question.accepted_answer_id == post.id).values(
            accepted_answer_id=None))
    post_deleted.send(post, post_type=post_type, actor=user)
    db.session.commit()
    return post


@transactional
def undelete_post(user, post_type, post_id):
    """Bring a soft-deleted post back, with its counters."""
    post = _load_for_deletion(user, post_type, post_id)
    if not post.is_deleted:
        return post
    _soft_delete_write(post, None, None)
    if post_type == "question":
        tag_service.adjust_counts([tag.id for tag in post.tags], +1)
    elif post_type == "answer":
        db.session.execute(update(Question).where(Question.id == post.question_id)
                           .values(answer_count=Question.answer_count + 1))
    db.session.commit()
    return post
