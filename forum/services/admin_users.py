"""The administrators' list of accounts (/admin/users): search by user name, display name or
e-mail, filter by role and status, each account with how many questions and answers it wrote.
Reading only: the actions on an account are forum.services.members' and core.accounts'."""
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from core.accounts.models import ROLES, User
from core.errors import NotFound
from core.extensions import db
from core.ids import MAX_ID
from core.paging import Page
from core.timeutil import utcnow
from forum.models import Answer, Question
from forum.permissions import allow_administer_users

PAGE_SIZE = 50
# Deeper pages cost more than anyone reads; the search narrows the list instead.
MAX_PAGE = 1000
QUERY_LENGTH = 100
STATUSES = ("active", "suspended")


@dataclass
class AccountRow:
    """An account as the list shows it."""

    user: User
    questions: int
    answers: int


def clean_query(text):
    """What is searched for: the words typed, spaces squeezed, at most QUERY_LENGTH
    characters."""
    return " ".join((text or "").replace("\x00", "").split())[:QUERY_LENGTH]


def _like(text):
    """A LIKE pattern finding `text` anywhere, where `%`, `_` and `\\` are literal."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _counted(model):
    return (select(func.count(model.id)).where(model.author_id == User.id)
            .correlate(User).scalar_subquery())


def search_accounts(admin, query="", role=None, status=None, page=1, per_page=PAGE_SIZE):
    """A page of accounts, newest first, whose user name, display name or e-mail holds
    `query` (any case), of `role` and `status` ("active" or "suspended") when given. One
    query for the page, counts included. Raises Forbidden for anyone but an administrator."""
    allow_administer_users(admin)
    page = min(max(page or 1, 1), MAX_PAGE)
    statement = select(User, _counted(Question), _counted(Answer))
    query = clean_query(query)
    if query:
        pattern = _like(query)
        statement = statement.where(or_(
            User.username_key.like(pattern, escape="\\"),
            func.lower(User.display_name).like(pattern, escape="\\"),
            User.email.like(pattern, escape="\\")))
    if role in ROLES:
        statement = statement.where(User.role == role)
    now = utcnow()
    if status == "suspended":
        statement = statement.where(User.suspended_until > now)
    elif status == "active":
        statement = statement.where(or_(User.suspended_until.is_(None),
                                        User.suspended_until <= now))
    rows = db.session.execute(
        statement.order_by(User.created_at.desc(), User.id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)).all()
    items = [AccountRow(user, questions or 0, answers or 0)
             for user, questions, answers in rows[:per_page]]
    return Page(items, page, len(rows) > per_page)


def get_account(admin, user_id):
    """The account `user_id` with its counts, for its administration page; raises Forbidden
    for anyone but an administrator, NotFound for an id no account has."""
    allow_administer_users(admin)
    if not isinstance(user_id, int) or not 1 <= user_id <= MAX_ID:
        raise NotFound()
    found = db.session.execute(
        select(User, _counted(Question), _counted(Answer)).where(User.id == user_id)).first()
    if found is None:
        raise NotFound()
    user, questions, answers = found
    return AccountRow(user, questions or 0, answers or 0)
