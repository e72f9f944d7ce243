"""The comparison key of a person's name: two names with the same key look alike on a page."""
import unicodedata

from core.validation import is_invisible

KEY_LENGTH = 255
# Accents and Arabic vowel marks, which decorate a name without changing it. Other scripts'
# combining signs are letters of the name (a Khmer vowel sign makes another name) and stay.
_ACCENTS = ((0x0300, 0x036F), (0x064B, 0x065F), (0x0670, 0x0670), (0x1AB0, 0x1AFF),
            (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))


def _is_accent(char):
    point = ord(char)
    return any(low <= point <= high for low, high in _ACCENTS)


def name_key(name):
    """`name` without case, accents, spaces or invisible characters, compatibility forms
    folded (full-width letters, ligatures): "Fára\u200b RAKOTO" and "fararakoto" share a key."""
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold())
    kept = (char for char in decomposed
            if not char.isspace() and not is_invisible(char) and not _is_accent(char))
    return "".join(kept)[:KEY_LENGTH]
