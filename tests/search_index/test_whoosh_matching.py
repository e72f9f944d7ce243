"""The array ranking of the Whoosh backend gives what Whoosh's own matchers give, exhaustively.

The index is spread over several segments with deletions, as a live site's index is between
merges; every result list is compared with Whoosh searching without any skipping.
"""
import random
from datetime import datetime, timedelta

import pytest
from whoosh import query as q

from search_index import whoosh_matching as matching
from search_index.documents import SearchDocument
from search_index.whoosh_backend import WhooshBackend, _Writer

WORDS = ("maraude accueil famille enfant école santé papiers logement repas rue foyer "
         "juge tuteur âge évaluation").split()
LANGS = ("fr", "en", "es")
TAGS = ("sante", "droit", "ecole")


def _document(number, rnd):
    words = [rnd.choice(WORDS[: rnd.randint(3, len(WORDS))]) for _ in range(rnd.randint(3, 30))]
    return SearchDocument(
        kind="question", id=number, title=" ".join(words[:4]), text=" ".join(words[4:]),
        lang=rnd.choice(LANGS), created_at=datetime(2025, 1, 1) + timedelta(hours=number % 97),
        tags=rnd.sample(TAGS, rnd.randint(0, 2)), users=[f"user{number % 5}"],
        score=rnd.randint(-2, 6), answer_count=rnd.randint(0, 2),
        accepted=rnd.random() < 0.3, boost=1.5 if number % 11 == 0 else 1.0)


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    rnd = random.Random(7)
    backend = WhooshBackend(tmp_path_factory.mktemp("matching"))
    # Four commits without merging: four segments; then deletions in the older ones.
    number = 0
    for size in (300, 120, 40, 9):
        writer = backend._open().writer()
        for _ in range(size):
            number += 1
            _Writer(writer).put(_document(number, rnd))
        writer.commit(merge=False)
    writer = backend._open().writer()
    for key in range(1, number, 13):
        writer.delete_by_term("key", f"question:{key}")
    writer.commit(merge=False)
    yield backend
    backend.close()


def _whoosh(node):
    if isinstance(node, matching.Term):
        return q.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, matching.Maybe):
        return q.AndMaybe(_whoosh(node.required), _whoosh(node.optional))
    kind = q.And if isinstance(node, matching.All) else q.Or
    return kind([_whoosh(part) for part in node.parts])


def _content(*words, boost=1.0):
    terms = [matching.Term("content", word, boost) for word in words]
    return terms[0] if len(terms) == 1 else matching.Any(tuple(terms))


QUERIES = [
    _content("maraud"),
    _content("accueil", "famill", "enfant"),
    matching.All((_content("accueil"), _content("repas", boost=0.5))),
    matching.Maybe(_content("enfant"), _content("ecol", "sant", boost=0.7)),
    matching.Term("pairs", "accueil|famill"),
    _content("absent"),
]
FILTERS = [None, matching.Term("lang", "fr"), matching.Term("accepted", True),
           matching.All((matching.Term("tags", "sante"),
                         matching.Any((matching.Term("lang", "en"), matching.Term("lang", "es")))))]


@pytest.mark.parametrize("allowed", FILTERS)
@pytest.mark.parametrize("node", QUERIES)
def test_ranked_like_whoosh_without_skipping(backend, node, allowed):
    searcher = backend._searcher()
    assert len(searcher.reader().leaf_readers()) > 1
    wanted = {docnum for docnum in searcher.docs_for_query(_whoosh(allowed))} \
        if allowed is not None else None
    expected = searcher.search(_whoosh(node), limit=None, filter=wanted, terms=False) \
        if wanted != set() else []
    expected_docs = [hit.docnum for hit in expected]
    for offset in (0, 10):
        ranked = matching.rank(searcher, backend._arrays, node, allowed=allowed,
                               limit=10, offset=offset)
        assert ranked.total == len(expected_docs)
        assert ranked.docnums == expected_docs[offset:offset + 10]
        assert ranked.scores == pytest.approx([hit.score for hit in expected][offset:offset + 10])


@pytest.mark.parametrize("order, sortedby", [("created", "created"),
                                             ("votes", ["score", "created"])])
def test_sorted_like_whoosh(backend, order, sortedby):
    searcher = backend._searcher()
    node = _content("enfant", "papier")
    expected = [hit.docnum for hit in searcher.search(_whoosh(node), limit=None,
                                                      sortedby=sortedby, reverse=True)]
    ranked = matching.rank(searcher, backend._arrays, node, order=order, limit=len(expected))
    assert ranked.docnums == expected


def test_deleted_and_excluded_documents_never_come_back(backend):
    searcher = backend._searcher()
    ranked = matching.rank(searcher, backend._arrays, None, order="created", limit=10_000)
    keys = {searcher.stored_fields(docnum)["key"] for docnum in ranked.docnums}
    assert "question:1" not in keys and "question:14" not in keys
    assert len(keys) == searcher.doc_count() == ranked.total
    excluded = _content("maraud")
    without = matching.rank(searcher, backend._arrays, _content("enfant"), excluded=excluded,
                            limit=10_000)
    holding = set(searcher.docs_for_query(_whoosh(excluded)))
    assert without.docnums and not holding & set(without.docnums)


def test_cached_arrays_follow_new_segments_and_deletions(tmp_path):
    rnd = random.Random(3)
    backend = WhooshBackend(tmp_path)
    with backend.batch() as writer:
        for number in range(1, 50):
            writer.put(_document(number, rnd))
    node = _content("accueil")
    allowed = matching.Term("lang", "fr")
    first = matching.rank(backend._searcher(), backend._arrays, node, allowed=allowed)
    with backend.batch() as writer:
        writer.put(SearchDocument(kind="question", id=500, title="accueil accueil accueil",
                                  text="accueil", lang="fr", created_at=datetime(2026, 1, 1)))
        writer.remove(backend._searcher().stored_fields(first.docnums[0])["key"])
    searcher = backend._searcher()
    again = matching.rank(searcher, backend._arrays, node, allowed=allowed)
    keys = [searcher.stored_fields(docnum)["key"] for docnum in again.docnums]
    assert keys[0] == "question:500"
    assert again.total == first.total
    backend.close()
