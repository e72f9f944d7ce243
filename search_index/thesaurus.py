"""The domain thesaurus: one concept, named in every content language, found by any name.

The thesaurus is a data file (search_index/thesaurus.json, or the file SEARCH_THESAURUS names)
that experts extend. It is loaded into the index: each document is indexed with the ids of the
concepts it names (in its own language) or is tagged with, and a query naming a concept in any
language gets one more optional term, that concept, weighted below the reader's own words, so
that discussions using those words rank first and the others follow. One term per concept keeps
queries fast (matching every other name as a phrase at query time cost Whoosh seconds on
100,000 posts).

Experts edit the concepts from a page (search_index.concepts): they live in the database,
seeded from the file while the table is empty, and a change re-indexes only the posts that
held the concept's old or new names. Each process keeps the parsed thesaurus and reads one
version token per use (ThesaurusStore) to know when another process changed it.
"""
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from search_index import analysis, khmer
from search_index.backend import CONCEPT_PREFIX, TermGroup

DEFAULT_PATH = Path(__file__).with_name("thesaurus.json")
# What a concept weighs for each word of the name the query holds: a post naming it in another
# language ranks as one holding those words in its title and text (a word there scores about
# 1.5 times a word of the text alone), a little less; so below a post in the reader's language
# holding the whole name (its words, their phrase and the concept), well above a post sharing
# only one of them.
CONCEPT_WEIGHT = 1.4


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
            text = (" " + analysis.terms(document.title, document.lang) + " "
                    + analysis.terms(document.text, document.lang) + " ")
            for first in names.keys() & set(text.split()):
                for _name, needle, concept in names[first]:
                    # Terms hold no space: " a b " inside the text is the terms a, b in a row.
                    if concept not in found and needle in text:
                        found.add(concept)
        return sorted(found)

    @functools.cached_property
    def _lookup(self):
        """({tag: [concept ids]}, {lang: {first term of a name: [(its terms, " its terms ",
        concept id)]}})."""
        by_tag, by_first_term = {}, {}
        for concept in self.concepts:
            for tag in concept.tags:
                by_tag.setdefault(tag, []).append(concept.id)
            for lang, name in concept.names:
                by_first_term.setdefault(lang, {}).setdefault(name[0], []).append(
                    (name, " " + " ".join(name) + " ", concept.id))
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


def read_file(path=None):
    """The JSON structure of the thesaurus file (SEARCH_THESAURUS, or the shipped one)."""
    with open(path or DEFAULT_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def load(path=None):
    """Read and analyse the thesaurus file."""
    return parse(read_file(path))


def _words(terms):
    """How many words a name's terms stand for: one term a word, but without a Khmer
    segmenter Khmer is indexed as syllable pairs, and a run of them counts as one word."""
    if khmer.enabled():
        return len(terms)
    khmer_terms = [term for term in terms if analysis.KHMER_RE.match(term)]
    return len(terms) - len(khmer_terms) + (1 if khmer_terms else 0)


def expansions(thesaurus, text, langs):
    """One optional group per concept that `text` names in any of `langs`.

    The group ranks a post that carries the concept in another language as if it held the
    name's words: the concept term weighs CONCEPT_WEIGHT per word of the longest name the
    query holds. The name's phrase is an alternative of the same group (weight 1), so that a
    post in the reader's language holding the whole name gets the phrase, the concept and its
    words, and stays slightly above. The query's own words keep their groups: posts sharing
    only one of them still match, below both.
    """
    _by_tag, by_first_term = thesaurus._lookup
    named = {}
    for lang in langs:
        terms = [term for term, _s, _e in analysis.tokens(text, lang)]
        joined = " " + " ".join(terms) + " "
        candidates = by_first_term.get(lang, {})
        # Only the names whose first term the query holds (every name of every concept was
        # 8 ms of each search at 76 concepts).
        for first in candidates.keys() & set(terms):
            for name, needle, concept_id in candidates[first]:
                if needle in joined:
                    named.setdefault(concept_id, set()).add((lang, name))
    groups = []
    for concept in thesaurus.concepts:
        if concept.id not in named:
            continue
        phrases = [terms for lang, terms in concept.names if (lang, terms) in named[concept.id]]
        width = max(_words(terms) for terms in phrases)
        alternatives = [(terms, 1.0) for terms in dict.fromkeys(phrases) if len(terms) > 1]
        alternatives.append(((CONCEPT_PREFIX + concept.id,), CONCEPT_WEIGHT * width))
        groups.append(TermGroup(alternatives=alternatives))
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


def entries(rows):
    """The file's JSON structure of concepts read from the database (ThesaurusConcept rows)."""
    return {"concepts": [{"id": row.slug, "terms": dict(row.names or {}),
                          "tags": row.tags.split()} for row in rows]}


# Where an application context keeps the version token it read (flask.g): one read per request
# or command, not one per use (a search and the indexing after a post each use the thesaurus).
_CHECKED = "carnets_thesaurus_token"
_UNREAD = object()


def forget_version():
    """Make the next use in this application context read the version token again (after a
    change of the concepts, before its commit: the indexing after the commit needs them)."""
    from flask import g

    g.pop(_CHECKED, None)


class ThesaurusStore:
    """The thesaurus of one application, from the database, read again when its version token
    changes; while the table has never been filled, the file's (see ThesaurusCache)."""

    def __init__(self, path=None):
        self.file = ThesaurusCache(path)
        self._token = None
        self._value = None

    def get(self):
        # Imported here: the models need the application's database, which the bare parsing
        # above (used by benchmarks and tools) does not.
        from flask import g
        from sqlalchemy import select

        from core.extensions import db
        from search_index.models import ThesaurusConcept, ThesaurusVersion

        token = g.get(_CHECKED, _UNREAD)
        if token is _UNREAD or (token is not None and token != self._token):
            # A connection of its own: indexing runs after a commit, when the shared session
            # may emit no more SQL, and a search must not begin the request's transaction.
            with db.engine.connect() as connection:
                token = connection.scalar(select(ThesaurusVersion.token)
                                          .where(ThesaurusVersion.id == 1))
                if token is not None and token != self._token:
                    rows = connection.execute(
                        select(ThesaurusConcept.slug, ThesaurusConcept.names,
                               ThesaurusConcept.tags).order_by(ThesaurusConcept.slug)).all()
                    self._value, self._token = parse(entries(rows)), token
            setattr(g, _CHECKED, token)
        if token is None:
            return self.file.get()
        return self._value
