"""Account recovery, the domain rules (core.accounts.recovery), without HTTP: reset links are
single-use, expire, open only their own purpose and say nothing of who has an account; an
e-mail change waits for the new address's link and tells the old one; nothing reaches a mail
header through a name or an address."""
import hashlib
import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts import recovery, services
from core.accounts.models import AccountToken, User
from core.audit import actions
from core.audit.models import AuditEntry
from core.errors import InvalidInput
from core.extensions import db
from core.mail.models import OutboxMessage
from core.timeutil import utcnow
from tests.conftest import PASSWORD

BASE = "https://carnets.example.org"
RESET_LINK_RE = re.compile(re.escape(BASE) + r"/auth/reset/([A-Za-z0-9_-]+)")
EMAIL_LINK_RE = re.compile(re.escape(BASE) + r"/auth/email/([A-Za-z0-9_-]+)")
NEW_PASSWORD = "a brand new secret"


@pytest.fixture
def base(ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "CARNETS_BASE_URL", BASE)
    return ctx


def _user(username="Amina", email="amina@example.org", **fields):
    return services.create_user(username, email, PASSWORD, **fields)


def _mails(category=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if category:
        query = query.where(OutboxMessage.category == category)
    return db.session.scalars(query).all()


def _reset_token(message=None):
    message = message or _mails("password_reset")[-1]
    return RESET_LINK_RE.search(message.text_body).group(1)


def _refused(call):
    with pytest.raises(InvalidInput) as caught:
        call()
    db.session.rollback()
    return caught.value


def _signs_in(login, password):
    try:
        services.authenticate(login, password)
    except InvalidInput:
        return False
    return True


# --- asking for a link -------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["amina@example.org", " AMINA@Example.org ", "amina"])
def test_a_request_queues_one_mail_with_a_link_that_works_for_an_hour(base, login):
    user = _user()
    recovery.request_password_reset(login)
    mail = _mails()
    assert [(m.to_address, m.category, m.recipient_id) for m in mail] == [
        ("amina@example.org", "password_reset", user.id)]
    token = _reset_token(mail[0])
    assert f'href="{BASE}/auth/reset/{token}"' in mail[0].html_body
    assert mail[0].subject == "Choose a new password for Carnets"
    text = mail[0].text_body
    assert "The link works once, for 1 hour." in text
    assert "If you did not ask for this, ignore this message" in text
    # Only the token's hash is kept; it opens the account it was made for, for an hour.
    row = db.session.scalars(select(AccountToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert (row.user_id, row.purpose, row.used_at) == (user.id, "password_reset", None)
    assert timedelta(minutes=59) < row.expires_at - utcnow() <= timedelta(hours=1)
    assert recovery.reset_token_user(token).id == user.id


@pytest.mark.parametrize("login", ["nobody@example.org", "nobody", "", "amina@", "\x00"])
def test_an_unknown_address_or_name_queues_nothing_and_says_nothing(base, login):
    _user()
    assert recovery.request_password_reset(login) is None
    assert _mails() == [] and db.session.scalars(select(AccountToken)).all() == []


def test_the_link_never_comes_from_the_host_of_the_request(base):
    _user()
    with base.test_request_context("/auth/forgot", base_url="http://evil.example"):
        recovery.request_password_reset("amina")
    assert _mails()[0].text_body.count("evil.example") == 0
    assert RESET_LINK_RE.search(_mails()[0].text_body)


def test_an_account_receives_at_most_three_links_an_hour(base):
    user = _user()
    for login in ("amina", "amina@example.org", "Amina", "amina", "AMINA@example.org"):
        assert recovery.request_password_reset(login) is None
    assert len(_mails("password_reset")) == recovery.RESETS_PER_HOUR == 3
    # An hour later the account may receive links again.
    for row in db.session.scalars(select(AccountToken)):
        row.created_at -= timedelta(hours=1, minutes=1)
    db.session.commit()
    recovery.request_password_reset("amina")
    assert len(_mails("password_reset")) == 4
    assert all(m.recipient_id == user.id for m in _mails())


def test_known_and_unknown_addresses_cost_about_the_same(base):
    """The work is the same (a lookup, a count, a mail written): the time does not tell who
    has an account. CPU time of this thread, medians of interleaved runs."""
    for n in range(12):
        _user(f"member{n}", f"member{n}@example.org")
    known, unknown = [], []
    recovery.request_password_reset("warm-up")
    for n in range(12):
        for login, series in ((f"member{n}@example.org", known),
                              (f"stranger{n}@example.org", unknown)):
            started = time.thread_time()
            recovery.request_password_reset(login)
            series.append(time.thread_time() - started)
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 2.5 < ratio < 2.5, (ratio, known, unknown)


# --- using a link -------------------------------------------------------------------------------

def test_a_reset_sets_the_password_uses_the_link_and_ends_every_session(base):
    user = _user()
    recovery.request_password_reset("amina")
    first = _reset_token()
    recovery.request_password_reset("amina@example.org")
    second = _reset_token()
    assert first != second
    old_session, user_id = user.session_token, user.id
    recovery.reset_password(second, NEW_PASSWORD)
    db.session.remove()
    user = db.session.get(User, user_id)
    assert user.session_token != old_session
    assert _signs_in("amina", NEW_PASSWORD) and not _signs_in("amina", PASSWORD)
    # The link is used; the other one mailed before it is void too.
    for token in (second, first):
        assert recovery.reset_token_user(token) is None
        assert _refused(lambda: recovery.reset_password(token, "yet another secret")).message \
            == "This link has expired or was already used."
    assert _signs_in("amina", NEW_PASSWORD)


def test_an_expired_link_changes_nothing(base):
    user = _user()
    recovery.request_password_reset("amina")
    token = _reset_token()
    row = db.session.scalars(select(AccountToken)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    session_token = user.session_token
    assert recovery.reset_token_user(token) is None
    error = _refused(lambda: recovery.reset_password(token, NEW_PASSWORD))
    assert error.message == "This link has expired or was already used." and error.field is None
    assert _signs_in("amina", PASSWORD) and not _signs_in("amina", NEW_PASSWORD)
    assert db.session.get(User, user.id).session_token == session_token


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "é" * 43, "a\x00b", "a" * 5000,
                                   "../../etc/passwd", None])
def test_a_wrong_token_changes_nothing(base, token):
    _user()
    recovery.request_password_reset("amina")
    assert recovery.reset_token_user(token) is None
    _refused(lambda: recovery.reset_password(token, NEW_PASSWORD))
    assert recovery.email_change_of(token) is None
    _refused(lambda: recovery.confirm_email_change(token))
    assert _signs_in("amina", PASSWORD)


def test_a_token_opens_only_its_own_purpose(base):
    user = _user()
    recovery.request_email_change(user, "amina.k@example.org", PASSWORD)
    change = EMAIL_LINK_RE.search(_mails()[0].text_body).group(1)
    recovery.request_password_reset("amina")
    reset = _reset_token()
    assert recovery.reset_token_user(change) is None
    _refused(lambda: recovery.reset_password(change, NEW_PASSWORD))
    assert recovery.email_change_of(reset) is None
    _refused(lambda: recovery.confirm_email_change(reset))
    assert _signs_in("amina", PASSWORD)
    assert db.session.get(User, user.id).email == "amina@example.org"


def test_a_short_password_is_refused_and_the_link_still_works(base):
    _user()
    recovery.request_password_reset("amina")
    token = _reset_token()
    assert _refused(lambda: recovery.reset_password(token, "short")).field == "password"
    assert recovery.reset_token_user(token) is not None
    recovery.reset_password(token, NEW_PASSWORD)
    assert _signs_in("amina", NEW_PASSWORD)


def test_a_suspended_member_may_reset_but_still_cannot_sign_in(base):
    user = _user()
    services.suspend_user(user, utcnow() + timedelta(days=3), reason="Spam links")
    recovery.request_password_reset("amina")
    recovery.reset_password(_reset_token(), NEW_PASSWORD)
    message = _refused(lambda: services.authenticate("amina", NEW_PASSWORD)).message
    assert message.startswith("This account is suspended until ") and "Spam links" in message
    services.suspend_user(db.session.get(User, user.id), None)
    assert _signs_in("amina", NEW_PASSWORD)


def test_an_administrator_sends_a_link_and_the_log_says_so(base):
    admin, member = _user("Helene", "helene@example.org", role="admin"), _user()
    for _ in range(recovery.RESETS_PER_HOUR):
        recovery.request_password_reset("amina")
    recovery.send_reset_link(member, admin)
    assert len(_mails("password_reset")) == recovery.RESETS_PER_HOUR + 1
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id) == (
        admin.id, "password_reset_sent", "user", member.id)
    assert str(actions.label("password_reset_sent")) == "sent a password reset link"
    recovery.reset_password(_reset_token(), NEW_PASSWORD)
    assert _signs_in("amina", NEW_PASSWORD)


# --- changing the e-mail address ----------------------------------------------------------------

def test_an_email_change_waits_for_the_link_and_the_old_address_is_told(base):
    user = _user()
    assert recovery.request_email_change(user, " Amina.K@Example.ORG ", PASSWORD) == \
        "amina.k@example.org"
    assert db.session.get(User, user.id).email == "amina@example.org"
    assert recovery.pending_email_change(user) == "amina.k@example.org"
    confirm, notice = _mails()
    assert (confirm.to_address, notice.to_address) == ("amina.k@example.org",
                                                       "amina@example.org")
    token = EMAIL_LINK_RE.search(confirm.text_body).group(1)
    assert "If you did not ask for this, ignore this message" in confirm.text_body
    assert "The link works once, for 24 hours." in confirm.text_body
    # The old address gets no link that changes anything, and a way to take the account back.
    assert "/auth/email/" not in notice.text_body + notice.html_body
    assert "/auth/reset/" not in notice.text_body
    assert "amina.k@example.org" in notice.text_body
    assert f"{BASE}/auth/forgot" in notice.text_body
    assert "If this was not you, someone may know your password" in notice.text_body
    assert recovery.email_change_of(token)[1] == "amina.k@example.org"
    user_id = user.id
    recovery.confirm_email_change(token)
    db.session.remove()
    assert db.session.get(User, user_id).email == "amina.k@example.org"
    assert _signs_in("amina.k@example.org", PASSWORD)
    assert recovery.pending_email_change(db.session.get(User, user_id)) is None
    assert _refused(lambda: recovery.confirm_email_change(token)).message == \
        "This link has expired or was already used."


def test_an_email_change_needs_the_current_password(base):
    user = _user()
    error = _refused(lambda: recovery.request_email_change(user, "new@example.org", "guess"))
    assert error.field == "current_password"
    assert _mails() == []


@pytest.mark.parametrize("address", [
    "not an address", "amina@", "@example.org", "amina.k@example.org\r\nBcc: eve@example.org",
    "amina.k@example.org\nSubject: free", "Eve <eve@example.org>",
    "amina.k@example.org, eve@example.org", "", "a\x00b@example.org"])
def test_an_email_change_refuses_what_is_not_one_address(base, address):
    user = _user()
    error = _refused(lambda: recovery.request_email_change(user, address, PASSWORD))
    assert (error.field, error.message) == ("email", "Enter a valid e-mail address.")
    assert _mails() == []


def test_an_email_change_refuses_an_address_of_another_account_in_any_case(base):
    _user("Other", "other@example.org")
    user = _user()
    error = _refused(lambda: recovery.request_email_change(user, "OTHER@example.org", PASSWORD))
    assert (error.field, error.message) == ("email", "This e-mail address cannot be used.")
    assert _mails() == []


def test_an_address_taken_meanwhile_is_refused_at_confirmation(base):
    user = _user()
    recovery.request_email_change(user, "shared@example.org", PASSWORD)
    token = EMAIL_LINK_RE.search(_mails()[0].text_body).group(1)
    _user("Other", "shared@example.org")
    error = _refused(lambda: recovery.confirm_email_change(token))
    assert "Another account took this address meanwhile" in error.message
    assert db.session.get(User, user.id).email == "amina@example.org"


def test_a_newer_request_replaces_the_older_one(base):
    user = _user()
    recovery.request_email_change(user, "first@example.org", PASSWORD)
    first = EMAIL_LINK_RE.search(_mails()[0].text_body).group(1)
    recovery.request_email_change(user, "second@example.org", PASSWORD)
    assert recovery.email_change_of(first) is None
    assert recovery.pending_email_change(user) == "second@example.org"


def test_a_reset_voids_a_pending_email_change_and_a_new_address_voids_reset_links(base):
    """Whoever took an account cannot finish moving it once its owner reset the password; and
    reset links mailed to the old address stop working once the address changed."""
    user = _user()
    recovery.request_email_change(user, "thief@example.org", PASSWORD)
    change = EMAIL_LINK_RE.search(_mails()[0].text_body).group(1)
    recovery.request_password_reset("amina")
    recovery.reset_password(_reset_token(), NEW_PASSWORD)
    assert recovery.email_change_of(change) is None
    _refused(lambda: recovery.confirm_email_change(change))
    assert db.session.get(User, user.id).email == "amina@example.org"

    user = db.session.get(User, user.id)
    recovery.request_password_reset("amina")
    reset = _reset_token()
    recovery.request_email_change(user, "amina.k@example.org", NEW_PASSWORD)
    recovery.confirm_email_change(EMAIL_LINK_RE.search(
        _mails("email_change")[-2].text_body).group(1))
    assert recovery.reset_token_user(reset) is None


def test_no_header_can_be_injected_through_a_display_name(base):
    user = _user()
    user.display_name = "Eve\r\nBcc: eve@example.org\r\nSubject: <b>free</b>"
    db.session.commit()
    recovery.request_password_reset("amina")
    recovery.request_email_change(user, "amina.k@example.org", PASSWORD)
    for message in _mails():
        assert "\r" not in message.subject and "\n" not in message.subject
        assert message.to_address in ("amina@example.org", "amina.k@example.org")
        # The name is text in the body, escaped in the HTML part.
        assert "<b>free</b>" not in message.html_body
        assert "&lt;b&gt;free&lt;/b&gt;" in message.html_body
