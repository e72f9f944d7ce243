"""Checks shared by every package's services; each raises InvalidInput naming the field."""
from core.errors import InvalidInput
from core.i18n import lazy_gettext as _l


def check_length(value, bounds, field):
    """`value` stripped, if its length is within `bounds` (low, high); else InvalidInput."""
    value = (value or "").strip()
    low, high = bounds
    if len(value) < low:
        raise InvalidInput(_l("Write at least %(n)s characters.", n=low), field=field)
    if len(value) > high:
        raise InvalidInput(_l("Write at most %(n)s characters.", n=high), field=field)
    return value
