"""Khmer word segmentation: Khmer is written without spaces between words.

Words are found by ICU's dictionary-based word breaker (its Khmer dictionary), through icu4py,
whose wheels bundle ICU and its data, so nothing needs ICU's headers. A dictionary, unlike a
statistical model, cuts a word the same way in a query and in a sentence around it, which is
what a search needs; and it is fast: about 250,000 words/s on one core, where the CRF
segmenters on the registry (khmercut, khmer-nltk) did 6,500 and made bulk indexing four times
slower. Where icu4py cannot be imported (a platform without its wheels), `words` returns None
and search_index.analysis falls back on orthographic syllables: search works, ranks worse, and
`SEGMENTER` names the method so that an index made by the other one is rebuilt.
"""
import re

try:
    from icu4py import _version as _icu_version
    from icu4py.breakers import WordBreaker

    # An ICU built without its Khmer dictionary would return whole runs: syllables are better.
    if list(WordBreaker("កុមារត្រូវការ", "km")) != ["កុមារ", "ត្រូវការ"]:
        raise ImportError("ICU cannot cut Khmer into words")
except ImportError:  # pragma: no cover - depends on the platform's wheels
    WordBreaker = None

# A syllable: a base letter, then subscripts (coeng + letter) and vowel signs; anything else
# in a Khmer run (a stray sign, ៗ) stands alone.
SYLLABLE_RE = re.compile(
    "[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]?|[\u17b4-\u17d1\u17d3\u17dd])*|.", re.S)
# The breaker is fed runs of at most this many characters, cut between syllables: real
# phrases between two spaces are far shorter, and a pasted run of tens of thousands of
# letters then costs what its pieces cost.
MAX_RUN = 500
# Subscript DA and subscript TA are written interchangeably (ផ្ដល់, ផ្តល់: "to give"); both
# are indexed as TA, so either spelling finds the other.
COENG_DA, COENG_TA = "\u17d2\u178a", "\u17d2\u178f"

if WordBreaker is not None:
    SEGMENTER = f"icu{_icu_version.icu_version}"
else:  # pragma: no cover
    SEGMENTER = "syllables"


def enabled():
    """Whether Khmer is cut into dictionary words (else into syllables)."""
    return WordBreaker is not None


def syllables(run):
    """The syllables of a Khmer run, with their offsets in it: [(syllable, start, end)]."""
    return [(match.group(), match.start(), match.end()) for match in SYLLABLE_RE.finditer(run)]


def _pieces(run):
    """`run` as (offset, piece) with pieces of at most MAX_RUN characters, cut between
    syllables (a syllable longer than that, a stuck key, is cut anywhere)."""
    if len(run) <= MAX_RUN:
        yield 0, run
        return
    start = 0
    while start < len(run):
        end = min(start + MAX_RUN, len(run))
        if end < len(run):
            boundary = max((s for _syl, s, _e in syllables(run[start:end]) if s > 0),
                           default=0)
            end = start + boundary if boundary else end
        yield start, run[start:end]
        start = end


def spelling(word):
    """One spelling for the variants of a word (subscript DA as TA)."""
    return word.replace(COENG_DA, COENG_TA)


def words(run):
    """The words of a run of Khmer letters, [(word, start, end)] with offsets in `run`, or
    None when no segmenter is installed."""
    if WordBreaker is None:
        return None
    found = []
    for offset, piece in _pieces(run):
        for start, end in WordBreaker(piece, "km").segments():
            found.append((piece[start:end], offset + start, offset + end))
    return found
