"""Who may do what in the knowledge base: each rule once, as a pair.

`allow_x(user, obj)` raises the domain error that carries the reason the user reads (views and
services call it); `can_x(user, obj)` answers True or False (templates call it, as `kb_perms`).
Core says who the user is (role, active); the article rules live here.
"""
from core.accounts.permissions import allow_active, is_expert
from core.errors import DomainError, Forbidden, NotFound
from core.i18n import lazy_gettext as _l
from knowledge.services import review


def _boolean(allow):
    """The `can_x` of `allow_x`: True when it raises nothing."""

    def can(*args):
        try:
            allow(*args)
        except DomainError:
            return False
        return True

    can.__name__ = allow.__name__.replace("allow_", "can_", 1)
    can.__doc__ = f"True when {allow.__name__} lets the user through (for templates)."
    return can


def _is_curator(user):
    # Moderators read drafts but do not write them: the role is not a rank here.
    return user is not None and user.is_authenticated and user.role in ("expert", "admin")


def allow_curate(user):
    """Experts and admins, active, write good-practice articles; raises Forbidden."""
    allow_active(user)
    if not _is_curator(user):
        raise Forbidden(_l("Only experts and administrators write good-practice articles."))


def allow_edit_article(user, article):
    """A curator edits (and restores revisions of) any article but an archived one."""
    allow_curate(user)
    if article.status == "archived":
        raise Forbidden(_l("This article is archived: restore it as a draft before editing."))


def allow_edit_notebooks(user):
    """Curators write notebooks and their modules too."""
    allow_curate(user)


def allow_promote(user, question):
    """A curator turns a live thread into a draft article; raises Forbidden."""
    if not _is_curator(user):
        raise Forbidden(_l("Only experts and administrators promote answers."))
    allow_active(user)
    if question.is_deleted:
        raise Forbidden(_l("A deleted question cannot be promoted."))


def allow_review(user, article):
    """Nobody approves (or returns) a text of which they wrote any revision since the last
    publication; for a first publication the article's curator does not either."""
    if not _is_curator(user):
        raise Forbidden(_l("Only experts and administrators review good-practice articles."))
    if article.status == "in_review" and article.curator_id == user.id:
        raise Forbidden(_l("Another expert reviews this article: you curated it."))
    if user.id in review.editors_since_publication(article):
        raise Forbidden(_l("Another expert reviews this text: you wrote part of it."))


def allow_see_article(user, article):
    """Published and archived articles are public; drafts and articles in review are seen by
    experts, moderators and admins only. Raises NotFound: a reader does not learn of drafts."""
    if article.status not in ("published", "archived") and not is_expert(user):
        raise NotFound()


def allow_see_history(user):
    """An article's revisions and diffs are working material (drafts quote forum posts):
    experts, moderators and admins read them; readers get the published text only. Raises
    NotFound, not Forbidden: a reader does not learn that there is a history to see."""
    if not is_expert(user):
        raise NotFound()


def allow_see_curation(user):
    """The curation dashboard is for experts, moderators and admins; raises Forbidden."""
    if not is_expert(user):
        raise Forbidden()


can_curate = _boolean(allow_curate)
can_edit_article = _boolean(allow_edit_article)
can_edit_notebooks = _boolean(allow_edit_notebooks)
can_promote = _boolean(allow_promote)
can_review = _boolean(allow_review)
can_see_article = _boolean(allow_see_article)
can_see_history = _boolean(allow_see_history)
can_see_curation = _boolean(allow_see_curation)
