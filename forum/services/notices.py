"""Who hears of a new post, and by which kind of notification (forum.notifications): each
member at most once per post, never of their own post, never about a post they cannot see.

- a new question: the members it mentions ("mention"), then the followers of its tags
  ("tag_question", once however many of their tags it carries);
- a new answer: the asker ("answer", unless they unfollowed the thread), the members it
  mentions, then the thread's followers ("followed_answer"): the asker never hears twice;
- a new comment: the author of the comment it replies to ("reply"), the author of the post
  it is on ("comment"), then the members it mentions;
- an edit: only the members it mentions for the first time.
Called inside the transaction of the post (the caller commits).
"""
from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from core.notifications import services as notifications
from core.notifications.kinds import get_kind
from core.notifications.models import Notification
from forum.models import Answer, Comment
from forum.permissions import can_see_post
from forum.services import follows
from forum.services.mentions import new_mentions


def _load(user_ids):
    """Bring the recipients into the session at once (one query, not one each)."""
    wanted = [user_id for user_id in user_ids if db.session.identity_map.get(
        db.session.identity_key(User, user_id)) is None]
    if wanted:
        db.session.scalars(select(User).where(User.id.in_(wanted))).all()


class _Told:
    """The members already told of one post, and the rule of who may be."""

    def __init__(self, actor):
        self.actor = actor
        self.ids = {actor.id}

    def tell(self, recipient_id, kind, subject, post=None):
        """Notify `recipient_id` if nobody told them of this post yet and they may see it
        (`post`: the post they must be able to see, when the subject is its thread)."""
        if recipient_id is None or recipient_id in self.ids:
            return None
        recipient = db.session.get(User, recipient_id)
        if recipient is None:
            return None
        if not get_kind(kind).visible(recipient, subject):
            return None
        if post is not None and not _sees(recipient, post):
            return None
        self.ids.add(recipient_id)
        return notifications.notify(recipient_id, kind, subject, actor=self.actor)


def _sees(user, post):
    """Whether `user` may see `post` where it is (a comment in a hidden answer: no)."""
    if not can_see_post(user, post):
        return False
    if post.post_type == "comment":
        if not can_see_post(user, post.thread):
            return False
        if post.answer_id is not None:
            return _sees(user, db.session.get(Answer, post.answer_id))
        return True
    if post.post_type == "answer":
        return can_see_post(user, post.question)
    return True


def _mentions(told, post, thread, mentioned):
    for user in mentioned:
        told.tell(user.id, "mention", thread, post=post)


def question_asked(question, author, mentioned):
    """Tell of a new question."""
    told = _Told(author)
    _mentions(told, question, question, new_mentions(mentioned))
    followers = follows.followers_of_tags([tag.id for tag in question.tags])
    _load(followers)
    for user_id in followers:
        told.tell(user_id, "tag_question", question)


def answer_posted(answer, author, mentioned):
    """Tell of a new answer."""
    question = answer.question
    told = _Told(author)
    if not follows.unfollowed_question(question.author_id, question.id):
        told.tell(question.author_id, "answer", answer)
    _mentions(told, answer, question, new_mentions(mentioned))
    followers = follows.followers_of_question(question.id)
    _load(followers)
    for user_id in followers:
        told.tell(user_id, "followed_answer", answer)


def comment_posted(comment, author, mentioned):
    """Tell of a new comment or reply."""
    told = _Told(author)
    if comment.parent_id is not None:
        parent = db.session.get(Comment, comment.parent_id)
        told.tell(parent.author_id, "reply", comment)
    on = db.session.get(Answer, comment.answer_id) if comment.answer_id else comment.thread
    told.tell(on.author_id, "comment", comment)
    _mentions(told, comment, comment.thread, new_mentions(mentioned))


def post_edited(post, editor, mentioned, old_body):
    """Tell the members an edit mentions for the first time: not those the old text named,
    nor anyone this editor already mentioned in this thread (taking a name out and putting
    it back, edit after edit, must not fill a mailbox)."""
    thread = post if post.post_type == "question" else post.question
    fresh = new_mentions(mentioned, old_body)
    if fresh:
        told = set(db.session.scalars(select(Notification.recipient_id).where(
            Notification.kind == "mention", Notification.subject_id == thread.id,
            Notification.actor_id == editor.id,
            Notification.recipient_id.in_([user.id for user in fresh]))))
        fresh = [user for user in fresh if user.id not in told]
    _mentions(_Told(editor), post, thread, fresh)
