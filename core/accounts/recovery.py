"""A way back into an account: password reset links, and e-mail changes confirmed by a link.

Every link carries a random token (secrets.token_urlsafe(32)); the database keeps only its
SHA-256 (AccountToken), so a copy of the database opens no account. A token works once, for a
limited time, and for its own purpose only. Messages are queued in the transaction that creates
the token (core.mail.outbox), written in the recipient's language, with links built from
CARNETS_BASE_URL, never from the request's Host header.

Choices:
- "Forgot your password?" answers the same whether or not an account has the address or the
  name, and does the same work either way (one lookup, one count, one mail rendered), so that
  neither the page nor its timing tells who has an account. At most RESETS_PER_HOUR links are
  mailed to one account in an hour (the per-IP limit is the view's); beyond, the same answer.
- A suspended member may reset her password (she keeps control of her account), but signing
  in stays refused until the suspension ends (services.authenticate).
- A reset ends every session of the account and voids every other link of it, e-mail changes
  included: whoever took the account cannot finish moving it to their address.
"""
import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_, select, update
from werkzeug.security import check_password_hash

from core.accounts import services
from core.accounts.models import AccountToken, User, new_session_token
from core.audit import services as audit
from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.mail import compose, outbox
from core.timeutil import utcnow
from core.transactions import transactional

PASSWORD_RESET = "password_reset"
EMAIL_CHANGE = "email_change"
RESET_LIFETIME = timedelta(hours=1)
EMAIL_CHANGE_LIFETIME = timedelta(hours=24)
EMAIL_CHANGES_PER_HOUR = 3
# Links mailed to one account in an hour, whoever asks: a mailbox cannot be flooded.
RESETS_PER_HOUR = 3
# What token_urlsafe(32) gives; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100
# The audit log's name for an administrator sending a reset link (labelled in core.audit).
RESET_SENT_ACTION = "password_reset_sent"

LINK_EXPIRED = _l("This link has expired or was already used.")
EMAIL_TAKEN = services.EMAIL_REFUSED


def _hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token(user, purpose, lifetime, new_email=None):
    """Add a token row for `user` and return the token itself (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_hash(token),
                                new_email=new_email, created_at=utcnow(),
                                expires_at=utcnow() + lifetime))
    return token


def _plausible(token):
    return (isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH
            and token.isascii() and token.isprintable())


def _live_token(token, purpose):
    """The unused, unexpired AccountToken of `purpose` for `token`, or None."""
    if not _plausible(token):
        return None
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash(token),
                                                       AccountToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def _use(row):
    """Mark `row` used, if nobody did meanwhile (two tabs opening the same link)."""
    done = db.session.execute(update(AccountToken).where(
        AccountToken.id == row.id, AccountToken.used_at.is_(None)).values(used_at=utcnow()))
    if done.rowcount != 1:
        db.session.rollback()
        raise InvalidInput(LINK_EXPIRED)


def _void_other_tokens(user, keep_id=None, purposes=(PASSWORD_RESET, EMAIL_CHANGE)):
    query = update(AccountToken).where(AccountToken.user_id == user.id,
                                       AccountToken.used_at.is_(None),
                                       AccountToken.purpose.in_(purposes))
    if keep_id is not None:
        query = query.where(AccountToken.id != keep_id)
    db.session.execute(query.values(used_at=utcnow()))


def _user_for_login(login):
    login = (login or "").strip().lower()
    if not login or "\x00" in login:  # no name or address holds one (PostgreSQL refuses it)
        return None
    return db.session.scalar(select(User).where(
        or_(User.username_key == login, User.email == login)))


def _recent_email_changes(user_id):
    return db.session.scalar(select(func.count(AccountToken.id)).where(
        AccountToken.user_id == user_id, AccountToken.purpose == EMAIL_CHANGE,
        AccountToken.created_at > utcnow() - timedelta(hours=1)))


def _recent_resets(user_id):
    return db.session.scalar(select(func.count(AccountToken.id)).where(
        AccountToken.user_id == user_id, AccountToken.purpose == PASSWORD_RESET,
        AccountToken.created_at > utcnow() - timedelta(hours=1)))


def _reset_mail(user, token):
    return compose.render(user, "password_reset", _l("Choose a new password for Carnets"),
                          link=compose.mail_url("auth.reset_password", token=token),
                          hours=int(RESET_LIFETIME.total_seconds() // 3600))


def _queue_reset(user):
    token = _new_token(user, PASSWORD_RESET, RESET_LIFETIME)
    subject, text, html = _reset_mail(user, token)
    outbox.queue_message(user.email, PASSWORD_RESET, subject, text, html, recipient=user)
    return token


@transactional
def request_password_reset(login):
    """Mail a reset link to the account whose e-mail address or user name is `login`, if
    there is one and it had fewer than RESETS_PER_HOUR links this hour. Says nothing either
    way: the caller shows the same page whatever happened."""
    user = _user_for_login(login)
    # The same queries and the same rendering with or without an account: no answer, nor the
    # time it takes, tells a stranger whether the address is known.
    recent = _recent_resets(user.id if user is not None else 0)
    if user is None or recent >= RESETS_PER_HOUR:
        _reset_mail(user or User(username="", display_name=""), secrets.token_urlsafe(32))
        db.session.rollback()
        return
    _queue_reset(user)
    db.session.commit()


@transactional
def send_reset_link(user, actor):
    """An administrator mails `user` a reset link (the member asked by phone, say); recorded
    in the audit log. Not limited per hour: each one is in the log."""
    _queue_reset(user)
    audit.record(actor, RESET_SENT_ACTION, "user", user.id)
    db.session.commit()


def reset_token_user(token):
    """The user a live reset `token` opens, or None: the page shows the form only then."""
    row = _live_token(token, PASSWORD_RESET)
    return db.session.get(User, row.user_id) if row is not None else None


@transactional
def reset_password(token, new_password):
    """Set the password of the account `token` was mailed for; raises InvalidInput (and
    changes nothing) for an unknown, expired, used or other-purpose token, or a short
    password. Ends every session of the account and voids its other links."""
    row = _live_token(token, PASSWORD_RESET)
    if row is None:
        raise InvalidInput(LINK_EXPIRED)
    services.check_password(new_password)
    user = db.session.get(User, row.user_id)
    _use(row)
    _void_other_tokens(user, keep_id=row.id)
    user.password_hash = services.hash_password(new_password)
    user.session_token = new_session_token()
    db.session.commit()
    return user


def normalised_address(address, field="email"):
    """`address` checked by email-validator (as the registration form does) and lower-cased,
    as every stored address is; raises InvalidInput naming `field`. A line break, a display
    name or a second address are refused: nothing can reach a mail header through it."""
    try:
        checked = validate_email((address or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput(_l("Enter a valid e-mail address."), field=field) from None
    return checked.normalized.lower()


def _address_taken(address, user_id):
    return db.session.scalar(select(User.id).where(
        func.lower(User.email) == address, User.id != user_id).limit(1)) is not None


def pending_email_change(user):
    """The address `user` asked to move to and has not confirmed yet, or None."""
    return db.session.scalar(select(AccountToken.new_email).where(
        AccountToken.user_id == user.id, AccountToken.purpose == EMAIL_CHANGE,
        AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())
        .order_by(AccountToken.id.desc()).limit(1))


@transactional
def request_email_change(user, new_address, current_password):
    """Ask to move `user` to `new_address`: a link to confirm goes to the new address, a
    notice (no link) to the old one. Nothing changes until the link is opened. Raises
    InvalidInput naming the field at fault ("current_password" or "email")."""
    if not check_password_hash(user.password_hash, current_password or ""):
        raise InvalidInput(_l("The current password is wrong."), field="current_password")
    address = normalised_address(new_address)
    if address == user.email.lower():
        raise InvalidInput(_l("This is already your address."), field="email")
    # Each request mails an address nobody confirmed yet: a bound, or anyone could register
    # and use the site to write to strangers. Checked before "taken", so that once it is
    # reached no answer tells whether an address has an account.
    if _recent_email_changes(user.id) >= EMAIL_CHANGES_PER_HOUR:
        raise InvalidInput(_l("You asked for several address changes this hour. Wait an hour, "
                              "then try again."), field="email")
    if _address_taken(address, user.id):
        raise InvalidInput(EMAIL_TAKEN, field="email")
    # The newest request replaces the ones before it.
    _void_other_tokens(user, purposes=(EMAIL_CHANGE,))
    token = _new_token(user, EMAIL_CHANGE, EMAIL_CHANGE_LIFETIME, new_email=address)
    hours = int(EMAIL_CHANGE_LIFETIME.total_seconds() // 3600)
    subject, text, html = compose.render(
        user, "email_change_confirm", _l("Confirm your new e-mail address for Carnets"),
        link=compose.mail_url("auth.confirm_email", token=token), hours=hours,
        new_address=address)
    outbox.queue_message(address, EMAIL_CHANGE, subject, text, html, recipient=user)
    subject, text, html = compose.render(
        user, "email_change_notice", _l("Your Carnets account may move to another address"),
        new_address=address, reset_link=compose.mail_url("auth.forgot_password"))
    outbox.queue_message(user.email, EMAIL_CHANGE, subject, text, html, recipient=user)
    db.session.commit()
    return address


def email_change_of(token):
    """(user, new address) of a live e-mail change `token`, or None."""
    row = _live_token(token, EMAIL_CHANGE)
    return (db.session.get(User, row.user_id), row.new_email) if row is not None else None


@transactional
def confirm_email_change(token):
    """Move the account to the address `token` was mailed to, if it is still free; raises
    InvalidInput (changing nothing) otherwise. Voids the account's other links: reset links
    went to the old address."""
    row = _live_token(token, EMAIL_CHANGE)
    if row is None:
        raise InvalidInput(LINK_EXPIRED)
    user = db.session.get(User, row.user_id)
    if _address_taken(row.new_email, user.id):
        raise InvalidInput(_l("Another account took this address meanwhile: nothing was "
                              "changed. Choose another one in your profile."))
    _use(row)
    _void_other_tokens(user, keep_id=row.id)
    user.email = row.new_email
    # A unique address: a race with another confirmation ends in a retry, then the refusal.
    db.session.commit()
    return user

