"""Checks shared by every package's services; each raises InvalidInput naming the field."""
import re
import unicodedata

from core.errors import InvalidInput
from core.i18n import lazy_gettext as _l

# Letters that fonts draw as nothing: the Hangul fillers and the blank Braille pattern, used
# to make a text look empty while passing a "not blank" check.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset(("Cf", "Cc", "Zs", "Zl", "Zp"))
_SPACES_RE = re.compile(r"\s+")


def is_invisible(char):
    """True for a character that shows nothing: control and format characters (zero-width
    spaces and joiners, direction marks), separators and blank letters."""
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def visible(text):
    """`text` as a reader sees it: invisible characters dropped, each run of spaces as one."""
    kept = "".join(char for char in text or "" if char.isspace() or not is_invisible(char))
    return _SPACES_RE.sub(" ", kept).strip()


def check_length(value, bounds, field):
    """`value` stripped, if its length is within `bounds` (low, high); else InvalidInput.

    The lower bound counts what a reader sees, so that zero-width characters, fillers and runs
    of spaces cannot pass for text.
    """
    value = (value or "").strip()
    low, high = bounds
    if len(visible(value)) < low:
        raise InvalidInput(_l("Write at least %(n)s visible characters.", n=low), field=field)
    if len(value) > high:
        raise InvalidInput(_l("Write at most %(n)s characters.", n=high), field=field)
    return value
