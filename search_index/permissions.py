"""Who may edit the thesaurus: experts, moderators and administrators."""
from core.accounts.permissions import Refusal, inactive, is_expert, pair
from core.errors import Forbidden
from core.i18n import lazy_gettext as _l

NOT_EXPERT = Refusal(Forbidden, _l("Only experts, moderators and administrators edit the "
                                   "thesaurus."))


def _thesaurus_editor(user):
    """Experts and above edit the thesaurus (and see the page listing it)."""
    return inactive(user) or (None if is_expert(user) else NOT_EXPERT)


allow_edit_thesaurus, can_edit_thesaurus = pair(_thesaurus_editor)
