"""One post the engine cannot take must not take search down: a Khmer post whose analysis once
made a term longer than PostgreSQL accepts (2047 bytes) answered 500 on every search and ask
page and stopped indexing for good; a post the engine still refuses now fails alone."""
import random
import re
import time

import pytest
from sqlalchemy import select, update

from core.accounts.services import get_user_by_username
from core.extensions import db
from core.timeutil import utcnow
from forum.services import answers, questions
from search_index import analysis, indexing, khmer, registry
from search_index.documents import Card, SearchDocument
from search_index.models import SearchQueue

RESULT_RE = re.compile(r'<h3><a href="/questions/(\d+)/')
# A consonant followed by 800 vowel signs (a stuck key, a pasted run): one "syllable" of
# 2,403 bytes in UTF-8, hence one index term over PostgreSQL's 2,047 bytes.
KHMER_RUN = "ក" + "ា" * 800
KHMER_BODY = "កុមារនៅតាមផ្លូវ " + KHMER_RUN + " នេះជាសំណួរ។"


def _ask(client, title, body, **extra):
    return client.post_form("/questions/ask", {"title": title, "body": body, "tags": "khmer",
                                               "lang": "km", **extra})


def _results(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200, response.status_code
    return [int(n) for n in RESULT_RE.findall(response.get_data(as_text=True))]


def test_a_khmer_post_with_a_huge_term_leaves_search_and_asking_working(app, user_client):
    sok = user_client()
    posted = _ask(sok, "Khmer notes from the night outreach, cormorant", KHMER_BODY)
    assert posted.status_code == 302
    first = int(posted.headers["Location"].split("/")[2])
    # Searching answers, and finds the post itself.
    assert _results(sok, "cormorant") == [first]
    # The next asker's first submit looks for similar threads, then posts.
    other = user_client()
    again = _ask(other, "Where can a girl sleep tonight, flamingo", "A shelter with a bed "
                 "for a girl of twelve, tonight, near the central market.", lang="en")
    assert again.status_code == 302
    second = int(again.headers["Location"].split("/")[2])
    assert _results(other, "flamingo") == [second]
    runner = app.test_cli_runner()
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0, synced.output
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "2 documents indexed" in rebuilt.output
    assert _results(other, "cormorant") == [first]


@pytest.fixture(params=["words", "syllables"])
def segmentation(request, monkeypatch):
    """Both ways Khmer is cut: dictionary words, and syllables where icu4py is missing."""
    if request.param == "syllables":
        monkeypatch.setattr(khmer, "WordBreaker", None)
    elif not khmer.enabled():
        pytest.skip("icu4py is not installed")
    return request.param


def test_every_term_fits_in_either_engine(segmentation):
    """Terms are cut in bytes, after analysis, the same way for a document and a query."""
    weird = [KHMER_RUN, "ក" + "្ក" * 700, "ﷺ" * 200, "𠀀" * 900,
             "ក" + "ា" * 400 + "ខ" + "ិ" * 400]
    for text in weird:
        for term, _start, _end in analysis.tokens(text, "km"):
            assert len(term.encode()) <= analysis.MAX_TERM_BYTES
        for term in analysis.side_terms(text):
            assert len(term.encode()) <= analysis.MAX_TERM_BYTES
    # A query for the same word looks up the same (cut) terms the document holds.
    for text in weird[:2] + weird[-1:]:
        in_document = [term for term, _s, _e in analysis.tokens("ផ្ទះ " + text, "km")][1:]
        if segmentation == "syllables" and len(analysis.khmer_syllables(text)) == 1:
            in_document = analysis.side_terms(text)
        assert analysis.query_forms(text, ["km"])["km"] == in_document


def test_a_huge_khmer_run_is_cut_in_bounded_time(segmentation):
    """A pasted run of 100,000 Khmer characters without a space, or a stuck key, is analysed
    in bounded pieces: quickly, every character in one term, none over the byte bound."""
    runs = ["កុមារត្រូវការសុវត្ថិភាពនិងទីជម្រក" * 3000, "ក" + "ា" * 100_000,
            "ក" + "្ក" * 50_000]
    started = time.perf_counter()
    for run in runs:
        found = list(analysis.tokens(run, "km"))
        assert all(len(term.encode()) <= analysis.MAX_TERM_BYTES for term, _s, _e in found)
        assert found and found[-1][2] == len(run)
    assert time.perf_counter() - started < 10


def _unique_khmer(length, seed):
    """`length` characters of Khmer syllables in a random order: nearly every pair unique."""
    rng = random.Random(seed)
    consonants = [chr(c) for c in range(0x1780, 0x17a3)]
    vowels = [chr(c) for c in range(0x17b6, 0x17c6)]
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(length // 2))


def test_a_thread_of_unique_words_larger_than_a_tsvector_is_indexed(app, seed, make_user,
                                                                     find):
    """PostgreSQL refuses a tsvector over 1 MB: the tail of such a thread's terms is dropped,
    its beginning stays searchable, and the index goes on taking posts."""
    author = make_user()
    with app.app_context(), indexing.deferred():
        # Indexed once, when the thread is complete (as the demo loader does).
        user = get_user_by_username(author)
        question = questions.ask_question(user, "A very long thread of field notes, pelican",
                                          _unique_khmer(29_000, 0), "field", "km").id
        for n in range(1, 6):
            answers.post_answer(user, question, _unique_khmer(29_000, n))
    assert find("pelican") == [question]
    later = seed.question(author, "Asked after the long thread, heron")
    assert find("heron") == [later]


class Notes:
    """A provider of notes for these tests. A note with a score past 2**31 is one the engine
    refuses (an integer column in PostgreSQL, a 32-bit field in Whoosh)."""

    kind = "note"

    def __init__(self):
        self.scores = {}

    def _document(self, ident):
        return SearchDocument(kind=self.kind, id=ident, title=f"Note {ident} on kingfishers",
                              text="A note about the kingfisher project.", lang="en",
                              created_at=utcnow(), score=self.scores[ident])

    def load(self, session, ids):
        return {ident: self._document(ident) for ident in ids if ident in self.scores}

    def batches(self, session, size):
        ids = sorted(self.scores)
        yield from (ids[start:start + size] for start in range(0, len(ids), size))

    def count(self, session):
        return len(self.scores)

    def cards(self, ids, viewer):
        return {ident: Card(kind=self.kind, id=ident, url=f"/notes/{ident}",
                            title=f"Note {ident}", lang="en", tags=[], score=0,
                            answer_count=0, accepted=False, author_name="", author_url="",
                            updated_at=utcnow())
                for ident in ids if ident in self.scores}


REFUSED = 2 ** 40


@pytest.fixture
def notes(app):
    """Notes 1 (fine) and 2 (refused by the engine), queued in one transaction."""
    provider = Notes()
    provider.scores = {1: 0, 2: REFUSED}
    registry.register_provider(app, provider)
    with app.app_context():
        indexing.enqueue("note", 1)
        indexing.enqueue("note", 2)
        db.session.commit()
    yield provider
    registry.state(app).providers.pop("note")


def _queue(app, target_id):
    with app.app_context():
        return db.session.execute(select(SearchQueue.attempts, SearchQueue.last_error,
                                         SearchQueue.retry_at, SearchQueue.done_at)
                                  .where(SearchQueue.kind == "note",
                                         SearchQueue.target_id == target_id)
                                  .order_by(SearchQueue.id)).all()


def test_a_document_the_engine_refuses_fails_alone(app, notes, seed, make_user, find):
    assert find("kingfisher") == [1]
    [(attempts, error, retry_at, done_at)] = _queue(app, 2)
    assert attempts == 1 and done_at is None and retry_at > utcnow()
    assert "out of range" in error and "INSERT" not in error
    # Later posts are indexed; a search does not try the failing note again before its time.
    question = seed.question(make_user(), "A question asked after the failure, kestrel")
    assert find("kestrel") == [question]
    assert _queue(app, 2)[0].attempts == 1
    runner = app.test_cli_runner()
    stats = runner.invoke(args=["search", "stats"]).output
    assert "failing: 1" in stats and "pending: 1" in stats
    # `sync` tries it again now, and says it failed.
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 1
    assert "1 document could not be indexed" in synced.output
    assert _queue(app, 2)[0].attempts == 2
    # Once the document can be indexed, `sync` indexes it and nothing fails any more.
    notes.scores[2] = 3
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0, synced.output
    assert sorted(find("kingfisher")) == [1, 2]
    assert "failing: 0" in runner.invoke(args=["search", "stats"]).output


def test_a_failing_document_is_tried_again_later_then_waits_for_sync(app, notes, find):
    find("kingfisher")
    for attempt in range(2, indexing.MAX_ATTEMPTS + 2):
        with app.app_context():
            # Its next try is due, as if the minutes had passed.
            db.session.execute(update(SearchQueue).where(SearchQueue.target_id == 2)
                               .values(retry_at=utcnow()))
            db.session.commit()
            indexing.drain()
        expected = min(attempt, indexing.MAX_ATTEMPTS)
        assert _queue(app, 2)[0].attempts == expected
    notes.scores[2] = 0
    with app.app_context():
        indexing.drain()
    assert _queue(app, 2)[0].done_at is None
    assert app.test_cli_runner().invoke(args=["search", "sync"]).exit_code == 0
    assert sorted(find("kingfisher")) == [1, 2]


def test_rebuild_indexes_every_other_document(app, notes, seed, make_user, find):
    question = seed.question(make_user(), "Rebuilt beside a refused note, kingfisher")
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "2 documents indexed" in result.output
    assert "1 document could not be indexed" in result.output
    assert sorted(find("kingfisher")) == sorted([1, question])
    # The rebuild counts one more attempt (the search above made the first); the rows of the
    # documents it indexed are done.
    assert [row.attempts for row in _queue(app, 2) if row.done_at is None] == [2]
    assert all(row.done_at for row in _queue(app, 1))
    assert "failing: 1" in app.test_cli_runner().invoke(args=["search", "stats"]).output


def test_moderators_see_that_some_changes_are_not_searchable(app, notes, user_client):
    member, moderator = user_client(), user_client("moderator")
    notice = "Some changes are not searchable yet"
    page = member.get("/search?q=kingfisher")
    assert page.status_code == 200 and notice not in page.get_data(as_text=True)
    page = moderator.get("/search?q=kingfisher")
    assert page.status_code == 200 and notice in page.get_data(as_text=True)
    assert RESULT_RE.findall(page.get_data(as_text=True)) == []  # notes are not questions
    # The ask page still looks for similar threads, then posts.
    posted = _ask(member, "Kingfisher nests near the shelter", "We saw kingfishers near the "
                  "shelter and the children want to know more.", lang="en")
    assert posted.status_code == 302


def test_without_icu4py_the_analysis_falls_back_on_syllables():
    """A platform where icu4py cannot be installed: the application imports and analyses
    Khmer by syllables, under its own analysis version (an index made the other way is
    rebuilt)."""
    import subprocess
    import sys

    script = ("import sys; sys.modules['icu4py'] = None\n"
              "from search_index import analysis\n"
              "print(analysis.ANALYSIS_VERSION)\n"
              "print(' '.join(t for t, _s, _e in analysis.tokens('សុវត្ថិភាពកុមារ', 'km')))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    version, terms = done.stdout.splitlines()
    assert version.endswith("-syllables") and version != analysis.ANALYSIS_VERSION
    syllables = [syllable for syllable, _s, _e in khmer.syllables("សុវត្ថិភាពកុមារ")]
    assert terms.split() == [a + b for a, b in zip(syllables, syllables[1:])]
