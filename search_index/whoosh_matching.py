"""Matching and ranking a SearchPlan over a Whoosh index, a posting list at a time.

Whoosh's own matchers step through the postings one document at a time in Python: about
3 µs a posting once unions, intersections and filters are stacked, so a common word with its
forms in every language took up to 250 ms at 100,000 posts, and a filter or an exclusion
turned off its block skipping. Here each term's postings are read a block at a time into
arrays and combined with numpy: the same BM25F scores (Whoosh's formula and statistics), the
same ties, an exact count for free. Whoosh still stores the index, writes it, merges its
segments and suggests spellings.

Per segment, the columns a query needs (field lengths, dates, scores) and the filters'
document sets are kept between searches: a commit adds a segment and leaves the others,
so their arrays stay valid. Deletions are read afresh for every search.
"""
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

# Whoosh's BM25F defaults, which the index was always ranked with.
B, K1 = 0.75, 1.2
FILTER_CACHE_SIZE = 64
_DECODED_LENGTHS = np.array([byte_to_length(value) for value in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class Term:
    """A term of a field; scored with BM25F times `boost` when the field is scorable."""

    field: str
    text: object
    boost: float = 1.0


@dataclass(frozen=True)
class All:
    """Every part must match; the scores add up."""

    parts: tuple


@dataclass(frozen=True)
class Any:
    """At least one part must match; the scores of those that do add up."""

    parts: tuple


@dataclass(frozen=True)
class Maybe:
    """`required` must match; `optional` adds its score where it matches too."""

    required: object
    optional: object


class SegmentCache:
    """Arrays of each segment that do not change while the segment lives, shared by threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._columns = {}
        self._filters = OrderedDict()

    def column(self, segment, name, read):
        key = (_segment_key(segment), name)
        with self._lock:
            found = self._columns.get(key)
        if found is None:
            found = read()
            with self._lock:
                self._columns[key] = found
        return found

    def filter(self, segment, node, compute):
        key = (_segment_key(segment), node)
        with self._lock:
            found = self._filters.get(key)
            if found is not None:
                self._filters.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._filters[key] = found
            while len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        return found

    def keep_only(self, searcher):
        """Drop what belongs to segments no longer in the searcher's index (merged away)."""
        alive = {_segment_key(segment) for segment, _base in _segments(searcher.reader())}
        with self._lock:
            for store in (self._columns, self._filters):
                for key in [key for key in store if key[0] not in alive]:
                    del store[key]


def _segment_key(reader):
    segment = reader.segment()
    return (segment.index_name(), segment.segment_id())


@dataclass
class Ranked:
    """Document numbers of one page, their scores, and how many documents matched."""

    docnums: list
    scores: list
    total: int


def rank(searcher, cache, query, allowed=None, excluded=None, order="score", limit=10,
         offset=0):
    """The page [offset, offset+limit) of documents matching `query` (None: every document),
    within the `allowed` filter and outside `excluded` ones, in the given order:
    "score" (best first, then older documents), "created" (newest first) or
    "votes" (highest score, then newest)."""
    segments = _segments(searcher.reader())
    if not segments:
        return Ranked(docnums=[], scores=[], total=0)
    statistics = _Statistics(searcher)
    matched_parts, score_parts = [], []
    for segment, _base in segments:
        evaluator = _SegmentEvaluator(segment, statistics, cache, scored=order == "score")
        if query is None:
            matched, scores = np.ones(segment.doc_count_all(), dtype=bool), None
        else:
            matched, scores = evaluator.evaluate(query)
        if allowed is not None:
            matched &= evaluator.filter(allowed)
        if excluded is not None:
            matched &= ~evaluator.filter(excluded)
        matched &= evaluator.live()
        matched_parts.append(matched)
        score_parts.append(scores)
    docnums = np.concatenate([np.flatnonzero(matched) + base
                              for matched, (_segment, base) in zip(matched_parts, segments)])
    total = len(docnums)
    wanted = offset + limit
    if order == "score" and query is not None:
        scores = np.concatenate([scores[matched] for matched, scores
                                 in zip(matched_parts, score_parts)])
        chosen = _top_by_score(docnums, scores, wanted)
        page = chosen[offset:wanted]
        return Ranked(docnums=docnums[page].tolist(), scores=scores[page].tolist(),
                      total=total)
    keys = []
    if order == "votes":
        keys.append(_gathered(segments, matched_parts, cache, "score"))
    keys.append(_gathered(segments, matched_parts, cache, "created"))
    # Newest first, and among equal dates the last indexed first (Whoosh's reversed sort).
    ordering = np.lexsort([-docnums] + [-key for key in reversed(keys)])
    page = ordering[offset:wanted]
    return Ranked(docnums=docnums[page].tolist(), scores=[0.0] * len(page), total=total)


def _segments(reader):
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    # An empty index has an EmptyReader, which has no segment and no documents.
    return [(leaf, base) for leaf, base in leaves if leaf.segment() is not None]


def _top_by_score(docnums, scores, wanted):
    """Positions of the `wanted` best scores, ties to the lower document number."""
    if len(scores) > wanted * 4:
        # Only the documents at or above the wanted-th score can be on the page.
        threshold = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.arange(len(scores))
    ordering = np.lexsort((docnums[candidates], -scores[candidates]))
    return candidates[ordering[:wanted]]


def _gathered(segments, matched_parts, cache, name):
    return np.concatenate([_column(segment, cache, name)[matched]
                           for (segment, _base), matched in zip(segments, matched_parts)])


def _column(segment, cache, name):
    """A sortable numeric field of every document of the segment, as int64."""
    def read():
        size = segment.doc_count_all()
        if not segment.has_column(name):
            return np.zeros(size, dtype=np.int64)
        field = segment.schema[name]
        raw = _stored_numbers(segment.column_reader(name, translate=False), size)
        if raw is None:
            return np.fromiter(segment.column_reader(name), dtype=np.int64, count=size)
        if field.signed:
            # Whoosh stores signed numbers shifted by half their range (offset binary):
            # flipping the top bit gives two's complement.
            top = raw.dtype.type(1 << (raw.dtype.itemsize * 8 - 1))
            raw = (raw ^ top).view(raw.dtype.str.replace("u", "i"))
        return raw.astype(np.int64)
    return cache.column(segment, name, read)


def _stored_numbers(column, size):
    """A Whoosh numeric column read in one go (None when it is another kind of column).

    Its values are fixed-width and big-endian, one a document; documents after the last
    stored value take the column's default.
    """
    if not isinstance(column, NumericColumn.Reader):
        return None
    dtype = np.dtype(">" + column._typecode)
    stored = min(column._count, size)
    values = np.full(size, column._default, dtype=dtype.newbyteorder("="))
    if stored:
        data = column._dbfile.get(column._basepos, stored * dtype.itemsize)
        values[:stored] = np.frombuffer(data, dtype=dtype)
    return values


class _Statistics:
    """Whole-index figures BM25F needs, as Whoosh's scorer reads them."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.documents = searcher.doc_count_all()
        self._idf, self._average = {}, {}

    def idf(self, field, text):
        key = (field, text)
        if key not in self._idf:
            frequency = self.searcher.doc_frequency(field, text)
            self._idf[key] = math.log(self.documents / (frequency + 1)) + 1
        return self._idf[key]

    def average_length(self, field):
        if field not in self._average:
            self._average[field] = self.searcher.avg_field_length(field) or 1
        return self._average[field]


class _SegmentEvaluator:
    def __init__(self, segment, statistics, cache, scored=True):
        self.segment = segment
        self.size = segment.doc_count_all()
        self.statistics = statistics
        self.cache = cache
        self.scored = scored

    def evaluate(self, node):
        """(matched, scores) arrays of the segment's documents; scores None when unscored."""
        if isinstance(node, Term):
            return self._term(node)
        if isinstance(node, Maybe):
            matched, scores = self.evaluate(node.required)
            extra_matched, extra = self.evaluate(node.optional)
            if scores is not None:
                scores = scores + np.where(extra_matched, extra, 0.0)
            return matched, scores
        results = [self.evaluate(part) for part in node.parts]
        matched = results[0][0].copy()
        for part_matched, _scores in results[1:]:
            if isinstance(node, All):
                matched &= part_matched
            else:
                matched |= part_matched
        if not self.scored:
            return matched, None
        scores = np.zeros(self.size)
        for part_matched, part_scores in results:
            scores += np.where(part_matched, part_scores, 0.0)
        return matched, scores

    def filter(self, node):
        """The documents matching an unscored node, kept for the segment's lifetime."""
        unscored = _SegmentEvaluator(self.segment, self.statistics, self.cache, scored=False)
        return self.cache.filter(self.segment, node, lambda: unscored.evaluate(node)[0])

    def live(self):
        alive = np.ones(self.size, dtype=bool)
        deleted = self.segment.deleted_docs_set
        if deleted:
            alive[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
        return alive

    def _term(self, term):
        matched = np.zeros(self.size, dtype=bool)
        docnums, weights = _postings(self.segment, term.field, term.text)
        matched[docnums] = True
        if not self.scored:
            return matched, None
        scores = np.zeros(self.size)
        if len(docnums):
            if self.segment.schema[term.field].scorable:
                lengths = self._lengths(term.field)[docnums]
                idf = self.statistics.idf(term.field, term.text)
                average = self.statistics.average_length(term.field)
                scores[docnums] = term.boost * idf * (weights * (K1 + 1)) / (
                    weights + K1 * ((1 - B) + B * lengths / average))
            else:
                scores[docnums] = term.boost * weights
        return matched, scores

    def _lengths(self, field):
        segment = self.segment

        def read():
            stored = _stored_numbers(segment._perdoc._cached_reader(
                _lenfield(field), LENGTHS_COLUMN), self.size)
            if stored is None:
                # Matched documents always have a length, so the default never scores.
                return np.fromiter((segment.doc_field_length(docnum, field, 1)
                                    for docnum in range(self.size)), dtype=np.float64,
                                   count=self.size)
            # Whoosh keeps a length in one lossy byte; its scorer uses the decoded length.
            return _DECODED_LENGTHS[stored]
        return self.cache.column(segment, f"length:{field}", read)


def _postings(segment, field, text):
    """(docnums, weights) of a term in one segment, deleted documents included."""
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
    try:
        matcher = segment.postings(field, text)
    except (TermNotFound, ValueError):
        return empty
    # Deletions are applied by the caller, to every term at once.
    matcher = getattr(matcher, "child", matcher)
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        return _read_blocks(matcher)
    docnums, weights = [], []
    while matcher.is_active():
        docnums.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(docnums, dtype=np.int64), np.array(weights, dtype=np.float64)


def _read_blocks(matcher):
    """A leaf matcher's postings a block at a time: its stored tuples, without stepping."""
    docnums, weights = [], []
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        ids, stored, _values = matcher._data
        # Block ids are stored as differences; the first is from zero.
        docnums.append(np.cumsum(np.array(ids, dtype=np.int64)))
        count = len(ids)
        if stored is None:
            weights.append(np.ones(count))
        elif isinstance(stored, float):
            weights.append(np.full(count, stored))
        else:
            weights.append(np.array(stored, dtype=np.float64))
        matcher._next_block()
    if not docnums:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(docnums), np.concatenate(weights)
