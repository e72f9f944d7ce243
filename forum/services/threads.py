"""A thread as a whole: its posts as the viewer may see them, its row lock, and the hook
that says it changed (page cache, search document)."""
from sqlalchemy import select, update

from core import pagecache
from core.errors import NotFound
from core.extensions import db
from forum.models import Answer, Comment, Question
from forum.permissions import allow_see_post
from search_index import indexing


# The page-cache scope of what lists every thread (the feeds of the newest questions and of a
# tag): any change to a thread may add, retitle or withdraw one of their entries.
QUESTION_LISTS = "question-lists"


def thread_scope(question_id):
    """The page-cache scope of a question's page (core.pagecache)."""
    return f"question:{question_id}"


def thread_changed(question_id):
    """What the question's page and its search document show changes with this transaction."""
    pagecache.changed(thread_scope(question_id), QUESTION_LISTS)
    indexing.enqueue("question", question_id)
    # Its duplicates show its title (a banner, a search card): they change with it.
    for duplicate_id in db.session.scalars(
            select(Question.id).where(Question.duplicate_of_id == question_id)):
        pagecache.changed(thread_scope(duplicate_id))
        indexing.enqueue("question", duplicate_id)


def thread_lang(question_id=None, answer_id=None):
    """The language of the thread of a question or an answer (what the confidentiality guard
    reads a new answer or comment in); None when there is no such post."""
    if answer_id is not None:
        answer = db.session.get(Answer, answer_id)
        question_id = answer.question_id if answer is not None else None
    question = db.session.get(Question, question_id) if question_id is not None else None
    return question.lang if question is not None else None


def get_question(question_id, viewer=None):
    """A question the viewer may see (deleted ones only by their author and moderators)."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound()
    allow_see_post(viewer, question)
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
    if answer is None:
        raise NotFound()
    allow_see_post(viewer, answer)
    get_question(answer.question_id, viewer)
    return answer


def get_comment(comment_id, viewer=None):
    """A comment the viewer may see, in a thread the viewer may see."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound()
    allow_see_post(viewer, comment)
    get_question(comment.thread_id, viewer)
    if comment.answer_id is not None:
        # A hidden or deleted answer takes its comments out of sight with it.
        get_answer(comment.answer_id, viewer)
    return comment


def get_post(post_type, post_id, viewer=None):
    """Question or answer by type name; raises NotFound."""
    if post_type == "question":
        return get_question(post_id, viewer)
    if post_type == "answer":
        return get_answer(post_id, viewer)
    raise NotFound()
