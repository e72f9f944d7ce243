"""Turning text into index terms, the same way for documents and for queries.

One pipeline per content language: split into words, lower-case, drop stop words, stem with
Snowball (before folding accents, so that the stemmer sees the real word), then fold accents
and Arabic marks. Khmer is written without spaces between words: each run of Khmer letters is
cut into its orthographic syllables (a consonant or independent vowel with its subscript
consonants and vowel signs), which never straddle a word boundary. The text is indexed as
overlapping pairs of syllables, and a Khmer query word of several syllables becomes the phrase
of its pairs (one term for two syllables), so a word is found inside a sentence; a word of one
syllable is looked up among the document's syllables, kept as side terms ("km:<syllable>").
(Overlapping character pairs, then single syllables, made every Khmer phrase run over posting
lists as long as the Khmer part of the index: a second per query at 100,000 posts.) Both backends index the terms made here, so a query means
the same thing whichever engine answers it.

Bounds. A term is cut to MAX_TERM_BYTES in UTF-8 (a Khmer consonant followed by hundreds of
vowel signs is one "syllable": PostgreSQL refuses a lexeme over 2,047 bytes, and that one post
stopped all indexing), and a document's terms stop where their size in a tsvector (1 MB at
most, positions included) would pass MAX_DOCUMENT_BYTES: the tail of such a document is not
indexed. Both engines index the terms of `document_terms`, so they hold the same ones.
"""
import functools
import re
import unicodedata

import Stemmer

# Snowball names of the content languages that have a stemmer; others are folded only.
STEMMERS = {"fr": "french", "en": "english", "es": "spanish", "ar": "arabic", "pt": "portuguese"}

# Short, common words that carry no meaning for search. Kept small on purpose: a stop word
# lost from a phrase is a phrase that matches too much, a stop word kept only costs a little.
STOP_WORDS = {
    "fr": """a au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais
        me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
        te tes toi ton tu un une vos votre vous c d j l m n s t y est sont ete etre avoir""",
    "en": """a an and are as at be but by for from has have he her his i if in into is it its
        of on or our she so than that the their them they this to was we were what when which
        who will with you your""",
    "es": """a al algo con de del el ella ellos en es esta este esto la las le les lo los mas
        me mi no nos o para pero por que se sin sobre su sus te tu un una uno y ya""",
    "mg": """ny sy amin ho fa dia izy ary tamin an ao""",
    "ar": """في من على الى إلى عن مع هذا هذه ذلك التي الذي ان أن او أو ما لا""",
}

KHMER = "\u1780-\u17d3\u17d7\u17dc\u17dd\u19e0-\u19ff"
# Letters, digits and the combining marks that belong inside words (Latin accents once
# decomposed, Arabic vowel marks, Khmer vowel signs): a word is a run of them.
WORD_RE = re.compile(rf"(?:[^\W_]|[{KHMER}\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])+")
KHMER_RE = re.compile(rf"[{KHMER}]+")
KHMER_PREFIX = "km:"
# A syllable: a base letter, then subscripts (coeng + letter) and vowel signs; anything else
# in a Khmer run (a stray sign, ៗ) stands alone.
KHMER_SYLLABLE_RE = re.compile(
    "[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]?|[\u17b4-\u17d1\u17d3\u17dd])*|.", re.S)
ARABIC_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                                "ؤ": "و", "ئ": "ي"})
MAX_WORD = 40
# Far above any real word (40 letters of a 4-byte script are 160 bytes), far below PostgreSQL's
# 2,047: Whoosh's pair terms ("a|b") and side terms ("km:...") stay within it too.
MAX_TERM_BYTES = 200
# What the terms of one document may cost in a tsvector, which holds 1,048,575 bytes of
# lexemes and positions (see _Budget); a thread of real posts needs a few tens of KB.
MAX_DOCUMENT_BYTES = 1_000_000
MAX_POSITIONS = 256


def fold(word):
    """Lower-case, without accents or Arabic vowel marks; Khmer signs stay (they are letters)."""
    word = word.casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    folded = "".join(c for c in decomposed
                     if not ("\u0300" <= c <= "\u036f"))
    folded = ARABIC_MARKS_RE.sub("", folded).translate(ARABIC_LETTERS)
    return unicodedata.normalize("NFC", folded)


def cut(term):
    """`term` cut to MAX_TERM_BYTES in UTF-8, on a character boundary."""
    encoded = term.encode()
    if len(encoded) <= MAX_TERM_BYTES:
        return term
    return encoded[:MAX_TERM_BYTES].decode("utf-8", "ignore")


@functools.lru_cache(maxsize=8)
def _stemmer(lang):
    name = STEMMERS.get(lang)
    return Stemmer.Stemmer(name) if name else None


@functools.lru_cache(maxsize=8)
def _stop_words(lang):
    return frozenset(fold(word) for word in STOP_WORDS.get(lang, "").split())


@functools.lru_cache(maxsize=200_000)
def word_form(lang, word):
    """The index term of one (non-Khmer) word in `lang`, or None for a stop word."""
    lowered = word.casefold()[:MAX_WORD]
    if fold(lowered) in _stop_words(lang):
        return None
    stemmer = _stemmer(lang)
    if stemmer is not None:
        lowered = stemmer.stemWord(lowered)
    # Folding may lengthen a word (a ligature decomposes into up to 18 letters).
    return cut(fold(lowered))


@functools.lru_cache(maxsize=200_000)
def spelling_form(word):
    """The unstemmed, folded form kept for "did you mean"."""
    return fold(word)[:MAX_WORD]


def khmer_syllables(run):
    """The syllables of a Khmer run, with their offsets in it: [(syllable, start, end)]."""
    return [(match.group(), match.start(), match.end())
            for match in KHMER_SYLLABLE_RE.finditer(run)]


def _khmer_pairs(run, offset):
    syllables = khmer_syllables(run)
    if len(syllables) == 1:
        syllable, start, end = syllables[0]
        yield cut(syllable), offset + start, offset + end
        return
    for (first, start, _end), (second, _start, end) in zip(syllables, syllables[1:]):
        yield cut(first + second), offset + start, offset + end


def _side_term(syllable):
    return cut(KHMER_PREFIX + syllable)


def tokens(text, lang):
    """(term, start, end) for every term of `text` in `lang`, in order; stop words skipped."""
    for match in WORD_RE.finditer(text):
        word = match.group()
        if KHMER_RE.search(word):
            for part in KHMER_RE.finditer(word):
                yield from _khmer_pairs(part.group(), match.start() + part.start())
            continue
        form = word_form(lang, word)
        if form:
            yield form, match.start(), match.end()


@functools.lru_cache(maxsize=64)
def terms(text, lang):
    """The index terms of `text`, in order, as one space-separated string.

    Kept for the last few texts: indexing a document analyses its title and text once for
    the thesaurus's concepts and once for the index.
    """
    if not KHMER_RE.search(text):
        # Without Khmer each word is one term or none: the words at C speed (a rebuild
        # spends most of its analysis here).
        return " ".join(filter(None, map(functools.partial(word_form, lang),
                                         WORD_RE.findall(text))))
    return " ".join(term for term, _start, _end in tokens(text, lang))


def side_terms(text):
    """The terms a document holds besides its text's: each Khmer syllable, as "km:<syllable>"."""
    return sorted({_side_term(syllable) for run in KHMER_RE.findall(text)
                   for syllable, _s, _e in khmer_syllables(run)})


class _Budget:
    """Terms admitted while what they cost in a tsvector fits in `size`; the first one that
    does not closes it (the tail of a huge document goes, not scattered terms of it).

    A tsvector spends on a lexeme its bytes (to an even count), 2 bytes for its number of
    positions and 2 per position, 256 positions at most: the same count bounds Whoosh.
    """

    def __init__(self, size):
        self.left = size
        self.positions = {}

    def admit(self, term):
        count = self.positions.get(term)
        if count is None:
            cost = len(term.encode()) + len(term.encode()) % 2 + 4
        else:
            cost = 2 if count < MAX_POSITIONS else 0
        if cost > self.left:
            self.left = -1
        if self.left < 0:
            return False
        self.left -= cost
        self.positions[term] = (count or 0) + 1
        return True


def document_terms(title, text, lang, extra=()):
    """(title terms, body terms, side terms) of a document, within MAX_DOCUMENT_BYTES.

    A term dropped from the title or body leaves "" in its place, so that positions stay
    those of the text. `extra` are side terms a backend adds (thesaurus concepts): they come
    after the title and before the body in the budget, Khmer syllables last.
    """
    budget = _Budget(MAX_DOCUMENT_BYTES)
    title_terms = [term if budget.admit(term) else "" for term in terms(title, lang).split()]
    side = [term for term in extra if budget.admit(term)]
    body_terms = [term if budget.admit(term) else "" for term in terms(text, lang).split()]
    side += [term for term in side_terms(title + " " + text) if budget.admit(term)]
    return title_terms, body_terms, side


def spelling_terms(text):
    """The folded, unstemmed words of `text` (no Khmer): the vocabulary for corrections."""
    return " ".join(spelling_form(word) for word in WORD_RE.findall(text)
                    if not KHMER_RE.search(word) and len(word) > 2)


def query_forms(word, langs):
    """The index terms a query word may stand for in each of `langs`: {lang: [terms]}.

    A Khmer word gives its syllable pairs, which must follow each other (a phrase), or its side
    term when it has one syllable; any other word gives one term per language, or none when it
    is a stop word there.
    """
    if KHMER_RE.fullmatch(word):
        syllables = khmer_syllables(word)
        if len(syllables) == 1:
            return {lang: [_side_term(syllables[0][0])] for lang in langs}
    forms = {}
    for lang in langs:
        found = [term for term, _s, _e in tokens(word, lang)]
        if found:
            forms[lang] = found
    return forms
