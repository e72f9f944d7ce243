"""One post the engine cannot take must not take search down: a Khmer post whose analysis once
made a term longer than PostgreSQL accepts (2047 bytes) answered 500 on every search and ask
page and stopped indexing for good; a post the engine still refuses now fails alone."""
import random
import re

import pytest

from core.accounts.services import get_user_by_username
from forum.services import posting
from search_index import analysis, indexing

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


def test_every_term_fits_in_either_engine():
    """Terms are cut in bytes, after analysis, the same way for a document and a query."""
    weird = [KHMER_RUN, "ក" + "្ក" * 700, "ﷺ" * 200, "𠀀" * 900]
    for text in weird:
        for term, _start, _end in analysis.tokens(text, "km"):
            assert len(term.encode()) <= analysis.MAX_TERM_BYTES
        for term in analysis.side_terms(text):
            assert len(term.encode()) <= analysis.MAX_TERM_BYTES
    # A query for the same word looks up the same (cut) terms the document holds.
    assert analysis.query_forms(KHMER_RUN, ["km"])["km"] == analysis.side_terms(KHMER_RUN)
    pair = "ក" + "ា" * 400 + "ខ" + "ិ" * 400
    assert analysis.query_forms(pair, ["km"])["km"] == [
        term for term, _s, _e in analysis.tokens("នេះ " + pair, "km")][1:]


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
        question = posting.ask_question(user, "A very long thread of field notes, pelican",
                                        _unique_khmer(29_000, 0), "field", "km").id
        for n in range(1, 6):
            posting.post_answer(user, question, _unique_khmer(29_000, n))
    assert find("pelican") == [question]
    later = seed.question(author, "Asked after the long thread, heron")
    assert find("heron") == [later]
