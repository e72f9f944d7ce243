"""The interface every search engine implements, and the plan a query is turned into.

The service builds a `SearchPlan` from the reader's query (terms already analysed by
`search_index.analysis`), so a backend only translates a plan into its own query language;
relevance, paging and filters then mean the same in Whoosh and in PostgreSQL.
"""
import abc
from dataclasses import dataclass, field

from search_index.documents import HitPage


# A query term standing for a thesaurus concept rather than a word ("concept:street-outreach");
# analysis never makes a text term with a colon.
CONCEPT_PREFIX = "concept:"


def is_side_term(term):
    """Whether a query term is a side term (a concept, a Khmer syllable: "prefix:value"),
    looked up among a document's side terms rather than in its text."""
    return ":" in term


class Busy(Exception):
    """Another process is writing to the index and the caller chose not to wait."""


@dataclass
class TermGroup:
    """One query word or phrase: it matches when any of its alternatives matches.

    An alternative is a tuple of index terms (several terms make a phrase) with a weight:
    the word itself weighs 1, a synonym from another language less.
    """

    alternatives: list[tuple[tuple[str, ...], float]]

    def is_concept(self):
        """Whether the group stands for a thesaurus concept (with the phrases of its names)
        rather than a word typed."""
        return any(terms[0].startswith(CONCEPT_PREFIX) for terms, _w in self.alternatives)

    def all_terms(self):
        """Every index term of every alternative."""
        return {term for terms, _weight in self.alternatives for term in terms}


@dataclass
class SearchPlan:
    """A query ready for a backend: what must match, what may, what must not, and filters."""

    required: list[TermGroup] = field(default_factory=list)
    optional: list[TermGroup] = field(default_factory=list)
    excluded: list[TermGroup] = field(default_factory=list)
    # Each entry is one tag filter: a document matches it with any of these tags (the tag
    # and its synonyms from the thesaurus); every entry must match.
    tags: list[tuple[str, ...]] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    accepted: bool = False
    answered: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    # Results in this language rank above the same relevance in another one.
    prefer_lang: str | None = None

    @property
    def has_text(self):
        return bool(self.required or self.optional)

    def concept_weight(self):
        """The heaviest weight of a concept alternative in the plan's groups (0.0: none)."""
        return max((weight for group in self.required + self.optional
                    for terms, weight in group.alternatives
                    if terms[0].startswith(CONCEPT_PREFIX)), default=0.0)

    def highlight_terms(self):
        """Every index term a snippet should mark."""
        found = set()
        for group in self.required + self.optional:
            found |= group.all_terms()
        return found


class BatchWriter(abc.ABC):
    """Changes collected by `SearchBackend.batch`, written together when the batch ends."""

    @abc.abstractmethod
    def put(self, document):
        """Add or replace one document (a `SearchDocument`)."""

    @abc.abstractmethod
    def remove(self, key):
        """Remove the document with this key, if it is there."""


class SearchBackend(abc.ABC):
    """A search engine behind Carnets. One instance per application (app.extensions)."""

    name = "abstract"

    @abc.abstractmethod
    def batch(self, wait=True):
        """Context manager yielding a `BatchWriter`; one writer at a time across processes.

        With wait=False it raises `Busy` at once when another process holds the writer.
        """

    @abc.abstractmethod
    def search(self, plan):
        """A `HitPage` for a `SearchPlan`."""

    @abc.abstractmethod
    def spelling_languages(self, words, langs):
        """{word: set of languages among `langs` whose live documents hold the folded word}
        (a word no live document holds is left out)."""

    @abc.abstractmethod
    def corrections(self, words, langs):
        """{lang: {word: closest word of `lang`'s vocabulary that a live document of `lang`
        holds}} for folded query words (the caller passes those no language knows), for each
        of `langs` (a language that corrects nothing may be left out, and so may the languages
        after one that corrects every word by one letter: the suggestion takes the first)."""

    @abc.abstractmethod
    def rebuild(self, documents, progress=None, failed=None):
        """Replace the whole index by `documents` (an iterable) while searches go on.

        `progress(n)` is called as documents are written; returns how many were indexed.
        `failed(key, error)` is told of a document the engine refuses, which is left out;
        without it, the error propagates.
        """

    @abc.abstractmethod
    def clear(self):
        """Empty the index (tests, and before a rebuild from nothing)."""

    @abc.abstractmethod
    def stats(self):
        """{"documents": n, ...} for `flask search stats` and the benchmarks."""

    def forget(self, words):
        """After a redaction, once the documents that held `words` (spelling words) were
        written again: keep none of them where no live document holds them (in the words
        corrections are drawn from, in the files of replaced documents)."""

    def close(self):
        """Release files and connections."""


def empty_page():
    return HitPage(hits=[], total=0)
