"""Account operations: registration, authentication, profile changes. Each owns its commit."""
import functools
import hmac
import re

from flask import current_app
from flask_babel import format_datetime
from sqlalchemy import func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from core import pagecache
from core.audit import services as audit
from core.accounts.models import ROLES, AccountToken, User, new_session_token
from core.accounts.names import name_key
from core.config import LANGUAGES
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import visible

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{3,30}$")
MIN_PASSWORD_LENGTH = 8
LOGIN_FAILED = _l("Unknown user name or wrong password.")
# Neutral on purpose: "already used" would tell anyone who types an address whether its owner
# has an account here. The refusal itself still hints at it (sign-up sends no confirmation
# e-mail yet); the registration and profile rate limits bound how fast anyone can probe, and a
# profile change also asks for the current password (core.accounts.recovery).
EMAIL_REFUSED = _l("This e-mail address cannot be used.")


def hash_password(password):
    """Hash with the configured slow KDF (scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.lru_cache(maxsize=4)
def _dummy_hash(method):
    """A hash to check unknown names against, made once per method and process."""
    return generate_password_hash("carnets-no-such-user", method=method)


def _check_username(username):
    if not USERNAME_RE.match(username or ""):
        raise InvalidInput(_l("3 to 30 letters, digits or underscores."), field="username")


def check_password(password):
    """Refuse a password too short to resist guessing (InvalidInput on "password")."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH), field="password")


def _check_display_name(display_name, user_id=None, field="display_name"):
    """Refuse a name that would pass for another account's display name or user name (user
    names are ASCII letters, digits and underscores: their key is their lower-case form)."""
    key = name_key(display_name)
    query = select(User.id).where(or_(User.display_name_key == key, User.username_key == key))
    if user_id is not None:
        query = query.where(User.id != user_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise InvalidInput(_l("Another account already goes by this name."), field=field)


def _display_name(name, username):
    """The name shown beside the user's posts: the user name when left empty; refused when it
    holds only invisible characters, which would make the author look anonymous."""
    name = (name or "").strip()
    if not name:
        return username
    if not visible(name):
        raise InvalidInput(_l("Write a name that can be read, or leave the field empty."),
                           field="display_name")
    return name[:80]


def get_user_by_username(username):
    """The user with this name (any case); raises NotFound."""
    user = db.session.scalar(select(User).where(User.username_key == (username or "").lower()))
    if user is None:
        raise NotFound()
    return user


@transactional
def create_user(username, email, password, role="member", display_name=None, locale=None,
                organisation="", country=""):
    """Create an account; raises InvalidInput naming the field at fault."""
    username = (username or "").strip()
    email = (email or "").strip().lower()
    _check_username(username)
    check_password(password)
    if role not in ROLES:
        raise InvalidInput(_l("Unknown role."), field="role")
    if "@" not in email:
        raise InvalidInput(_l("Enter a valid e-mail address."), field="email")
    taken = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if taken is not None:
        raise InvalidInput(_l("This user name is already taken."), field="username")
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise InvalidInput(EMAIL_REFUSED, field="email")
    display_name = _display_name(display_name, username)
    # Without a display name of their own, the new user's user name is shown: it must not pass
    # for someone else's display name either.
    _check_display_name(display_name, field="display_name" if display_name != username
                        else "username")
    user = User(
        username=username, username_key=username.lower(), email=email,
        display_name=display_name, password_hash=hash_password(password),
        role=role, locale=locale if locale in LANGUAGES else None,
        organisation=organisation, country=country,
    )
    db.session.add(user)
    # Two registrations racing for a name or an address: the retry says which one is taken.
    db.session.commit()
    return user


@transactional
def authenticate(login, password):
    """The user for this user name or e-mail and password; one error for every failure."""
    login = (login or "").strip()
    user = db.session.scalar(
        select(User).where(or_(User.username_key == login.lower(), User.email == login.lower()))
    )
    if user is None:
        # Check a password anyway, so that an unknown name costs what a wrong password costs:
        # one hash check, not a new hash each time (that made unknown names twice as slow).
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]),
                            password or "")
        raise InvalidInput(LOGIN_FAILED)
    if not check_password_hash(user.password_hash, password or ""):
        raise InvalidInput(LOGIN_FAILED)
    if user.is_suspended:
        # Only now, once the password is right: a wrong one never tells that an account is
        # suspended, nor why.
        raise InvalidInput(suspension_message(user))
    user.last_seen_at = utcnow()
    db.session.commit()
    return user


def suspension_message(user):
    """What a suspended member reads when signing in: until when (in the reader's language)
    and the moderators' reason, which stays plain text (escaped wherever it is shown)."""
    until = format_datetime(user.suspended_until, "long")
    if user.suspension_reason:
        return _l("This account is suspended until %(date)s. The moderators' reason: %(reason)s",
                  date=until, reason=user.suspension_reason)
    return _l("This account is suspended until %(date)s.", date=until)


def user_for_session(session_id):
    """The user a session id ("<id>:<token>", see User.get_id) stands for, or None when the
    token was replaced since (sign-out, new password, suspension) or the user is suspended."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdecimal() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.is_suspended:
        return None
    return user if hmac.compare_digest(user.session_token.encode(), token.encode()) else None


@transactional
def end_sessions(user):
    """Sign `user` out everywhere: every session and "stay signed in" cookie stops working.

    Sign-out calls this too, so it ends the user's sessions on every device. A table of
    sessions could end only the current one (as Discourse does), but at the cost of a query on
    every page; on the shared phones Carnets is used from, ending too much is the safe side.
    """
    user.session_token = new_session_token()
    db.session.commit()


@transactional
def update_profile(user, display_name, organisation, country, locale, languages, bio):
    """Save the editable profile fields of `user`. The e-mail address is not among them: a new
    one is confirmed by a link first (core.accounts.recovery.request_email_change)."""
    display_name = _display_name(display_name, user.username)
    _check_display_name(display_name, user_id=user.id)
    user.display_name = display_name
    user.organisation = (organisation or "").strip()[:120]
    user.country = (country or "").strip().upper()[:2]
    user.locale = locale if locale in LANGUAGES else None
    user.languages = " ".join(code for code in (languages or []) if code in LANGUAGES)
    user.bio = (bio or "").strip()[:2000]
    if db.session.is_modified(user):
        # The name shows beside every post of the user, on pages cached for anonymous readers.
        pagecache.changed_everywhere()
    db.session.commit()
    return user


@transactional
def set_locale(user, locale):
    """Keep `locale` as the interface language of `user` (the language switcher); an unknown
    code changes nothing."""
    if locale in LANGUAGES and user.locale != locale:
        user.locale = locale
        db.session.commit()
    return user


@transactional
def change_password(user, current_password, new_password):
    """Replace the password after checking the current one."""
    if not check_password_hash(user.password_hash, current_password or ""):
        raise InvalidInput(_l("The current password is wrong."), field="current_password")
    check_password(new_password)
    user.password_hash = hash_password(new_password)
    # Whoever holds an old cookie (perhaps the reason for the change) is signed out; the view
    # signs the current device in again with the new token.
    user.session_token = new_session_token()
    # And whoever knew the old password cannot finish moving the account to their address
    # with a link asked for before: every unused mailed link dies with the old password.
    db.session.execute(update(AccountToken).where(AccountToken.user_id == user.id,
                                                  AccountToken.used_at.is_(None))
                       .values(used_at=utcnow()))
    db.session.commit()


@transactional
def suspend_user(user, until, reason="", actor=None):
    """Suspend `user` until `until` with `reason`, which they read when they try to sign in
    (None lifts the suspension). Their sessions end, and stay ended when the suspension is
    over. Written in the audit log as done by `actor`."""
    reason = (reason or "").strip()
    was_suspended = user.is_suspended
    if until is not None and len(reason) > 1000:
        raise InvalidInput(_l("Keep the reason under %(count)s characters.", count=1000),
                           field="reason")
    user.suspended_until = until
    user.suspension_reason = reason if until is not None else ""
    if until is not None:
        user.session_token = new_session_token()
        audit.record(actor, "suspend", "user", user.id, reason=reason,
                     details={"until": until.isoformat(timespec="minutes")})
    elif was_suspended:
        audit.record(actor, "unsuspend", "user", user.id, reason=reason)
    db.session.commit()


@transactional
def set_role(user, role, actor=None, reason=""):
    """Give `user` a role among ROLES (written in the audit log as done by `actor`)."""
    if role not in ROLES:
        raise InvalidInput(_l("Unknown role."), field="role")
    if user.role == "admin" and role != "admin" and count_admins() <= 1:
        raise InvalidInput(_l("This is the last administrator: name another one first."),
                           field="role")
    if role != user.role:
        audit.record(actor, "role_change", "user", user.id, reason=reason,
                     details={"from": user.role, "to": role})
    user.role = role
    pagecache.changed_everywhere()
    db.session.commit()


@transactional
def set_safeguarding_lead(user, lead, actor=None, reason=""):
    """Make `user` one of the safeguarding leads who receive alerts, or stop (audited)."""
    lead = bool(lead)
    if lead != user.safeguarding_lead:
        user.safeguarding_lead = lead
        audit.record(actor, "safeguarding_lead_added" if lead else "safeguarding_lead_removed",
                     "user", user.id, reason=reason)
        db.session.commit()


def safeguarding_leads():
    """The active accounts that receive safeguarding alerts."""
    return [user for user in db.session.scalars(
        select(User).where(User.safeguarding_lead.is_(True)).order_by(User.id))
        if not user.is_suspended]


def count_admins():
    """How many accounts have the admin role."""
    return db.session.scalar(select(func.count(User.id)).where(User.role == "admin"))


def count_users():
    return db.session.scalar(select(func.count(User.id)))
