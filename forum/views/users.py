"""Public user pages with their questions and answers."""
from flask import Blueprint, render_template
from flask_login import current_user

from core.accounts.services import get_user_by_username
from forum.services import follows, queries

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/<username>")
def profile(username):
    user = get_user_by_username(username)
    questions, answers = queries.user_activity(user, current_user)
    # The member's own page lists the tags they follow (nobody else learns them).
    own = current_user.is_authenticated and current_user.id == user.id
    tags = follows.followed_tags(user) if own else None
    return render_template("users/profile.html", user=user, questions=questions, answers=answers,
                           followed_tags=tags)
