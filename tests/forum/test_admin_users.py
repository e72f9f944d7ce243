"""/admin/users: administrators search the accounts (user name, display name, e-mail; `%` and
`_` typed are literal), filter them by role and status, read each one's activity, and on an
account's page change its role, suspend it and lift the suspension, each in the audit log.
Nobody else reaches any of it; bad input changes nothing."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts import services as accounts
from core.accounts.models import User
from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import Forbidden, NotFound
from core.extensions import db
from core.timeutil import utcnow
from forum.services import admin_users, members
from tests import factories
from tests.conftest import PASSWORD
from tests.forum.conftest import counted_queries, field_error, html, row, snapshot

SCRIPT = "<script>alert(1)</script>"


def _names(page):
    return [row.user.username for row in page.items]


# -- the service ------------------------------------------------------------------------------

def test_search_by_user_name_display_name_or_e_mail_any_case(ctx):
    admin = factories.user("admin", "root_admin")
    accounts.create_user("aminata_d", "aminata@ngo.example.org", PASSWORD,
                         display_name="Aminata Diallo")
    accounts.create_user("bob_k", "bob@other.example.net", PASSWORD, display_name="Bob Kamga")
    assert _names(admin_users.search_accounts(admin, "AMINATA_")) == ["aminata_d"]
    assert _names(admin_users.search_accounts(admin, "diallo")) == ["aminata_d"]
    assert _names(admin_users.search_accounts(admin, "OTHER.example")) == ["bob_k"]
    assert _names(admin_users.search_accounts(admin, "  ")) == ["bob_k", "aminata_d",
                                                                "root_admin"]
    assert _names(admin_users.search_accounts(admin, "nobody")) == []


def test_percent_and_underscore_typed_are_literal(ctx):
    admin = factories.user("admin", "root")
    accounts.create_user("ab_cd", "one@example.org", PASSWORD, display_name="Fifty % off")
    accounts.create_user("abxcd", "two@example.org", PASSWORD, display_name="Fiftyish")
    assert _names(admin_users.search_accounts(admin, "ab_cd")) == ["ab_cd"]
    assert _names(admin_users.search_accounts(admin, "_")) == ["ab_cd"]
    assert _names(admin_users.search_accounts(admin, "%")) == ["ab_cd"]
    assert _names(admin_users.search_accounts(admin, "fifty %")) == ["ab_cd"]
    assert _names(admin_users.search_accounts(admin, "\\")) == []
    # A query longer than the bound is cut, not refused; a NUL byte is dropped.
    assert _names(admin_users.search_accounts(admin, "abx\x00cd" + " " * 10 + "z" * 500)) == []
    assert len(admin_users.clean_query("x" * 5000)) == admin_users.QUERY_LENGTH


def test_filters_by_role_and_status_and_counts_the_posts(ctx):
    admin = factories.user("admin", "root")
    expert, member, idle = (factories.user("expert", "expy"), factories.user("member", "mem"),
                            factories.user("member", "idle"))
    question = factories.question(member)
    factories.question(member, title="Where can a girl sleep tonight near the port?")
    factories.answer(member, question.id)
    factories.answer(expert, question.id)
    members.suspend_member(admin, idle, "7d", "Spam")
    page = admin_users.search_accounts(admin)
    counts = {row.user.username: (row.questions, row.answers) for row in page.items}
    assert counts == {"root": (0, 0), "expy": (0, 1), "mem": (2, 1), "idle": (0, 0)}
    assert _names(admin_users.search_accounts(admin, role="expert")) == ["expy"]
    assert _names(admin_users.search_accounts(admin, status="suspended")) == ["idle"]
    assert _names(admin_users.search_accounts(admin, role="member", status="active")) == ["mem"]
    # An unknown role or status filters nothing.
    assert len(admin_users.search_accounts(admin, role="emperor", status="gone").items) == 4
    # A suspension that is over counts as active.
    idle.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _names(admin_users.search_accounts(admin, status="suspended")) == []


def test_the_list_is_paged(ctx):
    admin = factories.user("admin", "root")
    for n in range(4):
        factories.user("member", f"mem{n}")
    first = admin_users.search_accounts(admin, per_page=2)
    second = admin_users.search_accounts(admin, page=2, per_page=2)
    third = admin_users.search_accounts(admin, page=3, per_page=2)
    assert _names(first) + _names(second) + _names(third) == ["mem3", "mem2", "mem1", "mem0", "root"]
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)
    assert admin_users.search_accounts(admin, page=10 ** 9).number == admin_users.MAX_PAGE


def test_only_an_active_administrator_searches(ctx):
    admin = factories.user("admin", "root")
    other_admin = factories.user("admin", "second")
    for role in ("member", "expert", "moderator"):
        with pytest.raises(Forbidden):
            admin_users.search_accounts(factories.user(role))
        with pytest.raises(Forbidden):
            admin_users.get_account(factories.user(role), admin.id)
    other_admin.suspended_until = utcnow() + timedelta(days=1)
    db.session.commit()
    with pytest.raises(Forbidden):
        admin_users.search_accounts(other_admin)
    for user_id in (0, 999999, 10 ** 25, "1"):
        with pytest.raises(NotFound):
            admin_users.get_account(admin, user_id)


# -- the pages --------------------------------------------------------------------------------

@pytest.fixture
def admin(user_client):
    return user_client("admin")


def _id(app, username):
    with app.app_context():
        return get_user_by_username(username).id


def test_every_route_refuses_members_moderators_and_visitors(app, client, user_client,
                                                            make_user):
    target = _id(app, make_user("member"))
    routes = [("get", "/admin/users"), ("get", f"/admin/users/{target}"),
              ("post", f"/admin/users/{target}/role"), ("post", f"/admin/users/{target}/suspend"),
              ("post", f"/admin/users/{target}/unsuspend"),
              ("post", f"/admin/users/{target}/reset-link")]
    before = row(app, User, target), snapshot(app, AuditEntry)
    for role in ("member", "expert", "moderator"):
        other = user_client(role)
        for method, url in routes:
            if method == "get":
                response = other.get(url)
            else:
                response = other.post_form(url, {"role-role": "admin", "role-reason": "x",
                                                 "duration": "1y", "reason": "x"})
            assert response.status_code in (403, 404), (role, url, response.status_code)
            assert response.headers["Cache-Control"] == "no-store"
    for method, url in routes:
        response = client.get(url) if method == "get" else client.post_form(url, {})
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert (row(app, User, target), snapshot(app, AuditEntry)) == before


def test_the_list_shows_names_e_mails_roles_status_and_activity(app, admin, make_user, seed):
    member = make_user("member", display_name="Grace <b>Mukendi</b>",
                       email="grace@example.org")
    question_id = seed.question(member)
    seed.answer(member, question_id)
    with app.app_context():
        get_user_by_username(member).last_seen_at = utcnow()
        db.session.commit()
    response = admin.get("/admin/users?q=grace")
    page = html(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Grace &lt;b&gt;Mukendi&lt;/b&gt;" in page and "<b>Mukendi" not in page
    assert "grace@example.org" in page and f"@{member}" in page
    assert "Member" in page and "Active account" in page and "1 question" in page
    assert "1 answer" in page and "last signed in" in page
    assert f'href="/admin/users/{_id(app, member)}"' in page


def test_the_list_costs_the_same_queries_for_one_account_or_many(app, admin, make_user):
    make_user("member")
    with counted_queries(app) as few:
        admin.get("/admin/users")
    for _n in range(12):
        make_user("member")
    with counted_queries(app) as many:
        page = html(admin.get("/admin/users"))
    assert page.count('<li id="user-') == 14
    assert len(many) == len(few)


def test_bad_search_arguments_are_no_error(app, admin):
    for query in ("?q=" + "x" * 5000, "?role=emperor&status=gone", "?page=99999999999999999999",
                  "?q=%25%5F", "?q=%00abc", "?page=-3"):
        assert admin.get("/admin/users" + query).status_code == 200, query


def test_unknown_or_huge_ids_are_404(admin):
    for url in ("/admin/users/999999", "/admin/users/" + "9" * 25, "/admin/users/0",
                "/admin/users/abc"):
        assert admin.get(url).status_code == 404, url
    assert admin.post_form("/admin/users/" + "9" * 25 + "/role",
                           {"role-role": "expert", "role-reason": "x"}).status_code == 404
    assert admin.post_form("/admin/users/999999/suspend",
                           {"duration": "1d", "reason": "x"}).status_code == 404


def test_an_admin_changes_a_role_from_the_account_page(app, admin, make_user):
    member = make_user("member")
    url = f"/admin/users/{_id(app, member)}"
    assert 'id="role-role"' in html(admin.get(url))
    response = admin.post_form(url + "/role", {"role-role": "expert",
                                               "role-reason": "Ten years in the field"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert "The role of" in html(admin.get(url))
    with app.app_context():
        assert get_user_by_username(member).role == "expert"
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.reason, entry.details) == (
            "role_change", "Ten years in the field", {"from": "member", "to": "expert"})


@pytest.mark.parametrize("data, field", [
    ({"role-role": "emperor", "role-reason": "Why not"}, "role-role"),
    ({"role-role": "expert", "role-reason": "  "}, "role-reason"),
])
def test_a_role_not_in_the_list_or_without_a_reason_changes_nothing(app, admin, make_user, data,
                                                                   field):
    member = make_user("member")
    before = snapshot(app, User, AuditEntry)
    response = admin.post_form(f"/admin/users/{_id(app, member)}/role", data)
    assert response.status_code == 400
    assert field_error(html(response), field)
    assert snapshot(app, User, AuditEntry) == before


def test_the_last_administrator_keeps_the_role(app, admin):
    own = _id(app, admin.username)
    response = admin.post_form(f"/admin/users/{own}/role",
                               {"role-role": "member", "role-reason": "Leaving"})
    assert response.status_code == 400
    assert "This is the last administrator" in html(response)
    with app.app_context():
        assert get_user_by_username(admin.username).role == "admin"


def test_an_admin_suspends_and_lifts_from_the_account_page(app, admin, make_user, client):
    member = make_user("member")
    url = f"/admin/users/{_id(app, member)}"
    response = admin.post_form(url + "/suspend", {"duration": "7d", "reason": SCRIPT})
    assert response.status_code == 302
    page = html(admin.get(url))
    assert "Suspended until" in page and "&lt;script&gt;" in page and SCRIPT not in page
    assert 'id="lift-reason"' in page
    assert "Suspended until" in html(admin.get("/admin/users?status=suspended"))
    refused = client.post_form("/auth/login", {"username": member, "password": PASSWORD})
    assert "This account is suspended until" in html(refused)
    assert admin.post_form(url + "/unsuspend", {"lift-reason": "Talked"}).status_code == 302
    with app.app_context():
        assert not get_user_by_username(member).is_suspended
        assert [(e.action, e.reason) for e in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))] == [("suspend", SCRIPT),
                                                             ("unsuspend", "Talked")]


@pytest.mark.parametrize("data, field", [
    ({"duration": "2d", "reason": "A reason"}, "duration"),
    ({"duration": "", "reason": "A reason"}, "duration"),
    ({"duration": "7d", "reason": " "}, "reason"),
])
def test_a_length_not_in_the_list_or_no_reason_suspends_nobody(app, admin, make_user, data,
                                                                field):
    member = make_user("member")
    before = snapshot(app, User, AuditEntry)
    response = admin.post_form(f"/admin/users/{_id(app, member)}/suspend", data)
    assert response.status_code == 400 and field_error(html(response), field)
    assert snapshot(app, User, AuditEntry) == before


def test_no_suspension_form_for_an_administrator_and_posting_it_is_refused(app, admin,
                                                                           make_user):
    other = _id(app, make_user("admin"))
    assert 'action="/admin/users/%d/suspend"' % other not in html(admin.get(
        f"/admin/users/{other}"))
    assert admin.post_form(f"/admin/users/{other}/suspend",
                           {"duration": "1d", "reason": "x"}).status_code == 403
    own = _id(app, admin.username)
    assert admin.post_form(f"/admin/users/{own}/suspend",
                           {"duration": "1d", "reason": "x"}).status_code == 403


def test_every_form_needs_its_security_token(app, admin, make_user):
    member = _id(app, make_user("member"))
    before = snapshot(app, User, AuditEntry)
    for action, data in (("role", {"role-role": "expert", "role-reason": "x"}),
                         ("suspend", {"duration": "1d", "reason": "x"}),
                         ("unsuspend", {}), ("reset-link", {})):
        response = admin.post(f"/admin/users/{member}/{action}", data=data)
        assert response.status_code == 400, action
    assert snapshot(app, User, AuditEntry) == before


def test_the_header_and_the_moderation_page_link_the_list_for_admins_only(admin, user_client):
    for page in (html(admin.get("/")), html(admin.get("/moderation"))):
        assert 'href="/admin/users"' in page
    moderator = user_client("moderator")
    for page in (html(moderator.get("/")), html(moderator.get("/moderation"))):
        assert 'href="/admin/users"' not in page


def _recovery_installed():
    from forum.views.admin_users import can_send_reset_link

    return can_send_reset_link()


def test_the_reset_link_button_waits_for_account_recovery(app, admin, make_user):
    member = _id(app, make_user("member"))
    page = html(admin.get(f"/admin/users/{member}"))
    if _recovery_installed():
        assert f'action="/admin/users/{member}/reset-link"' in page
    else:
        assert "reset-link" not in page
        assert admin.post_form(f"/admin/users/{member}/reset-link").status_code == 404


def test_an_admin_sends_a_reset_link_that_reaches_the_member(app, admin, make_user, smtp):
    if not _recovery_installed():
        pytest.skip("core.accounts.recovery (account recovery) is not in this branch yet")
    member = make_user("member", email="reset-me@example.org")
    response = admin.post_form(f"/admin/users/{_id(app, member)}/reset-link")
    assert response.status_code == 302
    # The mail leaves through the outbox's sender, as from cron.
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    received = smtp.to("reset-me@example.org")
    assert len(received) == 1
    assert re.search(r"https?://\S+", received[0].get_body(("plain",)).get_content())
