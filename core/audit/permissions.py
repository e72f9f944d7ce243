"""Who reads the audit log: administrators only (moderators see the queue, not the log of
everyone's actions). Core's own rule, as a pair (core.accounts.permissions)."""
from core.accounts.permissions import Refusal, inactive, pair
from core.errors import Forbidden

NOT_ADMIN = Refusal(Forbidden)


def _see_log(user):
    """An active administrator reads the log; anyone else signed in is refused (403)."""
    if refusal := inactive(user):
        return refusal
    return None if user.has_role("admin") else NOT_ADMIN


allow_see_log, can_see_log = pair(_see_log)
