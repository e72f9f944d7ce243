"""Who the user is and their standing: the mechanism every package's rules stand on.

Each package owns its rules in its own `permissions` module, as pairs: `allow_x(user, obj)`
raises a domain error carrying the reason shown to the user, and `can_x = boolean(allow_x)`
answers templates. Core holds no forum rule.
"""
from core.errors import Forbidden, NotFound
from core.i18n import lazy_gettext as _l


def boolean(allow):
    """The `can_x` of a rule `allow_x`: True where `allow_x` raises neither Forbidden nor
    NotFound."""

    def can(*args, **kwargs):
        try:
            allow(*args, **kwargs)
        except (Forbidden, NotFound):
            return False
        return True

    can.__name__ = allow.__name__.replace("allow_", "can_", 1)
    can.__doc__ = allow.__doc__
    return can


def allow_active(user):
    """A signed-in user whose account is not suspended; raises Forbidden saying which."""
    if user is None or not user.is_authenticated:
        raise Forbidden(_l("Sign in to do this."))
    if user.is_suspended:
        raise Forbidden(_l("Your account is suspended."))


can_act = boolean(allow_active)


def _role(user, role):
    return user is not None and user.is_authenticated and user.has_role(role)


def is_moderator(user):
    """Moderators and admins."""
    return _role(user, "moderator")


def is_expert(user):
    """Experts and everyone above them."""
    return _role(user, "expert")


def is_author(user, post):
    """The user wrote `post` (anything with an `author_id`)."""
    return user is not None and user.is_authenticated and post.author_id == user.id


def is_curator(user):
    """Experts and admins write, promote and review knowledge-base articles (moderators read
    drafts but do not write them)."""
    return user is not None and user.is_authenticated and user.role in ("expert", "admin")


def can_see_article(user, article):
    """Published and archived articles are public; drafts and articles in review are seen by
    experts, moderators and admins only."""
    return article.status in ("published", "archived") or is_expert(user)


def can_see_article_history(user):
    """An article's revisions and diffs are working material (drafts quote forum posts):
    experts, moderators and admins read them; readers get the published text only."""
    return is_expert(user)
