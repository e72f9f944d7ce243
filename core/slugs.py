"""The one slug rule: lower case, accents of Latin letters folded, every other script kept
whole (Khmer and Arabic marks are part of their letters), runs of other characters turned into
one hyphen."""
import unicodedata

_MARKS = ("Mn", "Mc", "Me")


def _kept(text):
    base_is_latin = False
    for char in unicodedata.normalize("NFKD", text.lower()):
        if unicodedata.category(char) in _MARKS:
            if not base_is_latin:
                yield char
            continue
        base_is_latin = char.isascii()
        yield char if char.isalnum() else " "


def slugify(text, length=80, fallback="q"):
    """'Mise à l'abri, 1ʳᵉ nuit' -> 'mise-a-l-abri-1re-nuit', cut to `length`; `fallback` when
    nothing is left."""
    words = "".join(_kept(text or "")).split()
    slug = unicodedata.normalize("NFC", "-".join(words))
    return slug[:length].strip("-") or fallback
