"""What the search index holds: one document per thread or article, in plain text."""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SearchDocument:
    """A searchable unit: a question with its live answers, or a published article.

    `key` is "<kind>:<id>", unique across kinds. Text is plain (no markup); only what every
    reader may see goes in, so nothing hidden can leak through the index.
    """

    kind: str
    id: int
    title: str
    text: str
    lang: str
    created_at: datetime
    tags: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    score: int = 0
    answer_count: int = 0
    accepted: bool = False
    # Ids of the thesaurus concepts the document names or is tagged with (set at indexing).
    concepts: list[str] = field(default_factory=list)
    # Relevance multiplier: curated articles rank above threads that match as well.
    boost: float = 1.0

    @property
    def key(self):
        return make_key(self.kind, self.id)


def make_key(kind, ident):
    """The index key of a document."""
    return f"{kind}:{ident}"


def split_key(key):
    """(kind, id) from an index key."""
    kind, _, ident = key.partition(":")
    return kind, int(ident)


@dataclass
class Hit:
    """One result from a backend, before the provider turns it into a card."""

    key: str
    relevance: float
    title: str
    text: str
    lang: str


@dataclass
class HitPage:
    """One page of a backend's results, with the total number of matching documents."""

    hits: list[Hit]
    total: int
    # False when counting stopped at COUNT_LIMIT: there are more than `total` matches.
    exact: bool = True


# Readers page through 100 pages at most: counting matches beyond that costs time for nothing.
COUNT_LIMIT = 1000


@dataclass
class Related:
    """A labelled link a card shows under its title ("Same subject as: <original>")."""

    label: object
    title: str
    url: str
    lang: str | None = None


@dataclass
class Card:
    """What a results page shows of a document, read from the database at search time."""

    kind: str
    id: int
    url: str
    title: str
    lang: str
    tags: list[str]
    score: int
    answer_count: int
    accepted: bool
    author_name: str
    author_url: str
    updated_at: datetime
    # A word after the title ("closed", "duplicate") and a link to a related document (the
    # original of a duplicate question), set by the provider.
    mark: object = None
    related: Related | None = None
