"""Who may do what in the knowledge base: each rule written once, as a refusal, from which
core.accounts.permissions.pair makes `allow_x(user, obj)` (raises the domain error whose message
the user reads; views and services call it) and `can_x(user, obj)` (True or False; templates
call it, as `kb_perms`). Core says who the user is (role, active); the article rules live here.
"""
from core.accounts.permissions import Refusal, inactive, is_expert, pair
from core.errors import Forbidden, NotFound
from core.i18n import lazy_gettext as _l
from knowledge.services import review

HIDDEN = Refusal(NotFound)
NOT_ALLOWED = Refusal(Forbidden)
NOT_CURATOR = Refusal(Forbidden, _l("Only experts and administrators write good-practice "
                                    "articles."))
ARCHIVED = Refusal(Forbidden, _l("This article is archived: restore it as a draft before "
                                 "editing."))
PROMOTE_NOT_CURATOR = Refusal(Forbidden, _l("Only experts and administrators promote answers."))
PROMOTE_DELETED = Refusal(Forbidden, _l("A deleted question cannot be promoted."))
REVIEW_NOT_CURATOR = Refusal(Forbidden, _l("Only experts and administrators review "
                                           "good-practice articles."))
REVIEW_OWN_ARTICLE = Refusal(Forbidden, _l("Another expert reviews this article: you curated "
                                           "it."))
REVIEW_OWN_TEXT = Refusal(Forbidden, _l("Another expert reviews this text: you wrote part of "
                                        "it."))


def _is_curator(user):
    # Moderators read drafts but do not write them: the role is not a rank here.
    return user is not None and user.is_authenticated and user.role in ("expert", "admin")


def _curate(user):
    """Experts and admins, active, write good-practice articles."""
    if refusal := inactive(user):
        return refusal
    return None if _is_curator(user) else NOT_CURATOR


def _edit_article(user, article):
    """A curator edits (and restores revisions of) any article but an archived one."""
    return _curate(user) or (ARCHIVED if article.status == "archived" else None)


def _edit_notebooks(user):
    """Curators write notebooks and their modules too."""
    return _curate(user)


def _promote(user, question):
    """A curator turns a live thread into a draft article."""
    if not _is_curator(user):
        return PROMOTE_NOT_CURATOR
    if refusal := inactive(user):
        return refusal
    return None if question.is_live else PROMOTE_DELETED


def _review(user, article):
    """Nobody approves (or returns) a text of which they wrote any revision since the last
    publication; for a first publication the article's curator does not either."""
    if not _is_curator(user):
        return REVIEW_NOT_CURATOR
    if article.status == "in_review" and article.curator_id == user.id:
        return REVIEW_OWN_ARTICLE
    if user.id in review.editors_since_publication(article):
        return REVIEW_OWN_TEXT
    return None


def _see_article(user, article):
    """Published and archived articles are public; drafts and articles in review are seen by
    experts, moderators and admins only. NotFound: a reader does not learn of drafts."""
    if article.status not in ("published", "archived") and not is_expert(user):
        return HIDDEN
    return None


def _see_history(user):
    """An article's revisions and diffs are working material (drafts quote forum posts):
    experts, moderators and admins read them; readers get the published text only. NotFound,
    not Forbidden: a reader does not learn that there is a history to see."""
    return None if is_expert(user) else HIDDEN


def _see_curation(user):
    """The curation dashboard is for experts, moderators and admins."""
    return None if is_expert(user) else NOT_ALLOWED


allow_curate, can_curate = pair(_curate)
allow_edit_article, can_edit_article = pair(_edit_article)
allow_edit_notebooks, can_edit_notebooks = pair(_edit_notebooks)
allow_promote, can_promote = pair(_promote)
allow_review, can_review = pair(_review)
allow_see_article, can_see_article = pair(_see_article)
allow_see_history, can_see_history = pair(_see_history)
allow_see_curation, can_see_curation = pair(_see_curation)
