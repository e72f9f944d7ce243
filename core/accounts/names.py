"""The comparison key of a person's name: two names with the same key look alike on a page."""
import unicodedata

KEY_LENGTH = 255
# Letters that render as blank space although Unicode does not class them as spaces.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
# Marks (accents), format characters (zero-width spaces and joiners, direction marks, soft
# hyphens), controls and separators.
_DROPPED = ("Mn", "Me", "Cf", "Cc", "Zs", "Zl", "Zp")


def name_key(name):
    """`name` without case, accents, spaces or invisible characters, compatibility forms
    folded (full-width letters, ligatures): "Fára\u200b RAKOTO" and "fararakoto" share a key."""
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold())
    kept = (char for char in decomposed if not char.isspace() and char not in _BLANK_LETTERS
            and unicodedata.category(char) not in _DROPPED)
    return "".join(kept)[:KEY_LENGTH]
