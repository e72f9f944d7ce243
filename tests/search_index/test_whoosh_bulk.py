"""The bulk writer of `flask search rebuild` makes the index Whoosh's own writer makes.

Same terms, same postings (documents, weights, frequencies), same term statistics, same
stored fields, lengths and columns, so whoosh_matching and Whoosh read and rank it alike.
"""
import random
from datetime import datetime, timedelta

import pytest
from whoosh import index as whoosh_index

from search_index import whoosh_matching as matching
from search_index.documents import SearchDocument
from search_index.whoosh_backend import WhooshBackend, _fields, schema
from search_index.whoosh_bulk import BulkWriter, SplitWriter

WORDS = ("maraude accueil famille enfant école santé papiers logement repas rue foyer juge "
         "tuteur âge évaluation confiance écoute rue calle niño familia street child").split()


def _documents(count):
    rnd = random.Random(11)
    for number in range(1, count + 1):
        # Common words reach several blocks of 128 postings; rare ones one posting.
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(2, 40))]
        words += [f"rare{number}"] * rnd.randint(0, 2)
        yield SearchDocument(
            kind="question", id=number, title=" ".join(words[:5]),
            text=" ".join(words[5:]) + (" ក្មេងកំព្រា" if number % 13 == 0 else ""),
            lang=rnd.choice(("fr", "en", "es", "km")),
            created_at=datetime(2025, 1, 1) + timedelta(minutes=number),
            tags=rnd.sample(("sante", "droit", "ecole", "rue"), rnd.randint(0, 3)),
            users=[f"user{number % 7}"], score=rnd.randint(-3, 9),
            answer_count=rnd.randint(0, 3), accepted=rnd.random() < 0.3,
            boost=1.5 if number % 9 == 0 else 1.0)


def _with_boost(document):
    fields = _fields(document)
    if document.boost != 1.0:
        fields["_boost"] = document.boost
    return fields


# The commit encodes half of each field's terms in a forked helper for large indexes: 0 makes
# it do so here, None keeps the default (this index is too small for it).
@pytest.fixture(scope="module", params=[0, None], ids=["with-helper", "alone"])
def readers(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("bulk")
    (folder / "whoosh").mkdir()
    (folder / "bulk").mkdir()
    reference = whoosh_index.create_in(str(folder / "whoosh"), schema())
    bulk = whoosh_index.create_in(str(folder / "bulk"), schema())
    writer = reference.writer()
    bulk_writer = (BulkWriter(bulk) if request.param is None
                   else BulkWriter(bulk, helper_from=request.param))
    for document in _documents(700):
        writer.add_document(**_with_boost(document))
        bulk_writer.add(_with_boost(document))
    writer.commit(optimize=True)
    bulk_writer.commit()
    with reference.reader() as expected, bulk.reader() as got:
        yield expected, got


def test_same_terms_postings_and_statistics(readers):
    expected, got = readers
    terms = list(expected.all_terms())
    assert terms == list(got.all_terms())
    assert any(expected.doc_frequency(field, text) > 128 for field, text in terms)
    for field, text in terms:
        want, have = expected.term_info(field, text), got.term_info(field, text)
        assert (have.weight(), have.doc_frequency(), have.min_length(), have.max_length(),
                have.max_weight(), have.min_id(), have.max_id()) == (
            want.weight(), want.doc_frequency(), want.min_length(), want.max_length(),
            want.max_weight(), want.min_id(), want.max_id()), (field, text)
        # The posting lists are the very bytes Whoosh writes.
        assert want.extent() == have.extent()
        offset, (length,) = want.extent()
        assert (got._terms._postfile.get(offset, length)
                == expected._terms._postfile.get(offset, length)), (field, text)
        assert (list(got.postings(field, text).items_as("weight"))
                == list(expected.postings(field, text).items_as("weight"))), (field, text)
        if field in ("content", "pairs"):
            assert (list(got.postings(field, text).items_as("frequency"))
                    == list(expected.postings(field, text).items_as("frequency")))


def test_same_documents_lengths_and_columns(readers):
    expected, got = readers
    assert got.doc_count_all() == expected.doc_count_all() == 700
    for docnum in range(700):
        assert got.stored_fields(docnum) == expected.stored_fields(docnum)
        for field in ("content", "pairs", "spell", "side"):
            assert got.doc_field_length(docnum, field) == expected.doc_field_length(
                docnum, field)
    for column in ("score", "created"):
        assert list(got.column_reader(column)) == list(expected.column_reader(column))
    for field in ("content", "pairs", "spell", "side"):
        assert got.field_length(field) == expected.field_length(field)


def test_bulk_rebuild_ranks_as_before(tmp_path):
    """A rebuilt index answers whoosh_matching's queries as the index put a post at a
    time does (boosted articles included)."""
    documents = list(_documents(300))
    put = WhooshBackend(tmp_path / "put")
    with put.batch() as writer:
        for document in documents:
            writer.put(document)
    rebuilt = WhooshBackend(tmp_path / "rebuilt")
    assert rebuilt.rebuild(iter(documents)) == 300
    reader = rebuilt._searcher().reader()
    common = sorted(reader.lexicon("content"), key=lambda term: -reader.doc_frequency(
        "content", term))[:2]
    query = matching.Any((matching.Term("content", common[0]),
                          matching.Term("content", common[1], 0.5)))
    answers = []
    for backend in (put, rebuilt):
        ranked = matching.rank(backend._searcher(), matching.SegmentCache(), query, limit=50)
        answers.append(([backend._searcher().stored_fields(n)["key"] for n in ranked.docnums],
                        [round(score, 5) for score in ranked.scores], ranked.total))
    assert answers[0] == answers[1]
    assert answers[0][2] > 50


def test_a_refused_value_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    writer = BulkWriter(whoosh_index.create_in(str(folder), schema()))
    first, second, third = list(_documents(3))
    writer.add(_fields(first))
    with pytest.raises(Exception):
        writer.add(dict(_fields(second), score="not a number"))
    writer.add(_fields(third))
    writer.commit()
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        assert [fields["key"] for fields in searcher.all_stored_fields()] == [
            first.key, third.key]
        assert searcher.doc_count() == 2


def _index(folder):
    folder.mkdir()
    return whoosh_index.create_in(str(folder), schema())


def test_split_writer_in_a_second_process_writes_the_same_index(tmp_path):
    documents = [_with_boost(document) for document in _documents(150)]
    single, split = _index(tmp_path / "single"), _index(tmp_path / "split")
    writer = BulkWriter(single)
    for fields in documents:
        writer.add(fields)
    writer.commit()
    # A threshold this low forks the second process after ten documents.
    writer = SplitWriter(split, threshold=10, batch=7)
    for fields in documents:
        writer.add(fields)
    assert writer._process is not None
    writer.commit()
    with single.reader() as expected, split.reader() as got:
        terms = list(expected.all_terms())
        assert terms == list(got.all_terms())
        for field, text in terms:
            assert (list(got.postings(field, text).items_as("weight"))
                    == list(expected.postings(field, text).items_as("weight")))
        assert list(got.all_stored_fields()) == list(expected.all_stored_fields())


def test_split_writer_says_why_its_second_process_failed(tmp_path):
    writer = SplitWriter(_index(tmp_path / "index"), threshold=5, batch=5)
    for fields in [_fields(document) for document in _documents(20)]:
        writer.add(fields)
    writer.add(dict(_fields(next(_documents(1))), nonsense="x"))
    with pytest.raises(RuntimeError, match="nonsense"):
        writer.commit()
    writer.cancel()
    assert writer._process is None


def test_split_writer_writes_on_one_core_where_it_may_not_fork(tmp_path, monkeypatch):
    def no_fork(method):
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr("search_index.whoosh_bulk.multiprocessing.get_context", no_fork)
    index = _index(tmp_path / "index")
    writer = SplitWriter(index, threshold=5, batch=5)
    documents = list(_documents(40))
    for document in documents:
        writer.add(_fields(document))
    assert writer._process is None
    writer.commit()
    with index.searcher() as searcher:
        assert [fields["key"] for fields in searcher.all_stored_fields()] == [
            document.key for document in documents]


def test_a_failing_commit_helper_fails_the_rebuild_and_says_why(tmp_path, monkeypatch):
    from search_index import whoosh_bulk

    encode = whoosh_bulk._Blocks.encode

    def second_half_fails(self, first, last):
        if first > 0:  # the helper's half
            raise MemoryError("helper out of memory")
        return encode(self, first, last)

    monkeypatch.setattr(whoosh_bulk._Blocks, "encode", second_half_fails)
    index = _index(tmp_path / "index")
    writer = BulkWriter(index, helper_from=0)
    for document in _documents(50):
        writer.add(_fields(document))
    with pytest.raises(RuntimeError, match="helper out of memory"):
        writer.commit()
    writer.cancel()  # as WhooshBackend.rebuild does: nothing of it stays open or locked
    lock = index.lock("WRITELOCK")
    assert lock.acquire()
    lock.release()
    assert index.is_empty()
