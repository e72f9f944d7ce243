"""Flags and hidden posts: flagging (once per member, own posts too, rate-limited), the
automatic hiding of a post that identifies a child, moderators hiding and showing posts (in
the audit log), who still sees a hidden post, and the moderation queue's decisions."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from forum.models import Answer, Comment, Flag, Question, Tag
from forum.services import flags, hiding, queries
from tests.forum.conftest import count, field_error, html, row, snapshot

CHILD = "identifies_child"


@pytest.fixture
def thread(seed, make_user):
    """A question by `asker` with an answer by `answerer` and a comment on it; returns a
    dict of names and ids."""
    names = {role: make_user(**kwargs) for role, kwargs in (
        ("asker", {"username": "asker"}), ("answerer", {"username": "answerer"}),
        ("reader", {"username": "reader"}), ("second", {"username": "second"}),
        ("third", {"username": "third"}), ("moderator", {"role": "moderator",
                                                         "username": "modo"}))}
    names["question"] = seed.question("asker", "How do I keep a child's trust at the shelter?",
                                      tags="trust shelter")
    names["answer"] = seed.answer("answerer", names["question"],
                                  "Ask Kofi Mensah at the Rue 12 market stall every evening.")
    names["comment"] = seed.comment("reader", "Thank you, this helps a lot.",
                                    answer_id=names["answer"])
    return names


def _flag(app, username, post_type, post_id, reason=CHILD, text=""):
    with app.app_context():
        flag, created = flags.flag_post(get_user_by_username(username), post_type, post_id,
                                        reason, text)
        return flag.id, created


def _audit(app, action):
    with app.app_context():
        return [(entry.actor.username if entry.actor else None, entry.target_type,
                 entry.target_id, entry.details)
                for entry in db.session.scalars(select(AuditEntry).where(
                    AuditEntry.action == action).order_by(AuditEntry.id))]


# -- the services ----------------------------------------------------------------------------

def test_a_member_flags_once_and_a_second_flag_changes_nothing(app, thread):
    first, created = _flag(app, "reader", "answer", thread["answer"], "spam")
    assert created
    again, created = _flag(app, "reader", "answer", thread["answer"], "offensive")
    assert (again, created) == (first, False)
    assert count(app, Flag) == 1 and row(app, Flag, first)["reason"] == "spam"


def test_an_author_may_flag_their_own_post(app, thread):
    _flag_id, created = _flag(app, "answerer", "answer", thread["answer"])
    assert created and row(app, Answer, thread["answer"])["hidden_at"] is None


@pytest.mark.parametrize("reason, text, field", [
    ("other", "   ", "text"), ("nonsense", "", "reason"), ("other", "x" * 501, "text")])
def test_bad_flags_name_their_field_and_save_nothing(app, thread, reason, text, field):
    with app.app_context(), pytest.raises(InvalidInput) as raised:
        flags.flag_post(get_user_by_username("reader"), "answer", thread["answer"], reason,
                        text)
    assert raised.value.field == field and count(app, Flag) == 0


def test_unknown_or_invisible_posts_cannot_be_flagged(app, thread, seed):
    seed.delete("answerer", "answer", thread["answer"])
    with app.app_context():
        reader = get_user_by_username("reader")
        for post_type, post_id in (("answer", thread["answer"]), ("answer", 999),
                                   ("vote", 1), ("question", 10 ** 24)):
            with pytest.raises(NotFound):
                flags.flag_post(reader, post_type, post_id, "spam")
    assert count(app, Flag) == 0


def test_flagging_is_limited_per_hour_and_per_day(app, seed, thread):
    questions = [seed.question("asker", f"Question number {n} about the shelter rules")
                 for n in range(11)]
    for question in questions[:10]:
        _flag(app, "reader", "question", question, "spam")
    with app.app_context(), pytest.raises(flags.TooManyFlags) as raised:
        flags.flag_post(get_user_by_username("reader"), "question", questions[10], "spam")
    assert "10" in str(raised.value.message) and count(app, Flag) == 10
    # An hour later, the day's limit (20) still counts them.
    with app.app_context():
        for flag in db.session.scalars(select(Flag)):
            flag.created_at -= timedelta(hours=2)
        db.session.commit()
    _id, created = _flag(app, "reader", "question", questions[10], "spam")
    assert created


def test_a_second_member_confirming_hides_the_post_for_everyone_else(app, thread):
    _flag(app, "reader", "answer", thread["answer"])
    assert row(app, Answer, thread["answer"])["hidden_at"] is None
    _flag(app, "reader", "answer", thread["answer"])  # the same member again: no confirmation
    assert row(app, Answer, thread["answer"])["hidden_at"] is None
    _flag(app, "second", "answer", thread["answer"], "spam")  # another reason confirms nothing
    assert row(app, Answer, thread["answer"])["hidden_at"] is None
    _flag(app, "third", "answer", thread["answer"])
    answer = row(app, Answer, thread["answer"])
    assert answer["hidden_at"] is not None
    assert _audit(app, "hide") == [("third", "answer", thread["answer"],
                                    {"by": "flags", "flags": 2})]
    assert row(app, Question, thread["question"])["answer_count"] == 0
    with app.app_context():
        page = queries.question_page(thread["question"], None)
        assert page.answers == []
        author_page = queries.question_page(thread["question"],
                                            get_user_by_username("answerer"))
        assert [a.id for a in author_page.answers] == [thread["answer"]]


def test_a_moderators_flag_hides_at_once(app, thread):
    _flag(app, "modo", "comment", thread["comment"])
    assert row(app, Comment, thread["comment"])["hidden_at"] is not None
    assert _audit(app, "hide")[0][:3] == ("modo", "comment", thread["comment"])


def test_hide_and_unhide_are_for_moderators_and_audited(app, thread):
    with app.app_context():
        with pytest.raises(Forbidden):
            hiding.hide_post(get_user_by_username("reader"), "question", thread["question"])
        assert db.session.get(Question, thread["question"]).hidden_at is None
        moderator = get_user_by_username("modo")
        hiding.hide_post(moderator, "question", thread["question"], "names a child")
        hiding.hide_post(moderator, "question", thread["question"])  # already: nothing more
    assert [name for name, *_rest in _audit(app, "hide")] == ["modo"]
    with app.app_context():
        assert db.session.get(Tag, 1).question_count == 0
        hiding.unhide_post(get_user_by_username("modo"), "question", thread["question"])
        assert db.session.get(Tag, 1).question_count == 1
    assert _audit(app, "unhide") == [("modo", "question", thread["question"], None)]


def test_a_hidden_question_leaves_lists_profiles_and_tag_counts(app, thread, seed):
    with app.app_context():
        hiding.hide_post(get_user_by_username("modo"), "question", thread["question"])
        asker = get_user_by_username("asker")
        assert queries.list_questions().items == []
        assert queries.recent_questions() == [] and queries.recent_answers() == []
        assert queries.user_activity(asker, None) == ([], [])
        assert [q.id for q in queries.user_activity(asker, asker)[0]] == [thread["question"]]
        assert all(tag.question_count == 0 for tag in db.session.scalars(select(Tag)))
        # Deleting and undeleting the hidden question does not count it twice.
    seed.delete("asker", "question", thread["question"])
    seed.undelete("asker", "question", thread["question"])
    with app.app_context():
        assert all(tag.question_count == 0 for tag in db.session.scalars(select(Tag)))
        hiding.unhide_post(get_user_by_username("modo"), "question", thread["question"])
        assert all(tag.question_count == 1 for tag in db.session.scalars(select(Tag)))
        assert [q.id for q in queries.list_questions().items] == [thread["question"]]


def test_the_queue_puts_identifying_posts_first_and_decisions_close_the_flags(app, thread):
    _flag(app, "reader", "question", thread["question"], "spam")
    _flag(app, "second", "comment", thread["comment"], "other", "Rude words.")
    _flag(app, "third", "answer", thread["answer"])
    with app.app_context():
        queue = flags.open_flag_groups()
        assert [(g.post_type, len(g.flags)) for g in queue] == [
            ("answer", 1), ("question", 1), ("comment", 1)]
        assert queue.total == 3
        moderator = get_user_by_username("modo")
        assert flags.decide(moderator, "answer", thread["answer"], "hide", "a name") == 1
        assert flags.decide(moderator, "question", thread["question"], "dismiss") == 1
        assert flags.decide(moderator, "comment", thread["comment"], "delete") == 1
        assert flags.open_flag_groups() == []
        decided = {f.target_type: (f.status, f.decision, f.decided_by_id is not None)
                   for f in db.session.scalars(select(Flag))}
    assert decided == {"answer": ("actioned", "hide", True),
                       "question": ("dismissed", "dismiss", True),
                       "comment": ("actioned", "delete", True)}
    assert row(app, Answer, thread["answer"])["hidden_at"] is not None
    assert row(app, Comment, thread["comment"])["deleted_at"] is not None
    assert [a[1:3] for a in _audit(app, "dismiss_flags")] == [("question", thread["question"])]
    assert [a[1:3] for a in _audit(app, "delete")] == [("comment", thread["comment"])]


def test_showing_again_an_automatically_hidden_post_dismisses_its_flags(app, thread):
    _flag(app, "reader", "answer", thread["answer"])
    _flag(app, "second", "answer", thread["answer"])
    with app.app_context():
        flags.decide(get_user_by_username("modo"), "answer", thread["answer"], "unhide")
        assert {f.status for f in db.session.scalars(select(Flag))} == {"dismissed"}
    assert row(app, Answer, thread["answer"])["hidden_at"] is None
    assert row(app, Question, thread["question"])["answer_count"] == 1


# -- the pages -------------------------------------------------------------------------------

def test_the_flag_control_is_on_every_post_for_members_only(app, thread, client, user_client):
    url = f"/questions/{thread['question']}"
    assert 'class="flag"' not in html(client.get(url))
    member = user_client()
    page = html(member.get(url))
    for kind in ("questions", "answers", "comments"):
        post_id = thread[kind[:-1]]
        assert f'href="/{kind}/{post_id}/flag"' in page
        assert "<h1>Flag a post</h1>" in html(member.get(f"/{kind}/{post_id}/flag"))


def test_the_flag_form_lists_identifies_child_first_and_thanks(app, thread, login, client):
    login(client, "reader")
    form = html(client.get(f"/answers/{thread['answer']}/flag"))
    assert form.index('value="identifies_child"') < form.index('value="spam"')
    assert "Kofi Mensah" in form  # the post being flagged, in context
    response = client.post_form(f"/answers/{thread['answer']}/flag",
                                {"reason": "identifies_child"}, follow_redirects=True)
    assert "Thank you, the moderators will look at it." in html(response)
    again = client.post_form(f"/answers/{thread['answer']}/flag", {"reason": "spam"},
                             follow_redirects=True)
    assert "You have already flagged this post" in html(again)
    assert count(app, Flag) == 1


@pytest.mark.parametrize("data, field", [
    ({}, "reason"), ({"reason": "other"}, "text"), ({"reason": "bogus"}, "reason"),
    ({"reason": "other", "text": "y" * 501}, "text"),
    ({"reason": "other", "text": "bad\x00text"}, "text")])
def test_bad_flag_forms_come_back_with_the_field_named(app, thread, user_client, data, field):
    response = user_client().post_form(f"/answers/{thread['answer']}/flag", data)
    assert response.status_code == 400
    page = html(response)
    if field == "reason":
        assert 'id="reason-error"' in page
    else:
        assert field_error(page, field)
    assert count(app, Flag) == 0


@pytest.mark.parametrize("url", [
    "/answers/999/flag", "/answers/1234567890123456789012345/flag", "/votes/1/flag"])
def test_unknown_posts_have_no_flag_page(thread, user_client, url):
    assert user_client().get(url).status_code == 404


def test_flagging_needs_the_csrf_token_and_a_signed_in_member(app, thread, client,
                                                              user_client):
    url = f"/answers/{thread['answer']}/flag"
    assert client.get(url).status_code == 302
    assert user_client().post(url, data={"reason": "spam"}).status_code == 400
    assert count(app, Flag) == 0


def test_a_hidden_answer_shows_its_author_a_banner_and_nothing_to_others(
        app, thread, client, login, user_client):
    _flag(app, "reader", "answer", thread["answer"])
    _flag(app, "second", "answer", thread["answer"])
    url = f"/questions/{thread['question']}"
    for other in (client, user_client()):
        page = html(other.get(url))
        assert "Kofi Mensah" not in page and "0 answers" in page
    author = login(app.test_client(), "answerer")
    author.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = html(author.get(url))
    assert "Kofi Mensah" in page and "This answer is hidden by the moderators" in page


def test_the_queue_shows_flagged_posts_and_the_moderator_decides(app, thread, user_client):
    _flag(app, "reader", "answer", thread["answer"], "other", "A name & a stall <b>here</b>")
    moderator = user_client("moderator")
    page = html(moderator.get("/moderation"))
    assert "Kofi Mensah" in page and "A name &amp; a stall &lt;b&gt;here&lt;/b&gt;" in page
    assert "{# account actions #}" not in page
    assert f'action="/moderation/flags/answers/{thread["answer"]}"' in page
    response = moderator.post_form(f"/moderation/flags/answers/{thread['answer']}",
                                   {"decision": "hide"})
    assert response.status_code == 303
    assert row(app, Answer, thread["answer"])["hidden_at"] is not None
    assert "No open flag." in html(moderator.get("/moderation"))


def test_a_member_posting_a_decision_by_hand_is_refused(app, thread, user_client):
    _flag(app, "reader", "answer", thread["answer"])
    before = snapshot(app, Flag, Answer, AuditEntry)
    member = user_client()
    for decision in ("hide", "dismiss", "delete", "bogus"):
        response = member.post_form(f"/moderation/flags/answers/{thread['answer']}",
                                    {"decision": decision})
        assert response.status_code == 403
    assert snapshot(app, Flag, Answer, AuditEntry) == before


def test_a_forged_decision_is_refused_without_a_change(app, thread, user_client):
    _flag(app, "reader", "answer", thread["answer"])
    before = snapshot(app, Flag, Answer, AuditEntry)
    moderator = user_client("moderator")
    assert moderator.post_form(f"/moderation/flags/answers/{thread['answer']}",
                               {"decision": "burn"}).status_code == 400
    assert moderator.post_form("/moderation/flags/answers/999",
                               {"decision": "hide"}).status_code == 404
    assert moderator.post(f"/moderation/flags/answers/{thread['answer']}",
                          data={"decision": "hide"}).status_code == 400
    assert snapshot(app, Flag, Answer, AuditEntry) == before


def test_keeping_a_post_the_flags_hid_is_a_decision_in_the_log(app, thread):
    _flag(app, "reader", "answer", thread["answer"])
    _flag(app, "second", "answer", thread["answer"])
    with app.app_context():
        flags.decide(get_user_by_username("modo"), "answer", thread["answer"], "hide")
        assert {f.status for f in db.session.scalars(select(Flag))} == {"actioned"}
    assert [(actor, details) for actor, _type, _id, details in _audit(app, "hide")] == [
        ("second", {"by": "flags", "flags": 2}), ("modo", {"flags": 2, "kept": True})]
    assert row(app, Answer, thread["answer"])["hidden_at"] is not None


def test_notifications_about_a_hidden_answer_are_withheld_from_others(app, thread):
    from forum.notifications import in_visible_question
    _flag(app, "modo", "answer", thread["answer"])
    with app.app_context():
        answer = db.session.get(Answer, thread["answer"])
        assert not in_visible_question(get_user_by_username("reader"), answer)
        assert in_visible_question(get_user_by_username("answerer"), answer)


def test_the_authors_profile_marks_a_hidden_answer_that_others_do_not_see(
        app, thread, login, client):
    _flag(app, "modo", "answer", thread["answer"])
    url = "/users/answerer"
    assert "How do I keep a child" not in html(client.get(url))
    author = login(app.test_client(), "answerer")
    author.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = html(author.get(url))
    assert "How do I keep a child" in page and "· hidden" in page


def test_the_flag_limit_is_said_with_its_figure_and_nothing_is_saved(app, thread, seed, login,
                                                                     client):
    questions = [seed.question("asker", f"Question number {n} about the shelter rules")
                 for n in range(10)]
    for question in questions:
        _flag(app, "reader", "question", question, "spam")
    login(client, "reader")
    response = client.post_form(f"/answers/{thread['answer']}/flag", {"reason": "spam"})
    assert response.status_code == 429
    assert "You have flagged 10 posts in the last hour" in html(response)
    assert count(app, Flag) == 10
