"""The embedded default engine: a Whoosh index in the instance folder.

Documents arrive already analysed (search_index.analysis): the text fields split on spaces
only, so stemming, folding and Khmer words are the same as at query time and as in the
PostgreSQL backend. One writer at a time across processes: Whoosh's lock file, waited for with
a timeout (a second writer without one raises LockError and loses its documents). A rebuild
writes a new index beside the live one and switches a pointer file, so searches go on; it
writes it with search_index.whoosh_bulk (the same files, several times faster than Whoosh's
writer, on both cores).
Searches are matched and ranked by search_index.whoosh_matching, not by Whoosh's matchers;
search_index.whoosh_query turns a SearchPlan into what it matches.
"""
import contextlib
import functools
import heapq
import os
import shutil
import threading
import uuid
from datetime import timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.automata.lev import levenshtein_automaton
from whoosh.codec.base import Automata
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.support.levenshtein import levenshtein

from search_index import analysis, spelling, whoosh_matching as matching
from search_index.backend import CONCEPT_PREFIX, BatchWriter, Busy, SearchBackend
from search_index.documents import Hit, HitPage
from search_index.whoosh_bulk import SplitWriter
from search_index.whoosh_query import PAIR, excluded_query, filter_query, text_query

POINTER = "CURRENT"
# In each index directory: the analysis.ANALYSIS_VERSION its terms were made with.
ANALYSIS_FILE = "ANALYSIS"
WRITE_TIMEOUT = 60
# Stored text a snippet is cut from: enough for the question and its first answers.
STORED_TEXT = 4000
# Between the parts of the content field; analysis never makes a term with a control character.
SEPARATOR = "\x1f"
SPELLING = "spelling"
# Spelling candidates Whoosh gives within two letters, before the closest is chosen.
CANDIDATES = 20


class SortKey(NUMERIC):
    """A number kept only as a sortable column: nothing searches a range of it, and its
    indexed terms (a 64-bit date is 16 terms, mostly unique) were 40 % of a rebuild's terms."""

    indexed = False


def schema():
    """The index's fields; text fields hold terms made by search_index.analysis."""
    terms = SpaceSeparatedTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        lang=ID(stored=True),
        tags=KEYWORD(),
        users=KEYWORD(),
        modules=KEYWORD(),
        accepted=BOOLEAN(),
        answered=BOOLEAN(),
        score=SortKey(int, bits=32, signed=True, sortable=True),
        created=SortKey(int, bits=64, signed=True, sortable=True),
        # No positions: phrases are matched through pairs, and snippets are cut by analysis.
        content=TEXT(analyzer=terms, phrase=False),
        # Spelling words prefixed by their document's language ("es:contacto"): "did you
        # mean" corrects from one language (search_index.spelling). Named anew when its
        # terms changed, so that an index of an older release reads as outdated.
        spelling=TEXT(analyzer=terms, phrase=False),
        side=KEYWORD(scorable=True),
        # Neighbouring terms: a phrase is all its pairs, found without reading positions.
        pairs=KEYWORD(scorable=True),
        title_text=STORED(),
        text=STORED(),
    )


def _content(title_terms, body_terms):
    """The one text field: the title's terms twice, then the body's.

    One field rather than title and body: every query word then costs one posting list, not
    two (half the time at 100,000 posts). Writing the title twice is its boost; a separator
    nobody can type keeps a phrase from running from one part into the next.
    """
    title, body = (" ".join(term for term in terms if term)
                   for terms in (title_terms, body_terms))
    return f"{title} {SEPARATOR} {title} {SEPARATOR} {body}"


def _pairs(*parts):
    """Each two neighbouring terms as one term "a|b" (no analysis term holds a "|"); a term
    dropped by the document's budget ("") makes no pair."""
    return " ".join(f"{first}{PAIR}{second}" for terms in parts
                    for first, second in zip(terms, terms[1:]) if first and second)


def _fields(document):
    body = document.text
    title_terms, body_terms, side = analysis.document_terms(
        document.title, body, document.lang,
        [CONCEPT_PREFIX + concept for concept in document.concepts])
    return {
        "key": document.key,
        "kind": document.kind,
        "lang": document.lang,
        "tags": " ".join(document.tags),
        "users": " ".join(user.lower() for user in document.users),
        "modules": " ".join(document.modules),
        "accepted": bool(document.accepted),
        "answered": document.answer_count > 0,
        "score": int(document.score),
        "created": int(document.created_at.replace(tzinfo=timezone.utc).timestamp() * 1_000_000),
        "content": _content(title_terms, body_terms),
        "pairs": _pairs(title_terms, body_terms),
        "spelling": analysis.spelling_terms(document.title + " " + body, document.lang),
        "side": " ".join(side),
        "title_text": document.title,
        "text": body[:STORED_TEXT],
    }


def _checked(schema, fields):
    """`fields`, once the values Whoosh could refuse are checked: `add_document` raising half
    way leaves the postings of the fields before in the writer, credited to the next one."""
    for name, value in fields.items():
        field = schema[name] if name in schema else None
        if isinstance(field, (NUMERIC, BOOLEAN)):
            for _item in field.index(value):
                pass
    return fields


class _Writer(BatchWriter):
    def __init__(self, writer):
        self.writer = writer
        self.fields = set(writer.schema.names())

    def put(self, document):
        fields = _fields(document)
        if not self.fields.issuperset(fields):
            # An index made by an older release (`flask search rebuild` brings it up to date):
            # keep indexing what it has fields for rather than failing the reader's post.
            fields = {name: value for name, value in fields.items() if name in self.fields}
        if document.boost != 1.0:
            # Whoosh multiplies the weight of every term of the document by it.
            fields["_boost"] = document.boost
        self.writer.update_document(**fields)

    def remove(self, key):
        self.writer.delete_by_term("key", key)


class WhooshBackend(SearchBackend):
    """Whoosh index under `folder`; `folder/CURRENT` names the live index directory."""

    name = "whoosh"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        # Arrays of segments (lengths, dates, filters), shared by this process's threads.
        self._arrays = matching.SegmentCache()

    # Index directories -------------------------------------------------------------------

    def _current_dir(self):
        try:
            name = (self.folder / POINTER).read_text().strip()
        except FileNotFoundError:
            name = ""
        if not name or not (self.folder / name).is_dir():
            name = self._create_empty()
        return self.folder / name

    def _create_empty(self):
        name = f"index-{uuid.uuid4().hex[:12]}"
        (self.folder / name).mkdir()
        _create_index(self.folder / name)
        # Two processes may both find no index: the first pointer written wins.
        try:
            fd = os.open(self.folder / POINTER, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            shutil.rmtree(self.folder / name, ignore_errors=True)
            return (self.folder / POINTER).read_text().strip()
        with os.fdopen(fd, "w") as pointer:
            pointer.write(name)
        return name

    def _point_to(self, name):
        temporary = self.folder / f"{POINTER}.{uuid.uuid4().hex}"
        temporary.write_text(name)
        os.replace(temporary, self.folder / POINTER)

    def _open(self):
        return whoosh_index.open_dir(str(self._current_dir()))

    def _searcher(self):
        directory = self._current_dir()
        local = self._local
        searcher = getattr(local, "searcher", None)
        # Another process (or thread) may have committed: a searcher sees one generation.
        if (searcher is None or getattr(local, "directory", None) != directory
                or not searcher.up_to_date()):
            if searcher is not None:
                searcher.close()
            local.searcher = whoosh_index.open_dir(str(directory)).searcher()
            local.directory = directory
            self._arrays.keep_only(local.searcher)
        return local.searcher

    # Writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self, wait=True):
        try:
            writer = self._open().writer(timeout=WRITE_TIMEOUT if wait else 0)
        except LockError as error:
            raise Busy() from error
        try:
            yield _Writer(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents, progress=None, failed=None):
        name = f"index-{uuid.uuid4().hex[:12]}"
        (self.folder / name).mkdir()
        fresh = _create_index(self.folder / name)
        count = 0
        writer = SplitWriter(fresh)
        fields_of = fresh.schema
        try:
            for document in documents:
                try:
                    fields = _checked(fields_of, _fields(document))
                    if document.boost != 1.0:
                        fields["_boost"] = document.boost
                    writer.add(fields)
                except Exception as error:
                    if failed is None:
                        raise
                    failed(document.key, error)
                    continue
                count += 1
                if progress:
                    progress(1)
            writer.commit()
        except BaseException:
            writer.cancel()
            shutil.rmtree(self.folder / name, ignore_errors=True)
            raise
        previous = self._current_dir().name
        self._point_to(name)
        # Readers that still hold the old files keep them until they refresh (POSIX).
        if previous != name:
            shutil.rmtree(self.folder / previous, ignore_errors=True)
        return count

    def forget(self, words):
        # A replaced document stays in its segment (its stored text, its words in the
        # spelling dictionary) until segments merge: merge them all now.
        try:
            writer = self._open().writer(timeout=WRITE_TIMEOUT)
        except LockError as error:
            raise Busy() from error
        writer.commit(optimize=True)

    def clear(self):
        searcher = self._searcher()
        # Tests clear before each test: an index that is already empty stays as it is.
        if searcher.doc_count_all() or searcher.doc_count():
            self.rebuild([])

    # Reading ------------------------------------------------------------------------------

    def search(self, plan):
        searcher = self._searcher()
        if plan.sort == "newest" or (plan.sort == "relevance" and not plan.has_text):
            order = "created"
        elif plan.sort == "votes":
            order = "votes"
        else:
            order = "score"
        page = max(plan.page, 1)
        ranked = matching.rank(searcher, self._arrays, text_query(plan),
                               allowed=filter_query(plan), excluded=excluded_query(plan),
                               order=order, limit=plan.per_page,
                               offset=(page - 1) * plan.per_page)
        hits = []
        for docnum, relevance in zip(ranked.docnums, ranked.scores):
            stored = searcher.stored_fields(docnum)
            hits.append(Hit(key=stored["key"], relevance=relevance,
                            title=stored.get("title_text", ""), text=stored.get("text", ""),
                            lang=stored.get("lang", "")))
        return HitPage(hits=hits, total=ranked.total)

    def spelling_languages(self, words, langs):
        searcher = self._searcher()
        if SPELLING not in searcher.schema:
            return {}
        found = {}
        for word in words:
            held = {lang for lang in langs
                    if _in_live_document(searcher, analysis.spelling_term(lang, word))}
            if held:
                found[word] = held
        return found

    def corrections(self, words, langs):
        searcher = self._searcher()
        if SPELLING not in searcher.schema:
            return {}
        by_language = {}
        for lang in langs:
            found = self._corrections(searcher, words, lang)
            if found:
                by_language[lang] = found
            if len(found) == len(words) and all(
                    spelling.distance(word, correction) == 1
                    for word, correction in found.items()):
                # Every word fixed by one letter: spelling.suggestion takes the first such
                # language, so asking the others would change nothing.
                break
        return by_language

    def _corrections(self, searcher, words, lang):
        reader = searcher.reader()
        prefix = analysis.spelling_term(lang, "")
        found = {}
        for word in words:
            if len(word) < 4:
                continue
            # The word list keeps the words of deleted documents until segments merge: a
            # suggestion is offered only when a document still in the index holds it.
            candidates = [suggestion for suggestion in _within(reader, prefix, word)
                          if suggestion != word]
            # The CANDIDATES most frequent (as Whoosh's corrector picks them), then the
            # closest first (a stable sort keeps the commoner first among as close), so
            # that "contat" gives "contact", not a commoner "contre".
            frequency = {candidate: reader.frequency(SPELLING, prefix + candidate)
                         for candidate in candidates}
            candidates = sorted(heapq.nlargest(CANDIDATES, candidates, key=lambda candidate: (
                frequency[candidate], candidate)),
                key=lambda candidate: (-frequency[candidate], candidate))
            candidates.sort(key=lambda candidate: levenshtein(candidate, word))
            for suggestion in candidates:
                if _in_live_document(searcher, prefix + suggestion):
                    found[word] = suggestion
                    break
        return found

    def stats(self):
        searcher = self._searcher()
        outdated = (set(schema().names()) - set(searcher.schema.names())
                    or _analysis_version(self._current_dir()) != analysis.ANALYSIS_VERSION)
        return {"backend": self.name, "documents": searcher.doc_count(),
                "segments": len(searcher.reader().leaf_readers()) if hasattr(
                    searcher.reader(), "leaf_readers") else 1,
                "directory": str(self._current_dir()),
                "schema": ("outdated, run `flask search rebuild`" if outdated else "current")}

    def close(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        self._local = threading.local()


def _create_index(directory):
    """A new, empty index in `directory`, marked with the analysis its terms are made by."""
    created = whoosh_index.create_in(str(directory), schema())
    (directory / ANALYSIS_FILE).write_text(analysis.ANALYSIS_VERSION)
    return created


def _analysis_version(directory):
    """The analysis an index was made with ("" for one made before indexes recorded it)."""
    try:
        return (directory / ANALYSIS_FILE).read_text().strip()
    except FileNotFoundError:
        return ""


@functools.lru_cache(maxsize=256)
def _automaton(word):
    """The words within spelling.max_distance of `word` that begin with its first letter
    (Whoosh's Levenshtein DFA: building it is most of a lookup's cost, so each word's is
    built once for every language)."""
    return levenshtein_automaton(word, spelling.max_distance(word), prefix=1).to_dfa()


class _LanguageCursor:
    """A cursor over the spelling terms of one language ("es:..."), read without their
    prefix: what Whoosh's DFA matching walks."""

    def __init__(self, cursor, prefix):
        self.cursor, self.prefix = cursor, prefix
        cursor.find(prefix)

    def text(self):
        term = self.cursor.text()
        if term is None or not term.startswith(self.prefix):
            return None
        return term[len(self.prefix):]

    def find(self, text):
        self.cursor.find(self.prefix + text)


def _within(reader, prefix, word):
    """The words of the spelling terms prefixed by `prefix` within reach of `word`."""
    found = {}
    # Segment by segment: Whoosh's cursor over several segments cannot walk its codec's.
    for leaf, _offset in reader.leaf_readers():
        found.update(dict.fromkeys(Automata.find_matches(
            _automaton(word), _LanguageCursor(leaf.cursor(SPELLING), prefix))))
    return list(found)


def _in_live_document(searcher, term):
    """Whether a document not deleted holds this spelling term ("es:contacto")."""
    reader = searcher.reader()
    if not reader.doc_frequency(SPELLING, term):
        return False
    if not reader.has_deletions():
        return True
    return any(True for _ in searcher.docs_for_query(q.Term(SPELLING, term)))
