"""Account operations: registration, authentication, profile changes. Each owns its commit."""
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from core import pagecache
from core.accounts.models import ROLES, User
from core.config import LANGUAGES
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import visible

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{3,30}$")
MIN_PASSWORD_LENGTH = 8
LOGIN_FAILED = _l("Unknown user name or wrong password.")


def hash_password(password):
    """Hash with the configured slow KDF (scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _check_username(username):
    if not USERNAME_RE.match(username or ""):
        raise InvalidInput(_l("3 to 30 letters, digits or underscores."), field="username")


def _check_password(password):
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH), field="password")


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
    _check_password(password)
    if role not in ROLES:
        raise InvalidInput(_l("Unknown role."), field="role")
    if "@" not in email:
        raise InvalidInput(_l("Enter a valid e-mail address."), field="email")
    taken = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if taken is not None:
        raise InvalidInput(_l("This user name is already taken."), field="username")
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise InvalidInput(_l("An account already uses this e-mail address."), field="email")
    user = User(
        username=username, username_key=username.lower(), email=email,
        display_name=_display_name(display_name, username), password_hash=hash_password(password),
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
        # Hash anyway, so that an unknown name costs the same time as a wrong password.
        dummy = current_app.extensions.setdefault("carnets.dummy_hash", hash_password("-"))
        check_password_hash(dummy, password or "")
        raise InvalidInput(LOGIN_FAILED)
    if not check_password_hash(user.password_hash, password or ""):
        raise InvalidInput(LOGIN_FAILED)
    if user.is_suspended:
        raise InvalidInput(_l("This account is suspended."))
    user.last_seen_at = utcnow()
    db.session.commit()
    return user


@transactional
def update_profile(user, display_name, email, organisation, country, locale, languages, bio):
    """Save the editable profile fields of `user`."""
    email = (email or "").strip().lower()
    other = db.session.scalar(select(User).where(User.email == email, User.id != user.id))
    if other is not None:
        raise InvalidInput(_l("An account already uses this e-mail address."), field="email")
    user.display_name = _display_name(display_name, user.username)
    user.email = email
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
def change_password(user, current_password, new_password):
    """Replace the password after checking the current one."""
    if not check_password_hash(user.password_hash, current_password or ""):
        raise InvalidInput(_l("The current password is wrong."), field="current_password")
    _check_password(new_password)
    user.password_hash = hash_password(new_password)
    db.session.commit()


@transactional
def set_role(user, role):
    """Give `user` a role among ROLES."""
    if role not in ROLES:
        raise InvalidInput(_l("Unknown role."), field="role")
    user.role = role
    pagecache.changed_everywhere()
    db.session.commit()


def count_users():
    return db.session.scalar(select(func.count(User.id)))
