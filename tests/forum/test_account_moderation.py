"""Moderators warn and suspend members, administrators change roles: who may, what the member
reads (their warning, the reason of their suspension when signing in), what the audit log
keeps, and bad input refused with nothing changed."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.accounts.models import User
from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.notifications.models import Notification
from core.timeutil import utcnow
from forum.models import ModeratorWarning
from forum.services import members
from tests import factories
from tests.conftest import PASSWORD

SCRIPT = "<script>alert(1)</script>"


def _entries(app, action=None):
    with app.app_context():
        query = select(AuditEntry)
        if action:
            query = query.where(AuditEntry.action == action)
        return [(e.action, e.actor.username if e.actor else None, e.target_type, e.target_id,
                 e.reason, e.details) for e in db.session.scalars(query.order_by(AuditEntry.id))]


def _user(app, username):
    with app.app_context():
        user = get_user_by_username(username)
        db.session.expunge(user)
        return user


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# -- services -----------------------------------------------------------------------------------

def test_a_moderator_suspends_a_member_for_a_chosen_length_and_lifts_it(ctx):
    moderator, member = factories.user("moderator"), factories.user("member")
    token = member.session_token
    until = members.suspend_member(moderator, member, "7d", "  Repeated insults.  ")
    assert member.is_suspended and member.suspension_reason == "Repeated insults."
    assert timedelta(days=6, hours=23) < until - utcnow() <= timedelta(days=7)
    assert member.session_token != token  # signed out everywhere
    members.lift_suspension(moderator, member, "Apologised.")
    assert not member.is_suspended
    actions = [(e.action, e.actor_id, e.target_id, e.reason) for e in
               db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [("suspend", moderator.id, member.id, "Repeated insults."),
                       ("unsuspend", moderator.id, member.id, "Apologised.")]


@pytest.mark.parametrize("duration, reason, field", [
    ("2d", "A reason", "duration"), ("", "A reason", "duration"),
    ("7d", "   ", "reason"), ("7d", "x" * 1001, "reason")])
def test_a_suspension_without_a_listed_length_or_a_reason_is_refused(ctx, duration, reason,
                                                                      field):
    moderator, member = factories.user("moderator"), factories.user("member")
    with pytest.raises(InvalidInput) as refused:
        members.suspend_member(moderator, member, duration, reason)
    assert refused.value.field == field
    assert not member.is_suspended and db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_who_may_suspend_whom(ctx):
    member, expert = factories.user("member"), factories.user("expert")
    moderator, other_moderator = factories.user("moderator"), factories.user("moderator")
    admin, other_admin = factories.user("admin"), factories.user("admin")
    for actor, target in ((member, expert), (moderator, moderator), (moderator, other_moderator),
                          (moderator, admin), (admin, other_admin), (admin, admin)):
        with pytest.raises(Forbidden):
            members.suspend_member(actor, target, "1d", "A reason")
    members.suspend_member(moderator, expert, "1d", "A reason")
    members.suspend_member(admin, other_moderator, "1y", "A reason")
    assert expert.is_suspended and other_moderator.is_suspended
    assert not any(user.is_suspended for user in (member, moderator, admin, other_admin))


def test_a_suspended_moderator_can_no_longer_moderate(ctx):
    admin, moderator, member = (factories.user("admin"), factories.user("moderator"),
                                factories.user("member"))
    members.suspend_member(admin, moderator, "1d", "Abuse of the tools")
    with pytest.raises(Forbidden):
        members.suspend_member(moderator, member, "1d", "A reason")


def test_a_warning_reaches_the_author_alone_and_is_audited(ctx):
    moderator, author = factories.user("moderator"), factories.user("member")
    question = factories.question(author)
    answer = factories.answer(factories.user("member"), question.id)
    warning = members.warn_member(moderator, author, "  Remove the boy's name.  ",
                                  "question", question.id)
    assert (warning.user_id, warning.moderator_id, warning.target_type, warning.target_id,
            warning.message) == (author.id, moderator.id, "question", question.id,
                                 "Remove the boy's name.")
    notes = db.session.scalars(select(Notification).where(Notification.kind == "warning")).all()
    assert [(n.recipient_id, n.kind, n.subject_id) for n in notes] == [
        (author.id, "warning", warning.id)]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id, entry.reason,
            entry.details) == ("warn", moderator.id, "user", author.id, "Remove the boy's name.",
                               {"warning": warning.id, "post_type": "question",
                                "post_id": question.id})
    # Someone else's answer is not this author's post.
    with pytest.raises(NotFound):
        members.warn_member(moderator, author, "A message", "answer", answer.id)
    with pytest.raises(InvalidInput) as refused:
        members.warn_member(moderator, author, "x" * 2001, "question", question.id)
    assert refused.value.field == "message"
    with pytest.raises(Forbidden):
        members.warn_member(author, moderator, "A message")
    with pytest.raises(Forbidden):
        members.warn_member(moderator, moderator, "A message")
    assert db.session.scalar(select(func.count(ModeratorWarning.id))) == 1


def test_an_admin_changes_roles_but_the_last_admin_stays_one(ctx):
    admin, member, moderator = (factories.user("admin"), factories.user("member"),
                                factories.user("moderator"))
    members.change_role(admin, member, "moderator", "Trusted by the team")
    assert member.role == "moderator"
    with pytest.raises(Forbidden):
        members.change_role(moderator, member, "admin", "I want to")
    with pytest.raises(InvalidInput) as refused:
        members.change_role(admin, admin, "member", "Stepping down")
    assert refused.value.field == "role" and admin.role == "admin"
    with pytest.raises(InvalidInput) as refused:
        members.change_role(admin, member, "emperor", "Why not")
    assert refused.value.field == "role"
    members.change_role(admin, member, "admin", "Second admin")
    members.change_role(admin, admin, "member", "Stepping down")
    assert admin.role == "member"
    assert [(e.action, e.details) for e in db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id))] == [
        ("role_change", {"from": "member", "to": "moderator"}),
        ("role_change", {"from": "moderator", "to": "admin"}),
        ("role_change", {"from": "admin", "to": "member"})]


# -- signing in while suspended ------------------------------------------------------------------

def _suspend(app, moderator, username, reason=SCRIPT, duration="3d"):
    with app.app_context():
        members.suspend_member(get_user_by_username(moderator), get_user_by_username(username),
                               duration, reason)
        return get_user_by_username(username).suspended_until


def test_the_suspended_member_reads_until_when_and_why_once_the_password_is_right(
        app, client, make_user):
    moderator, member = make_user("moderator"), make_user("member")
    until = _suspend(app, moderator, member)
    wrong = client.post_form("/auth/login", {"username": member, "password": "wrong password"})
    page = wrong.get_data(as_text=True)
    assert "suspended" not in page and "alert(1)" not in page
    assert "Unknown user name or wrong password." in page
    right = client.post_form("/auth/login", {"username": member, "password": PASSWORD})
    page = right.get_data(as_text=True)
    assert right.status_code == 400
    assert "This account is suspended until" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and SCRIPT not in page
    assert f"{until:%B} {until.day}, {until.year}" in page


def test_the_suspension_date_is_written_in_the_reader_s_language(app, client, make_user):
    moderator, member = make_user("moderator"), make_user("member")
    until = _suspend(app, moderator, member, reason="Insultes répétées", duration="30d")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = client.post_form("/auth/login", {"username": member, "password": PASSWORD}
                            ).get_data(as_text=True)
    from babel.dates import format_date
    assert format_date(until, "long", locale="fr") in page  # "30 décembre 2026"
    assert "Insultes répétées" in page


def test_a_suspended_member_is_signed_out_and_can_sign_in_once_it_is_lifted(
        app, user_client, login, make_user):
    member = user_client("member")
    moderator = make_user("moderator")
    assert member.get("/auth/profile").status_code == 200
    _suspend(app, moderator, member.username)
    assert member.get("/auth/profile").status_code == 302  # sent to sign in
    with app.app_context():
        members.lift_suspension(get_user_by_username(moderator),
                                get_user_by_username(member.username))
    login(member, member.username)


# -- the pages ----------------------------------------------------------------------------------

def test_a_moderator_suspends_and_lifts_through_the_forms(app, user_client, make_user):
    moderator = user_client("moderator")
    member = make_user("member")
    form = moderator.get(f"/moderation/users/{member}/suspend").get_data(as_text=True)
    assert 'name="duration"' in form and 'value="7d"' in form and 'name="reason"' in form
    response = moderator.post_form(f"/moderation/users/{member}/suspend",
                                   {"duration": "7d", "reason": "Spam links"})
    assert response.status_code == 302 and response.location.endswith(f"/users/{member}")
    assert _user(app, member).is_suspended
    page = moderator.get(f"/moderation/users/{member}/suspend").get_data(as_text=True)
    assert "Lift the suspension" in page and "Spam links" in page
    profile = moderator.get(f"/users/{member}").get_data(as_text=True)
    assert "Suspended until" in profile
    bad = moderator.post_form(f"/moderation/users/{member}/unsuspend",
                              {"lift-reason": "x" * 1001})
    assert bad.status_code == 400 and 'id="lift-reason-error"' in bad.get_data(as_text=True)
    assert _user(app, member).is_suspended
    response = moderator.post_form(f"/moderation/users/{member}/unsuspend",
                                   {"lift-reason": "Apologised"})
    assert response.status_code == 302 and not _user(app, member).is_suspended
    assert [entry[0] for entry in _entries(app)] == ["suspend", "unsuspend"]


@pytest.mark.parametrize("data, field", [
    ({"duration": "2d", "reason": "Spam"}, "duration"),
    ({"duration": "", "reason": "Spam"}, "duration"),
    ({"duration": "7d", "reason": ""}, "reason"),
    ({"duration": "7d", "reason": "x" * 1001}, "reason"),
    ({"duration": "7d", "reason": "Sp\x00am"}, "reason")])
def test_bad_suspension_forms_come_back_with_the_field_named(app, user_client, make_user,
                                                             data, field):
    moderator = user_client("moderator")
    member = make_user("member")
    response = moderator.post_form(f"/moderation/users/{member}/suspend", data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert not _user(app, member).is_suspended and _entries(app) == []


def test_a_member_posting_the_moderators_forms_by_hand_is_refused(app, user_client, make_user):
    intruder = user_client("member")
    member = make_user("member")
    with app.app_context():
        question_id = factories.question(get_user_by_username(member)).id
    for url, data in (
            (f"/moderation/users/{member}/suspend", {"duration": "1y", "reason": "x"}),
            (f"/moderation/users/{member}/unsuspend", {}),
            (f"/moderation/users/{member}/warn", {"message": "x", "post_type": "question",
                                                   "post_id": str(question_id)}),
            (f"/moderation/users/{member}/role", {"role": "admin", "reason": "x"}),
            (f"/moderation/users/{intruder.username}/role", {"role": "admin", "reason": "x"})):
        assert intruder.post_form(url, data).status_code == 403, url
        assert intruder.get(url).status_code in (403, 405), url
    assert not _user(app, member).is_suspended and _user(app, member).role == "member"
    assert _user(app, intruder.username).role == "member"
    assert _entries(app) == [] and _count(app, ModeratorWarning) == 0


def test_a_moderator_cannot_suspend_an_admin_or_themselves_nor_change_roles(
        app, user_client, make_user):
    moderator = user_client("moderator")
    admin, other = make_user("admin"), make_user("moderator")
    for target in (admin, moderator.username, other):
        assert moderator.post_form(f"/moderation/users/{target}/suspend",
                                   {"duration": "1d", "reason": "x"}).status_code == 403
    assert moderator.post_form(f"/moderation/users/{other}/role",
                               {"role": "member", "reason": "x"}).status_code == 403
    assert _entries(app) == []
    # The profile of an admin offers the moderator no suspension.
    assert "Suspend this member" not in moderator.get(f"/users/{admin}").get_data(as_text=True)


def test_unknown_members_and_posts_are_not_found(app, user_client, make_user):
    moderator = user_client("moderator")
    member, other = make_user("member"), make_user("member")
    with app.app_context():
        other_question = factories.question(get_user_by_username(other)).id
    assert moderator.get("/moderation/users/nobody_here/suspend").status_code == 404
    assert moderator.post_form("/moderation/users/nobody_here/warn",
                               {"message": "x"}).status_code == 404
    for query in ("post_type=question&post_id=9999", "post_type=blog&post_id=1",
                  "post_type=question&post_id=9999999999999999999999999",
                  f"post_type=question&post_id={other_question}", "post_id=abc"):
        assert moderator.get(f"/moderation/users/{member}/warn?{query}").status_code == 404, query
    assert moderator.get("/moderation/warnings/99999999999999999999").status_code == 404
    assert _count(app, ModeratorWarning) == 0


def test_a_warning_is_sent_from_a_post_and_read_by_the_author_alone(app, user_client, make_user,
                                                                    login):
    moderator = user_client("moderator")
    author = user_client("member")
    with app.app_context():
        question_id = factories.question(get_user_by_username(author.username)).id
    url = f"/moderation/users/{author.username}/warn?post_type=question&post_id={question_id}"
    form = moderator.get(url).get_data(as_text=True)
    assert 'name="message"' in form and f'value="{question_id}"' in form
    bad = moderator.post_form(url, {"message": "", "post_type": "question",
                                    "post_id": str(question_id)})
    assert bad.status_code == 400 and 'id="message-error"' in bad.get_data(as_text=True)
    bad = moderator.post_form(url, {"message": "x", "post_type": "question",
                                    "post_id": "9999999999999999999999999"})
    assert bad.status_code == 400 and _count(app, ModeratorWarning) == 0
    response = moderator.post_form(url, {"message": f"Remove the name {SCRIPT}",
                                         "post_type": "question", "post_id": str(question_id)})
    assert response.status_code == 302
    notifications = author.get("/notifications").get_data(as_text=True)
    assert "A moderator warned you:" in notifications
    assert "Remove the name &lt;script&gt;" in notifications and SCRIPT not in notifications
    with app.app_context():
        warning_id = db.session.scalar(select(ModeratorWarning.id))
    page = author.get(f"/moderation/warnings/{warning_id}").get_data(as_text=True)
    assert "Remove the name &lt;script&gt;" in page and f"/questions/{question_id}/" in page
    assert user_client("member").get(f"/moderation/warnings/{warning_id}").status_code == 404
    assert "A moderator warned you" not in moderator.get("/notifications").get_data(as_text=True)
    assert [entry[0] for entry in _entries(app)] == ["warn"]


def test_the_macro_offers_warn_and_suspend_to_moderators_only(app, user_client, make_user):
    member = make_user("member")
    moderator_page = user_client("moderator").get(f"/users/{member}").get_data(as_text=True)
    assert f'href="/moderation/users/{member}/warn"' in moderator_page
    assert f'href="/moderation/users/{member}/suspend"' in moderator_page
    assert 'name="role"' not in moderator_page
    member_page = user_client("member").get(f"/users/{member}").get_data(as_text=True)
    assert "/moderation/users/" not in member_page
    with app.test_request_context():
        from flask import render_template_string
        from flask_login import login_user
        login_user(get_user_by_username(user_client("moderator").username))
        html = render_template_string(
            '{% from "_macros/moderation.html" import moderation_user_actions %}'
            '{{ moderation_user_actions(author, "answer", 3) }}',
            author=get_user_by_username(member))
    assert "Warn the author" in html and "Suspend the author" in html
    assert f"/moderation/users/{member}/warn?post_type=answer&amp;post_id=3" in html


def test_an_admin_changes_a_role_from_the_profile(app, user_client, make_user):
    admin = user_client("admin")
    member = make_user("member")
    profile = admin.get(f"/users/{member}").get_data(as_text=True)
    assert f'action="/moderation/users/{member}/role"' in profile and 'name="role"' in profile
    bad = admin.post_form(f"/moderation/users/{member}/role", {"role": "emperor",
                                                                "reason": "x"})
    assert bad.status_code == 400 and 'id="role-error"' in bad.get_data(as_text=True)
    bad = admin.post_form(f"/moderation/users/{member}/role", {"role": "expert", "reason": ""})
    assert bad.status_code == 400 and 'id="reason-error"' in bad.get_data(as_text=True)
    assert _user(app, member).role == "member"
    response = admin.post_form(f"/moderation/users/{member}/role",
                               {"role": "expert", "reason": "Ten years in the field"})
    assert response.status_code == 302 and _user(app, member).role == "expert"
    last = admin.post_form(f"/moderation/users/{admin.username}/role",
                           {"role": "member", "reason": "Stepping down"})
    assert last.status_code == 400 and "last administrator" in last.get_data(as_text=True)
    assert _user(app, admin.username).role == "admin"
    assert [(e[0], e[5]) for e in _entries(app)] == [
        ("role_change", {"from": "member", "to": "expert"})]


def test_the_forms_need_their_csrf_token(app, user_client, make_user):
    moderator = user_client("moderator")
    member = make_user("member")
    response = moderator.post(f"/moderation/users/{member}/suspend",
                              data={"duration": "1d", "reason": "Spam"})
    assert response.status_code == 400 and not _user(app, member).is_suspended
    assert _entries(app) == []
