"""/moderation/log: administrators read every moderator and admin action, newest first, by
page, by action and by who did it; nobody can change or remove an entry through it."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.accounts.services import get_user_by_username
from core.audit import services as audit
from core.audit.models import AuditEntry
from core.extensions import db
from core.timeutil import utcnow
from tests import factories

ENTRY_RE = re.compile(r'<li id="entry-(\d+)">')


@pytest.fixture
def client(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def admin(user_client):
    admin = user_client("admin")
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin


def _record(app, count, action="suspend", actor=None, **fields):
    with app.app_context():
        user = get_user_by_username(actor) if actor else None
        for n in range(count):
            audit.record(user, action, "user", n + 1, reason=f"reason {n}", **fields)
        db.session.commit()


def _ids(page):
    return [int(found) for found in ENTRY_RE.findall(page)]


def test_only_administrators_read_the_log(client, user_client):
    assert client.get("/moderation/log").status_code == 302
    for role in ("member", "expert", "moderator"):
        assert user_client(role).get("/moderation/log").status_code == 403, role


def test_the_moderation_page_links_to_the_log_for_administrators_only(admin, user_client):
    assert 'href="/moderation/log"' in admin.get("/moderation").get_data(as_text=True)
    assert 'href="/moderation/log"' not in user_client("moderator").get(
        "/moderation").get_data(as_text=True)


def test_entries_show_when_who_what_which_and_why(app, admin, make_user):
    moderator, member = make_user("moderator"), make_user("member")
    with app.app_context():
        from forum.services import members
        mod, target = get_user_by_username(moderator), get_user_by_username(member)
        question_id = factories.question(target).id
        members.suspend_member(mod, target, "3d", "<b>Spam</b> links")
        audit.record(mod, "hide", "question", question_id, reason="names a child")
        audit.record(mod, "hide", "answer", 4242, reason="gone")
        db.session.commit()
    page = admin.get("/moderation/log").get_data(as_text=True)
    assert page.count("<strong>suspended an account</strong>") == 1
    assert f'href="/users/{member}"' in page and f'href="/users/{moderator}"' in page
    assert "&lt;b&gt;Spam&lt;/b&gt; links" in page and "<b>Spam" not in page
    assert f'href="/questions/{question_id}/' in page
    assert "answer 4242" in page  # a target that no longer exists: named, not linked
    assert page.index("names a child") < page.index("Spam")  # newest first
    assert "<code>until</code>" in page


def test_the_log_is_paged_and_a_huge_page_number_is_no_error(app, admin):
    _record(app, 120)
    first = _ids(admin.get("/moderation/log").get_data(as_text=True))
    second = _ids(admin.get("/moderation/log?page=2").get_data(as_text=True))
    third = _ids(admin.get("/moderation/log?page=3").get_data(as_text=True))
    assert len(first) == len(second) == 50 and len(third) == 20
    assert first[0] == 120 and first == sorted(first, reverse=True) and second[0] == 70
    for page in ("99999999999999999999999", "-1", "abc", "0", "\x00"):
        response = admin.get(f"/moderation/log?page={page}")
        assert response.status_code == 200 and _ids(response.get_data(as_text=True)) == first
    beyond = admin.get("/moderation/log?page=2147483647")
    assert beyond.status_code == 200 and _ids(beyond.get_data(as_text=True)) == []


def test_the_log_is_filtered_by_action_and_by_who_did_it(app, admin, make_user):
    first, second = make_user("moderator"), make_user("moderator")
    _record(app, 3, "suspend", first)
    _record(app, 2, "role_change", second)
    _record(app, 1, "suspend", second)
    page = admin.get("/moderation/log?action=role_change").get_data(as_text=True)
    assert len(_ids(page)) == 2 and '<option value="role_change" selected>' in page
    assert len(_ids(admin.get(f"/moderation/log?actor={first}").get_data(as_text=True))) == 3
    both = admin.get(f"/moderation/log?actor={second.upper()}&action=suspend")
    assert len(_ids(both.get_data(as_text=True))) == 1
    for query in ("action=drop_table", "action=%00", "action=" + "x" * 5000):
        response = admin.get(f"/moderation/log?{query}")
        assert response.status_code == 200 and len(_ids(response.get_data(as_text=True))) == 6
    assert admin.get("/moderation/log?actor=%00&action=%00").status_code == 200
    for query in ("actor=nobody", "actor=" + "x" * 5000, "actor=%3Cscript%3E"):
        response = admin.get(f"/moderation/log?{query}")
        assert response.status_code == 200 and _ids(response.get_data(as_text=True)) == [], query
    # The pager keeps the filters.
    _record(app, 60, "suspend", first)
    page = admin.get(f"/moderation/log?actor={first}").get_data(as_text=True)
    assert f"actor={first}&amp;page=2" in page or f"page=2&amp;actor={first}" in page


def test_the_log_page_changes_nothing(app, admin):
    _record(app, 1)
    for method in ("post", "put", "delete", "patch"):
        assert getattr(admin, method)("/moderation/log").status_code == 405, method
        assert getattr(admin, method)("/moderation/log/1").status_code in (404, 405), method
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
        entry = db.session.scalars(select(AuditEntry)).one()
        assert entry.reason == "reason 0"


def test_entry_times_are_written_in_the_reader_s_language(app, admin):
    with app.app_context():
        audit.record(None, "suspend", "user", 1)
        entry = db.session.scalars(select(AuditEntry)).one()
        db.session.commit()
        when = entry.created_at
    from babel.dates import format_date
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    with app.app_context():
        get_user_by_username(admin.username).locale = "fr"
        db.session.commit()
    page = admin.get("/moderation/log").get_data(as_text=True)
    assert format_date(when, "medium", locale="fr") in page
    assert when < utcnow() + timedelta(seconds=5)
