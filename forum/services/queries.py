"""Read-side queries: lists, the question page and activity, each in a fixed number of queries."""
from dataclasses import dataclass, field

from sqlalchemy import bindparam, exists, false, func, select, union
from sqlalchemy.orm import joinedload, selectinload

from core.config import LANGUAGES
from core.extensions import db
from core.paging import Page
from forum.models import Answer, Comment, Question, QuestionFollow, Vote, question_tag
from forum.permissions import allow_see_post, can_see_post, visible_posts
from forum.services import tag_synonyms
from forum.services import tags as tag_service
from forum.services.threads import get_question
from forum.services.votes import votes_of

SORTS = ("newest", "active", "votes", "unanswered")
# Deeper offsets cost more than any reader needs; search finds old questions instead.
MAX_PAGE = 1000
POPULAR_TAG = 2000


@dataclass
class CommentNode:
    comment: Comment
    replies: list = field(default_factory=list)


@dataclass
class QuestionPage:
    """Everything the question page shows, loaded in a bounded number of queries."""

    question: Question
    answers: list
    comments: dict
    votes: dict
    # Whether the viewer follows the thread, and how many members do.
    following: bool = False
    followers: int = 0


def list_questions(sort="newest", tag=None, lang=None, page=1, per_page=20):
    """Visible questions, sorted and filtered, one page; deleted or hidden ones never appear
    in lists."""
    sort = sort if sort in SORTS else "newest"
    query = (select(Question).where(Question.is_live)
             .options(joinedload(Question.author), selectinload(Question.tags)))
    page = min(max(1, page), MAX_PAGE)
    if tag:
        tag_row = tag_service.find_tag(tag)
        if tag_row is None:
            return Page([], page, False)
        query = query.where(_tagged(tag_row))
    if lang in LANGUAGES:
        query = query.where(Question.lang == lang)
    if sort == "unanswered":
        query = query.where(Question.answer_count == 0)
    order = {
        "newest": (Question.created_at.desc(), Question.id.desc()),
        "active": (Question.last_activity_at.desc(), Question.id.desc()),
        "votes": (Question.score.desc(), Question.id.desc()),
        "unanswered": (Question.created_at.desc(), Question.id.desc()),
    }[sort]
    rows = db.session.scalars(query.order_by(*order).offset((page - 1) * per_page)
                              .limit(per_page + 1)).unique().all()
    return Page(rows[:per_page], page, len(rows) > per_page)


def _tagged(tag):
    """SQL condition "has a tag of this tag's synonym group", shaped so that one page costs
    little at any tag size."""
    main = tag_synonyms.main_of(tag)
    ids = tag_synonyms.group_ids(main)
    if main.question_count >= POPULAR_TAG:
        # Walk the list's ordering index and probe each question's tag: a popular tag fills
        # a page after a few rows, where starting from the tag would sort all its questions.
        return exists().where(question_tag.c.question_id == Question.id,
                              question_tag.c.tag_id.in_(ids))
    # A rare tag: start from its few questions.
    return Question.id.in_(select(question_tag.c.question_id)
                           .where(question_tag.c.tag_id.in_(ids)))


def question_page(question_id, viewer=None):
    """The question, its answers (accepted first), nested comments and the viewer's votes."""
    followed = (QuestionFollow.question_id == question_id, QuestionFollow.following.is_(True))
    followers = select(func.count()).select_from(QuestionFollow).where(*followed)
    following = exists().where(*followed, QuestionFollow.user_id == viewer.id) \
        if viewer is not None and viewer.is_authenticated else false()
    # The follow button's state comes with the question: no query of its own.
    found = db.session.execute(
        select(Question, followers.scalar_subquery(), following)
        .where(Question.id == question_id)
        .options(joinedload(Question.author), selectinload(Question.tags))).first()
    question, follower_count, viewer_follows = found if found is not None else (None, 0, False)
    if question is None:
        get_question(question_id, viewer)  # raises NotFound
    allow_see_post(viewer, question)
    answers = db.session.scalars(
        select(Answer).where(Answer.question_id == question.id, visible_posts(Answer, viewer))
        .options(joinedload(Answer.author))
        .order_by(Answer.score.desc(), Answer.created_at, Answer.id)).all()
    answers.sort(key=lambda answer: answer.id != question.accepted_answer_id)
    comments = db.session.scalars(
        select(Comment).where(Comment.thread_id == question.id)
        .options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)).all()
    return QuestionPage(question, answers, _comment_trees(comments, viewer),
                        votes_of(viewer, question.id, [answer.id for answer in answers]),
                        bool(viewer_follows), follower_count or 0)


def thread_participants(question_id):
    """The ids of everyone whose page of the thread differs from another plain member's: the
    authors of its question, answers and comments in any state, its voters, and the author
    of the withdrawn original it is a duplicate of (who still sees its title)."""
    answer_ids = select(Answer.id).where(Answer.question_id == question_id)
    original = select(Question.duplicate_of_id).where(Question.id == question_id)
    rows = db.session.scalars(union(
        select(Question.author_id).where(Question.id == question_id),
        select(Answer.author_id).where(Answer.question_id == question_id),
        select(Comment.author_id).where(Comment.thread_id == question_id),
        select(Vote.user_id).where((Vote.question_id == question_id)
                                   | Vote.answer_id.in_(answer_ids)),
        select(Question.author_id).where(Question.id.in_(original), ~Question.is_live)))
    return frozenset(row for row in rows if row is not None)


def _follow_state_statement():
    followed = (QuestionFollow.question_id == bindparam("question_id"),
                QuestionFollow.following.is_(True))
    count = select(func.count()).select_from(QuestionFollow).where(*followed).scalar_subquery()
    following = exists().where(*followed, QuestionFollow.user_id == bindparam("user_id"))
    return select(count, following)


# Built once: building a statement and its cache key cost more than running this one, on a
# page that plain members share and that fills in only their follow state (forum.shared_pages).
_FOLLOW_STATE = _follow_state_statement()


def follow_state(question_id, viewer):
    """{"following": whether `viewer` follows the thread, "count": how many members do}."""
    count, following = db.session.execute(
        _FOLLOW_STATE, {"question_id": question_id, "user_id": viewer.id}).one()
    return {"following": bool(following), "count": count or 0}


def _comment_trees(comments, viewer):
    """{('question'|'answer', id): [CommentNode]}; a deleted comment with live replies stays
    as a placeholder so the conversation still reads, its text hidden from others."""
    nodes = {comment.id: CommentNode(comment) for comment in comments}
    roots = {}
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id)
        if parent is not None:
            parent.replies.append(node)
        else:
            key = ("answer", comment.answer_id) if comment.answer_id else (
                "question", comment.question_id)
            roots.setdefault(key, []).append(node)

    def keep(node):
        node.replies = [child for child in node.replies if keep(child)]
        if can_see_post(viewer, node.comment):
            return True
        return bool(node.replies)

    return {key: [node for node in nodes_ if keep(node)] for key, nodes_ in roots.items()}


def recent_questions(limit=15):
    """Questions with the latest activity, for the home page."""
    return db.session.scalars(
        select(Question).where(Question.is_live)
        .options(joinedload(Question.author), selectinload(Question.tags))
        .order_by(Question.last_activity_at.desc(), Question.id.desc()).limit(limit)).unique().all()


def recent_answers(limit=10):
    """Latest answers on visible questions, with their question, for the home page."""
    # A correlated NOT EXISTS lets SQLite walk the answers by date and probe each question;
    # a join makes it scan every question first (see bench/pages.py).
    withdrawn_question = exists().where(Question.id == Answer.question_id, ~Question.is_live)
    return db.session.scalars(
        select(Answer).where(Answer.is_live, ~withdrawn_question)
        .options(joinedload(Answer.author), joinedload(Answer.question))
        .order_by(Answer.created_at.desc(), Answer.id.desc()).limit(limit)).all()


def user_activity(user, viewer=None, limit=30):
    """A user's questions and answers, newest first; deleted or hidden ones only for them and
    moderators."""
    questions = db.session.scalars(
        select(Question).where(Question.author_id == user.id, visible_posts(Question, viewer))
        .options(selectinload(Question.tags))
        .order_by(Question.created_at.desc()).limit(limit)).all()
    answers = db.session.scalars(
        select(Answer).join(Question, Answer.question_id == Question.id)
        .where(Answer.author_id == user.id, visible_posts(Answer, viewer),
               visible_posts(Question, viewer))
        .options(joinedload(Answer.question))
        .order_by(Answer.created_at.desc()).limit(limit)).all()
    return questions, answers



def count_questions():
    """Number of questions, deleted ones included."""
    return db.session.scalar(select(func.count(Question.id)))


def best_accepted(limit=20, exclude_question_ids=(), min_score=1):
    """Live questions whose accepted answer scores at least `min_score`, best answer first
    (the threads most worth turning into a good-practice article)."""
    query = (select(Question, Answer.score).join(Answer, Answer.id == Question.accepted_answer_id)
             .where(Question.is_live, Answer.is_live,
                    Answer.score >= min_score)
             .options(selectinload(Question.tags))
             .order_by(Answer.score.desc(), Question.id.desc()).limit(limit))
    if exclude_question_ids:
        query = query.where(Question.id.not_in(list(exclude_question_ids)))
    return [(question, score) for question, score in db.session.execute(query)]


def recent_for_ids(question_ids, limit=10):
    """The newest live questions among `question_ids` (a module's field questions)."""
    if not question_ids:
        return []
    return db.session.scalars(
        select(Question).where(Question.id.in_(list(question_ids)), Question.is_live)
        .options(selectinload(Question.tags), joinedload(Question.author))
        .order_by(Question.created_at.desc()).limit(limit)).all()


def question_id_by_title(title):
    """The id of the live question with exactly this title, or None (demo and fixtures)."""
    return db.session.scalar(select(Question.id).where(
        Question.title == title, Question.is_live).order_by(Question.id).limit(1))
