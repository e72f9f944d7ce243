"""Turning text into index terms, the same way for documents and for queries.

One pipeline per content language: split into words, lower-case, drop stop words, fold accents
and Arabic marks, then stem with Snowball. (Stemming first let the stemmer see the real word,
but a word typed without its accents then got another stem: "majorité" gave "major" and
"majorite" "majorit", so "passage a la majorite" missed every post; readers on phones often
type without accents.) Khmer is written without spaces between words: each run of Khmer letters is
cut into dictionary words (search_index.khmer), whatever the document's language, and each word
is one term with its own position, so a Khmer query ranks and highlights whole words and
phrases of words work as in other languages; a few Khmer function words are stop words. A query
run of several Khmer words is their phrase (see query_forms). Both backends index the terms
made here, so a query means the same thing whichever engine answers it.

Without a segmenter (search_index.khmer.enabled() false), a Khmer run is cut into orthographic
syllables, indexed as overlapping pairs, a query word of several syllables being the phrase of
its pairs; a word of one syllable is looked up among the document's syllables, kept as side
terms ("km:<syllable>"). It finds, but ranks and highlights worse. ANALYSIS_VERSION names
the method: an index made by another one is "outdated" and `search rebuild --if-outdated`
(make run) rebuilds it.

Bounds. A term is cut to MAX_TERM_BYTES in UTF-8 (a Khmer consonant followed by hundreds of
vowel signs is one "syllable": PostgreSQL refuses a lexeme over 2,047 bytes, and that one post
stopped all indexing), and a document's terms stop where their size in a tsvector (1 MB at
most, positions included) would pass MAX_DOCUMENT_BYTES: the tail of such a document is not
indexed. Both engines index the terms of `document_terms`, so they hold the same ones.
"""
import functools
import re
import unicodedata
from itertools import chain

import Stemmer

from search_index import khmer

# Changes whenever the same text would give other terms: indexes record it, and one made with
# another version is rebuilt by `search rebuild --if-outdated`.
ANALYSIS_VERSION = f"3-{khmer.SEGMENTER}"

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
# Khmer function words ("and", "at", "from", "of", "that", "is", the past marker...), dropped
# in a Khmer run of any document: they are written glued to the words around them, so a
# query typed as one run holds them too.
# ការ makes a noun of the verb it precedes ("ការអប់រំ", education): written before half the
# nouns of a text, it matched every query that named a concept in Khmer.
KHMER_STOP_WORDS = frozenset("""និង នៅ ពី ជា បាន របស់ ដែល ហើយ ក្នុង នៅក្នុង ទៅ នេះ នោះ ឬ
    ក៏ ថា គឺ ដើម្បី តើ ការ""".split())

# Words that are not stop words (they stay in the index, where some of them also mean
# something: "pendant" is a jewel in English, "comment" a remark) but say nothing about what a
# question is about in this language: never highlighted in a document of the language, and
# not counted when a new question's title is compared with threads (search_index.service).
LIGHT_WORDS = {
    "fr": """alors apres aussi autre autres avant bien cela celle celui cet cette chez comme
        comment dont encore entre ici jamais leurs lorsque moins peu peut plus pendant pourquoi
        quand quel quelle quels quelles quoi sans selon sous tout toute toutes tous tres trop
        vers voici voila faire fait font doit""",
    "en": """about after all also any because been before being can could did does doing
        during how just more most must not now only other over should some such then there
        these those through too very where while why would""",
    "es": """como cual cuando donde durante entre esta estas estos hay hace muy nos otro otra
        otros otras porque pues puede quien sea segun sin solo tambien tiene todo toda todos
        todas""",
}

KHMER = "\u1780-\u17d3\u17d7\u17dc\u17dd\u19e0-\u19ff"
# Letters, digits and the combining marks that belong inside words (Latin accents once
# decomposed, Arabic vowel marks, Khmer vowel signs): a word is a run of them.
WORD_RE = re.compile(rf"(?:[^\W_]|[{KHMER}\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])+")
KHMER_RE = re.compile(rf"[{KHMER}]+")
KHMER_PREFIX = "km:"
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


@functools.lru_cache(maxsize=8)
def _light_words(lang):
    return frozenset(fold(word) for word in LIGHT_WORDS.get(lang, "").split())


def is_light(word, lang):
    """Whether `word` carries no subject in `lang`: a stop word or a light word of it."""
    folded = fold(word)
    return folded in _stop_words(lang) or folded in _light_words(lang)


def stop_word_languages(word):
    """The languages of which the (folded) `word` is a stop word ("que": fr and es)."""
    folded = fold(word)
    return {lang for lang in STOP_WORDS if folded in _stop_words(lang)}


@functools.lru_cache(maxsize=200_000)
def word_form(lang, word):
    """The index term of one (non-Khmer) word in `lang`, or None for a stop word."""
    lowered = word.casefold()[:MAX_WORD]
    if fold(lowered) in _stop_words(lang):
        return None
    # Folding may lengthen a word (a ligature decomposes into up to 18 letters).
    folded = fold(lowered)
    stemmer = _stemmer(lang)
    if stemmer is not None:
        folded = stemmer.stemWord(folded)
    return cut(folded)


@functools.lru_cache(maxsize=200_000)
def spelling_form(word):
    """The unstemmed, folded form kept for "did you mean"."""
    return fold(word)[:MAX_WORD]


def khmer_syllables(run):
    """The syllables of a Khmer run, with their offsets in it: [(syllable, start, end)]."""
    return khmer.syllables(run)


def _khmer_terms(run, offset):
    """(term, start, end) of a Khmer run: its words, or its syllable pairs without a
    segmenter."""
    found = khmer.words(run)
    if found is None:
        yield from _khmer_pairs(run, offset)
        return
    for word, start, end in found:
        term = cut(khmer.spelling(word))
        if term not in KHMER_STOP_WORDS:
            yield term, offset + start, offset + end


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
                yield from _khmer_terms(part.group(), match.start() + part.start())
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
    """The terms a document holds besides its text's: without a Khmer segmenter, each Khmer
    syllable, as "km:<syllable>"."""
    if khmer.enabled():
        return []
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
    extra = list(extra)
    title_string, body_string = terms(title, lang), terms(text, lang)
    extra_side = side_terms(title + " " + text)
    title_terms, body_terms = title_string.split(), body_string.split()
    # What every term would cost if each were new (its bytes, one more to an even count, 4):
    # when even that fits, nothing is dropped and no term need be counted (most documents).
    most = (len(title_string.encode()) + len(body_string.encode())
            + sum(len(term.encode()) for term in chain(extra, extra_side))
            + 5 * (len(title_terms) + len(body_terms) + len(extra) + len(extra_side)))
    if most <= MAX_DOCUMENT_BYTES:
        return title_terms, body_terms, extra + extra_side
    budget = _Budget(MAX_DOCUMENT_BYTES)
    title_terms = [term if budget.admit(term) else "" for term in title_terms]
    side = [term for term in extra if budget.admit(term)]
    body_terms = [term if budget.admit(term) else "" for term in body_terms]
    side += [term for term in extra_side if budget.admit(term)]
    return title_terms, body_terms, side


def spelling_terms(text, lang=None):
    """The folded, unstemmed words of `text` (no Khmer): the vocabulary for corrections;
    with `lang`, each as `spelling_term` makes it."""
    prefix = spelling_term(lang, "") if lang else ""
    words = WORD_RE.findall(text)
    if KHMER_RE.search(text):
        words = [word for word in words if not KHMER_RE.search(word)]
    return " ".join([prefix + spelling_form(word) for word in words if len(word) > 2])


def query_words(word):
    """The words a query word stands for: a run of Khmer holding several words gives each
    of them (a reader types them glued, as they are written); any other word gives itself."""
    if not (khmer.enabled() and KHMER_RE.search(word)):
        return [word]
    found = list(dict.fromkeys(word[start:end] for _term, start, end in tokens(word, "km")))
    return found if len(found) > 1 else [word]


def spelling_term(lang, word):
    """A spelling word as the Whoosh index keeps it: prefixed by the language of the document
    it was read in ("es:contacto"), so that corrections are drawn from one language."""
    return f"{lang}:{word}"


def query_forms(word, langs):
    """The index terms a query word may stand for in each of `langs`: {lang: [terms]}.

    A run of Khmer gives its words, which must follow each other (a phrase; without a
    segmenter, its syllable pairs, or its side term when it has one syllable); any other word
    gives one term per language, or none when it is a stop word there.
    """
    if KHMER_RE.fullmatch(word) and not khmer.enabled():
        syllables = khmer_syllables(word)
        if len(syllables) == 1:
            return {lang: [_side_term(syllables[0][0])] for lang in langs}
    forms = {}
    for lang in langs:
        found = [term for term, _s, _e in tokens(word, lang)]
        if found:
            forms[lang] = found
    return forms
