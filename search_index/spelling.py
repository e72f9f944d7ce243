""""Did you mean" in the language the query is written in.

Each engine keeps its spelling vocabulary per language (the language of the documents a word
was read in). A query is corrected from one language only, so that a Spanish query never gets
an English or French word in the middle ("nino que huye" became "nino que have"); the language
is the one `lang:` names, or else the one most of the query's words belong to (a word the
vocabulary of a language holds, or a stop word of it: "que", "de" say a lot). A word any
language's vocabulary holds is spelled correctly somewhere and is never replaced.
"""
import re

from search_index import analysis

# Words shorter than this are not corrected (too many neighbours at distance 2).
MIN_LENGTH = 4
# Up to this length a word is corrected by one letter at most: two letters of four make
# another word ("huye", Spanish for "flees", is not a slip for "hay").
SHORT_WORD = 4


def max_distance(word):
    """How many letters a correction of `word` may change."""
    return 1 if len(word) <= SHORT_WORD else 2


def query_language(words, known, candidates):
    """The languages among `candidates` that most of the folded `words` belong to, best
    first (several when they tie). `known` is {word: languages whose vocabulary holds it}."""
    votes = {lang: 0 for lang in candidates}
    for word in words:
        for lang in set(known.get(word, ())) | analysis.stop_word_languages(word):
            if lang in votes:
                votes[lang] += 1
    best = max(votes.values(), default=0)
    return [lang for lang in candidates if votes[lang] == best]


def distance(first, second):
    """Edit distance, a swap of two neighbouring letters counting as one edit."""
    previous2, previous = None, list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _replace(text, word, correction):
    """`text` with its first occurrence of the whole word `word` replaced."""
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", lambda _match: correction, text, count=1)


def suggestion(parsed, backend, languages, preferred=None):
    """The query with its unknown words corrected from one language's vocabulary, or None.

    `languages` are the content languages; `preferred` (the reader's interface language)
    settles a tie between languages that correct as many words.
    """
    folded = {word: analysis.spelling_form(word) for word in parsed.words}
    forms = sorted(set(folded.values()))
    if not forms:
        return None
    candidates = [lang for lang in languages if not parsed.langs or lang in parsed.langs]
    known = backend.spelling_languages(forms, list(languages))
    # No vocabulary holds Khmer (analysis.spelling_terms): a Khmer word is never corrected.
    unknown = [form for form in forms if not known.get(form)
               and not analysis.stop_word_languages(form) and len(form) >= MIN_LENGTH
               and not analysis.KHMER_RE.search(form)]
    if not unknown or not candidates:
        return None
    tied = query_language(forms, known, candidates)
    if preferred in tied:
        tied = [preferred] + [lang for lang in tied if lang != preferred]
    corrections, best = {}, None
    # Among languages the query belongs to as much: the one that corrects most of the
    # misspelled words, then the one whose corrections are closest ("inteprrète" is one swap
    # from French "interprète", three letters from English "interpreter"), then the reader's
    # language.
    by_language = backend.corrections(unknown, tied)
    for rank, lang in enumerate(tied):
        found = by_language.get(lang)
        if not found:
            continue
        key = (-len(found), sum(distance(form, found[form]) for form in found), rank)
        if best is None or key < best:
            corrections, best = found, key
    text = parsed.text
    for word, form in folded.items():
        if form in corrections:
            text = _replace(text, word, corrections[form])
    return text if text != parsed.text else None
