"""The domain thesaurus: one concept, named in every content language, found by any name.

The thesaurus is a data file (search_index/thesaurus.json, or the file SEARCH_THESAURUS names)
that experts extend. It is loaded into the index: each document is indexed with the ids of the
concepts it names (in its own language) or is tagged with, and a query naming a concept in any
language gets one more optional term, that concept, weighted below the reader's own words, so
that discussions using those words rank first and the others follow. One term per concept keeps
queries fast (matching every other name as a phrase at query time cost Whoosh seconds on
100,000 posts). After editing the file, `flask search rebuild` applies it to indexed posts.
"""
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from search_index import analysis
from search_index.backend import CONCEPT_PREFIX, TermGroup

DEFAULT_PATH = Path(__file__).with_name("thesaurus.json")
# A concept weighs half a word of the reader's own: their words first, then the concept.
CONCEPT_WEIGHT = 0.5


@dataclass(frozen=True)
class Concept:
    """A concept: its names as index terms per language, and the tags that stand for it."""

    id: str
    names: tuple[tuple[str, tuple[str, ...]], ...]  # (lang, analysed terms)
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    concepts: tuple[Concept, ...]

    def concepts_of(self, document):
        """Sorted ids of the concepts `document` names in its language or is tagged with."""
        by_tag, by_first_term = self._lookup
        found = {concept for tag in document.tags for concept in by_tag.get(tag, ())}
        names = by_first_term.get(document.lang)
        if names:
            # Only the names whose first term the document holds are looked for: a rebuild
            # asks this of every post, and the thesaurus grows.
            terms = (analysis.terms(document.title, document.lang) + " "
                     + analysis.terms(document.text, document.lang)).split()
            for first in names.keys() & set(terms):
                for name, concept in names[first]:
                    if concept not in found and _holds(terms, name):
                        found.add(concept)
        return sorted(found)

    @functools.cached_property
    def _lookup(self):
        """({tag: [concept ids]}, {lang: {first term of a name: [(name, concept id)]}})."""
        by_tag, by_first_term = {}, {}
        for concept in self.concepts:
            for tag in concept.tags:
                by_tag.setdefault(tag, []).append(concept.id)
            for lang, name in concept.names:
                by_first_term.setdefault(lang, {}).setdefault(name[0], []).append(
                    (name, concept.id))
        return by_tag, by_first_term

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


def _holds(terms, name):
    """Whether the list `terms` holds the tuple `name` (terms that follow each other)."""
    first, width = name[0], len(name)
    start = terms.index(first)
    while True:
        if tuple(terms[start:start + width]) == name:
            return True
        try:
            start = terms.index(first, start + 1)
        except ValueError:
            return False


def expansions(thesaurus, text, langs):
    """One optional group per concept that `text` names in any of `langs`."""
    analysed = {lang: [term for term, _s, _e in analysis.tokens(text, lang)] for lang in langs}
    return [TermGroup(alternatives=[((CONCEPT_PREFIX + concept.id,), CONCEPT_WEIGHT)])
            for concept in thesaurus.concepts
            if any(lang in analysed and _contains(analysed[lang], terms)
                   for lang, terms in concept.names)]


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
