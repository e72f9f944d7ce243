"""The domain thesaurus: one concept, named in every content language, found by any name.

The thesaurus is a data file (search_index/thesaurus.json, or the file SEARCH_THESAURUS names)
that experts extend. It is applied to queries, not to documents, so an edit counts at once
without re-indexing: a query that names a concept gets one more optional group holding the
concept's other names, each analysed in its own language and weighted below the reader's own
words, so that same-language discussions rank first and the others follow.
"""
import json
import os
from dataclasses import dataclass
from pathlib import Path

from search_index import analysis
from search_index.backend import TermGroup

DEFAULT_PATH = Path(__file__).with_name("thesaurus.json")
SAME_LANGUAGE_WEIGHT = 0.6
OTHER_LANGUAGE_WEIGHT = 0.3


@dataclass(frozen=True)
class Concept:
    """A concept: its names as index terms per language, and the tags that stand for it."""

    id: str
    names: tuple[tuple[str, tuple[str, ...]], ...]  # (lang, analysed terms)
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    concepts: tuple[Concept, ...]

    def tag_synonyms(self, tag):
        """Every tag of the concepts `tag` belongs to (itself included)."""
        found = {tag}
        for concept in self.concepts:
            if tag in concept.tags:
                found.update(concept.tags)
        return sorted(found)


def parse(data):
    """A Thesaurus from the file's JSON structure; names without terms are skipped."""
    concepts = []
    for entry in data.get("concepts", []):
        names = []
        for lang, texts in entry.get("terms", {}).items():
            for text in texts:
                terms = tuple(term for term, _s, _e in analysis.tokens(text, lang))
                if terms and (lang, terms) not in names:
                    names.append((lang, terms))
        concepts.append(Concept(id=entry["id"], names=tuple(names),
                                tags=tuple(entry.get("tags", []))))
    return Thesaurus(concepts=tuple(concepts))


def load(path=None):
    """Read and analyse the thesaurus file."""
    with open(path or DEFAULT_PATH, encoding="utf-8") as handle:
        return parse(json.load(handle))


def _contains(sequence, part):
    width = len(part)
    return any(tuple(sequence[i:i + width]) == part for i in range(len(sequence) - width + 1))


def expansions(thesaurus, text, langs):
    """Optional groups for the concepts `text` names in any of `langs`."""
    analysed = {lang: [term for term, _s, _e in analysis.tokens(text, lang)] for lang in langs}
    groups = []
    for concept in thesaurus.concepts:
        matched = [(lang, terms) for lang, terms in concept.names
                   if lang in analysed and _contains(analysed[lang], terms)]
        if not matched:
            continue
        matched_langs = {lang for lang, _terms in matched}
        matched_terms = {terms for _lang, terms in matched}
        alternatives = {}
        for lang, terms in concept.names:
            if terms in matched_terms:
                continue
            weight = SAME_LANGUAGE_WEIGHT if lang in matched_langs else OTHER_LANGUAGE_WEIGHT
            alternatives[terms] = max(weight, alternatives.get(terms, 0))
        if alternatives:
            groups.append(TermGroup(alternatives=list(alternatives.items())))
    return groups


class ThesaurusCache:
    """The thesaurus of one application, read again when its file changes."""

    def __init__(self, path=None):
        self.path = Path(path) if path else DEFAULT_PATH
        self._stamp = None
        self._value = None

    def get(self):
        stamp = os.stat(self.path).st_mtime_ns
        if stamp != self._stamp:
            self._value, self._stamp = load(self.path), stamp
        return self._value
