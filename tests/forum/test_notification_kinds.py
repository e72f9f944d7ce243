"""Who hears of what: each kind of forum notification reaches the members it is for, once per
post, never the author of the post, never someone who cannot see it, and mentions follow
their own rules (existing members, new ones on edit, at most ten per post)."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.mail.models import OutboxMessage
from core.notifications import preferences
from core.notifications import services as notifications
from core.notifications.models import Notification
from forum.models import Flag
from forum.services import answers, comments, flags, follows, hiding, questions
from tests import factories


def kinds_of(user):
    """[(kind, subject id)] of the user's notifications, oldest first."""
    return [(n.kind, n.subject_id) for n in db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.id))]


def kinds(user):
    return [kind for kind, _subject in kinds_of(user)]


@pytest.fixture
def people(ctx):
    return {name: factories.user("member", name)
            for name in ("alice", "bob", "carol", "dave", "erin")} | {
        "mod": factories.user("moderator", "mod")}


def test_the_asker_hears_of_an_answer_once_and_followers_hear_of_it(people):
    alice, bob, carol, dave = (people[n] for n in ("alice", "bob", "carol", "dave"))
    question = factories.question(alice)
    follows.follow_question(dave, question.id)
    answer = factories.answer(bob, question.id)
    # The asker follows her thread too, and still hears once, as the asker.
    assert kinds_of(alice) == [("answer", answer.id)]
    assert kinds_of(dave) == [("followed_answer", answer.id)]
    assert kinds(bob) == []  # nobody hears of their own post
    second = factories.answer(carol, question.id)
    assert kinds_of(alice) == [("answer", answer.id), ("answer", second.id)]
    # Bob answered, so he follows and hears of Carol's answer.
    assert kinds_of(bob) == [("followed_answer", second.id)]
    assert kinds(carol) == []


def test_an_unfollow_is_remembered_even_when_answering_again(people):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    question = factories.question(alice)
    factories.answer(bob, question.id)
    follows.unfollow_question(bob, question.id)
    factories.answer(bob, question.id)  # answering again does not follow again
    assert not follows.follows_question(bob, question.id)
    follows.unfollow_question(alice, question.id)  # the asker may stop hearing too
    factories.answer(carol, question.id)
    assert kinds(bob) == [] and kinds(alice) == ["answer", "answer"]  # Bob's two, not Carol's
    assert follows.followers_of_question(question.id) == [carol.id]
    follows.follow_question(bob, question.id)
    assert follows.followers_of_question(question.id) == [bob.id, carol.id]
    assert follows.question_follower_count(question.id) == 2


def test_comments_and_replies(people):
    alice, bob, carol, dave = (people[n] for n in ("alice", "bob", "carol", "dave"))
    question = factories.question(alice)
    answer = factories.answer(bob, question.id)
    on_question = comments.post_comment(carol, "How old is the child you met?",
                                        question_id=question.id)
    on_answer = comments.post_comment(dave, "Which office did you call?", answer_id=answer.id)
    assert ("comment", on_question.id) in kinds_of(alice)
    assert kinds_of(bob) == [("comment", on_answer.id)]
    # Bob replies to Dave on his own answer: Dave hears of a reply; Bob of nothing.
    reply = comments.post_comment(bob, "The district office, on a Monday.", parent_id=on_answer.id)
    assert kinds_of(dave) == [("reply", reply.id)]
    assert kinds_of(bob) == [("comment", on_answer.id)]
    # Carol replies to Dave under Bob's answer: Dave hears of a reply, Bob of a comment.
    second = comments.post_comment(carol, "Thanks, that helps a lot.", parent_id=on_answer.id)
    assert kinds_of(dave)[-1] == ("reply", second.id)
    assert kinds_of(bob)[-1] == ("comment", second.id)
    # A reply to the post's own author tells them once, as a reply.
    to_alice = comments.post_comment(alice, "Around ten years old.", parent_id=on_question.id)
    answer_to_alice = comments.post_comment(carol, "Then call the child line.",
                                            parent_id=to_alice.id)
    assert kinds_of(alice)[-1] == ("reply", answer_to_alice.id)
    assert [k for k, s in kinds_of(alice) if s == answer_to_alice.id] == ["reply"]
    shown, withheld = notifications.recent(dave)[0]
    assert not withheld and shown.url == f"/questions/{question.id}#comment-{second.id}"
    assert shown.title == question.title


def test_a_comment_in_a_hidden_answer_reaches_nobody_who_cannot_see_it(people):
    alice, bob, carol, mod = people["alice"], people["bob"], people["carol"], people["mod"]
    question = factories.question(alice)
    answer = factories.answer(bob, question.id)
    comment = comments.post_comment(carol, "A remark on this answer.", answer_id=answer.id)
    hiding.hide(answer, mod, "names a child")
    db.session.commit()
    # The moderator comments in the hidden answer and names Carol: Carol cannot see it.
    comments.post_comment(mod, "@carol this answer is hidden for now.", parent_id=comment.id)
    assert kinds(carol) == []
    # Bob, its author, still sees his hidden answer and hears of the comment.
    assert kinds(bob)[-1] == "comment"
    # Earlier notifications about it are withheld now.
    shown, withheld = notifications.recent(alice)[0]
    assert shown.kind == "answer" and withheld and shown.url is None


def test_mentions(people):
    alice, bob, carol, dave = (people[n] for n in ("alice", "bob", "carol", "dave"))
    question = factories.question(
        alice, body="Has anyone met this? @Bob and @bob and @carol, and `@dave` in code, "
                    "write to erin@example.org, @nobody_here. " + factories.BODY)
    # Linked once for each member, case-insensitively; not in code, nor an address.
    assert '<a href="/users/bob" rel="nofollow ugc noopener">@bob</a>' in question.body_html
    assert '<a href="/users/carol"' in question.body_html
    assert "<code>@dave</code>" in question.body_html and "/users/dave" not in question.body_html
    assert "/users/erin" not in question.body_html and "@nobody_here" in question.body_html
    assert kinds_of(bob) == [("mention", question.id)]
    assert kinds_of(carol) == [("mention", question.id)]
    assert kinds(dave) == [] and kinds(people["erin"]) == []
    # An edit tells only whom it names for the first time.
    questions.edit_question(alice, question.id, question.title,
                            question.body + " Also @dave and @bob again.", "trust", "en")
    assert kinds(bob) == ["mention"] and kinds(dave) == ["mention"]
    shown, withheld = notifications.recent(dave)[0]
    assert not withheld and shown.url == f"/questions/{question.id}"
    # Naming oneself tells nobody; an answer naming the asker tells her once (an answer).
    answer = factories.answer(bob, question.id, body="@alice @bob " + factories.BODY)
    assert kinds_of(alice) == [("answer", answer.id)]
    assert kinds(bob) == ["mention"]
    answers.edit_answer(bob, answer.id, answer.body + " @carol")
    assert kinds(carol) == ["mention", "mention"]


def test_a_mention_in_a_hidden_post_tells_nobody(people):
    alice, bob, mod = people["alice"], people["bob"], people["mod"]
    question = factories.question(alice)
    answer = factories.answer(alice, question.id, body="My own notes. " + factories.BODY)
    hiding.hide(answer, mod, "names a child")
    db.session.commit()
    answers.edit_answer(alice, answer.id, answer.body + " @bob")  # its author may still edit
    assert kinds(bob) == []
    hiding.hide(question, mod, "names a child")
    db.session.commit()
    questions.edit_question(alice, question.id, question.title, question.body + " @bob",
                            "trust", "en")
    assert kinds(bob) == []


def test_a_post_tells_at_most_ten_members_it_names(ctx):
    author = factories.user("member", "author")
    named = [factories.user("member", f"named{i:02d}") for i in range(12)]
    body = " ".join(f"@{user.username}" for user in named) + " " + factories.BODY
    question = factories.question(author, body=body)
    told = [user for user in named if kinds(user)]
    assert told == named[:10]
    assert question.body_html.count('href="/users/named') == 12  # all are linked


def test_tag_followers_hear_once_of_a_new_question(people):
    alice, bob, carol, dave = (people[n] for n in ("alice", "bob", "carol", "dave"))
    factories.question(alice, tags="trust shelter")
    follows.follow_tag(bob, "trust")
    follows.follow_tag(bob, "shelter")
    follows.follow_tag(carol, "shelter")
    follows.follow_tag(alice, "trust")
    assert follows.followers_of_tags([t.id for t in follows.followed_tags(bob)]) == sorted(
        [alice.id, bob.id, carol.id])
    question = factories.question(alice, title="Where can a girl sleep tonight?",
                                  tags="trust shelter night")
    assert kinds_of(bob) == [("tag_question", question.id)]  # two tags, one notification
    assert kinds_of(carol) == [("tag_question", question.id)]
    assert kinds(alice) == [] and kinds(dave) == []
    # Mentioned and following: told once, of the mention.
    follows.follow_tag(dave, "night")
    mention = factories.question(alice, body="@dave " + factories.BODY, tags="night")
    assert kinds_of(dave) == [("mention", mention.id)]
    follows.unfollow_tag(bob, "trust")
    follows.unfollow_tag(bob, "shelter")
    factories.question(alice, tags="trust")
    assert kinds(bob) == ["tag_question"]
    assert [tag.name for tag in follows.followed_tags(carol)] == ["shelter"]
    assert follows.tag_follower_count(follows.followed_tags(carol)[0].id) == 1


def test_a_handled_flag_tells_each_flagger_without_the_reason(people):
    alice, bob, carol, mod = people["alice"], people["bob"], people["carol"], people["mod"]
    question = factories.question(alice)
    answer = factories.answer(bob, question.id)
    flags.flag_post(alice, "answer", answer.id, "spam")
    flags.flag_post(carol, "answer", answer.id, "offensive")
    flags.flag_post(mod, "answer", answer.id, "spam")
    flags.decide(mod, "answer", answer.id, "dismiss", reason="Private: the member is known to us")
    flag_ids = db.session.scalars(select(Flag.id).order_by(Flag.id)).all()
    assert kinds_of(alice)[-1] == ("flag_handled", flag_ids[0])
    assert kinds_of(carol) == [("flag_handled", flag_ids[1])]
    assert "flag_handled" not in kinds(mod)  # their own decision
    shown, withheld = notifications.recent(carol)[0]
    assert not withheld and shown.title == question.title
    assert shown.url == f"/questions/{question.id}#answer-{answer.id}"
    assert "Private" not in str(shown.sentence) and "Private" not in shown.title
    assert preferences.channel_for(carol.id, "flag_handled") == "site"
    # A flag on a question that is then hidden: the flagger learns it was handled, not more.
    flags.flag_post(carol, "question", question.id, "spam")
    flags.decide(mod, "question", question.id, "hide", reason="Private again")
    shown, withheld = notifications.recent(carol)[0]
    assert shown.kind == "flag_handled" and withheld and shown.url is None
    assert "no longer shown" in str(shown.hidden)


def test_a_suspended_member_still_hears_on_the_site(people):
    from datetime import timedelta

    from core.timeutil import utcnow
    alice, bob = people["alice"], people["bob"]
    question = factories.question(alice)
    alice.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    factories.answer(bob, question.id)
    assert kinds(alice) == ["answer"]


def test_defaults_and_instant_mail(people):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    defaults = {kind: preferences.channel_for(alice.id, kind) for kind in (
        "answer", "comment", "reply", "mention", "followed_answer", "tag_question",
        "flag_handled", "review_waiting")}
    assert defaults == {"answer": "instant", "comment": "instant", "reply": "instant",
                        "mention": "instant", "followed_answer": "daily",
                        "tag_question": "daily", "flag_handled": "site",
                        "review_waiting": "instant"}
    question = factories.question(alice)
    follows.follow_question(carol, question.id)
    factories.answer(bob, question.id)
    # Alice's answer is mailed at once; Carol's followed answer waits for her digest.
    assert db.session.scalars(select(OutboxMessage.recipient_id)).all() == [alice.id]
