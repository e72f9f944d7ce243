"""Following questions and tags: who hears of a thread's new answers and of a tag's new
questions.

The asker and each answerer follow a thread automatically (auto_follow, in the transaction of
their post); an explicit unfollow is remembered (QuestionFollow.following False) so that
answering again never undoes it. A member changes only their own follows: every service takes
the signed-in user and nothing else names whose follow it is.
"""
from sqlalchemy import func, select

from core.extensions import db
from core.transactions import transactional
from forum.models import QuestionFollow, Tag, TagFollow
from forum.permissions import allow_follow
from forum.services.tags import get_main_tag
from forum.services.threads import get_question


def _set_question_follow(user_id, question_id, following):
    row = db.session.get(QuestionFollow, (user_id, question_id))
    if row is None:
        db.session.add(QuestionFollow(user_id=user_id, question_id=question_id,
                                      following=following))
    else:
        row.following = following


@transactional
def follow_question(user, question_id):
    """`user` follows a question they can see."""
    allow_follow(user)
    question = get_question(question_id, user)
    _set_question_follow(user.id, question.id, True)
    db.session.commit()
    return question


@transactional
def unfollow_question(user, question_id):
    """`user` stops following a question; remembered, so that their next answer there does
    not make them follow again."""
    allow_follow(user)
    question = get_question(question_id, user)
    _set_question_follow(user.id, question.id, False)
    db.session.commit()
    return question


def auto_follow(user_id, question_id):
    """The asker or an answerer follows the thread, unless they unfollowed it: in the current
    transaction (the caller commits)."""
    if db.session.get(QuestionFollow, (user_id, question_id)) is None:
        db.session.add(QuestionFollow(user_id=user_id, question_id=question_id, following=True))
        db.session.flush()


def unfollowed_question(user_id, question_id):
    """Whether the member said they no longer follow this thread."""
    row = db.session.get(QuestionFollow, (user_id, question_id))
    return row is not None and not row.following


def follows_question(user, question_id):
    """Whether `user` (signed in or not) follows the question."""
    if user is None or not user.is_authenticated:
        return False
    row = db.session.get(QuestionFollow, (user.id, question_id))
    return row is not None and row.following


def followers_of_question(question_id):
    """Ids of the members following the question, in order."""
    return list(db.session.scalars(
        select(QuestionFollow.user_id).where(QuestionFollow.question_id == question_id,
                                             QuestionFollow.following.is_(True))
        .order_by(QuestionFollow.user_id)))


def question_follower_count(question_id):
    return db.session.scalar(select(func.count()).select_from(QuestionFollow).where(
        QuestionFollow.question_id == question_id, QuestionFollow.following.is_(True)))


@transactional
def follow_tag(user, tag_name):
    """`user` follows the tag called `tag_name` (NotFound if there is none)."""
    allow_follow(user)
    tag = get_main_tag(tag_name)
    if db.session.get(TagFollow, (user.id, tag.id)) is None:
        db.session.add(TagFollow(user_id=user.id, tag_id=tag.id))
    db.session.commit()
    return tag


@transactional
def unfollow_tag(user, tag_name):
    """`user` stops following the tag."""
    allow_follow(user)
    tag = get_main_tag(tag_name)
    row = db.session.get(TagFollow, (user.id, tag.id))
    if row is not None:
        db.session.delete(row)
    db.session.commit()
    return tag


def follows_tag(user, tag_id):
    if user is None or not user.is_authenticated:
        return False
    return db.session.get(TagFollow, (user.id, tag_id)) is not None


def followers_of_tags(tag_ids):
    """Ids of the members following any of these tags, each once, in order."""
    if not tag_ids:
        return []
    return list(db.session.scalars(
        select(TagFollow.user_id).where(TagFollow.tag_id.in_(sorted(set(tag_ids))))
        .group_by(TagFollow.user_id).order_by(TagFollow.user_id)))


def tag_follower_count(tag_id):
    return db.session.scalar(select(func.count()).select_from(TagFollow).where(
        TagFollow.tag_id == tag_id))


def followed_tags(user):
    """The tags `user` follows, by name."""
    return list(db.session.scalars(
        select(Tag).join(TagFollow, TagFollow.tag_id == Tag.id)
        .where(TagFollow.user_id == user.id).order_by(Tag.name)))
