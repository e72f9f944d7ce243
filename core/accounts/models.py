"""The User table."""
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, validates

from core.accounts.names import KEY_LENGTH, name_key
from core.extensions import db
from core.timeutil import utcnow

ROLES = ("member", "expert", "moderator", "admin")


def new_session_token():
    """A fresh random token; replacing a user's token ends all their sessions."""
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    # Lower-cased copy: user names are unique without regard to case on every database.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # name_key(display_name), kept in step by _keep_display_name_key: no one may take a name
    # that looks like another account's display name or user name.
    display_name_key: Mapped[str] = mapped_column(String(KEY_LENGTH), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    locale: Mapped[str | None] = mapped_column(String(8))
    languages: Mapped[str] = mapped_column(String(64), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(db.DateTime)
    # What the member reads when a suspended account tries to sign in.
    suspension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Receives safeguarding alerts ("a child may be in danger now"); set by an admin, apart
    # from the role ladder: a lead need not be a moderator, and a moderator is not a lead.
    safeguarding_lead: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Part of every session id (see get_id): signed cookies cannot be taken back, so signing
    # out, a new password or a suspension replace this token and the old cookies then load
    # nobody. One token per user, not a table of sessions: it costs no query per request.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    @validates("display_name")
    def _keep_display_name_key(self, _key, value):
        self.display_name_key = name_key(value)
        return value

    @property
    def name(self):
        """What pages show for this person."""
        return self.display_name or self.username

    @property
    def is_suspended(self):
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_active(self):
        # Flask-Login refuses to log in inactive users: a suspended account cannot sign in.
        return not self.is_suspended

    def get_id(self):
        # Flask-Login stores this in the session and in the "stay signed in" cookie.
        return f"{self.id}:{self.session_token}"

    def has_role(self, role):
        """True when the user's role is `role` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def __repr__(self):
        return f"<User {self.username}>"


class AccountToken(db.Model):
    """A single-use link sent by mail: a password reset, or the confirmation of a new e-mail
    address. Only a hash of the token is stored: a copy of the database opens no account."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("user.id"), index=True)
    # "password_reset" or "email_change".
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # For "email_change": the address to confirm.
    new_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(db.DateTime)
    used_at: Mapped[datetime | None] = mapped_column(db.DateTime)
