"""The PostgreSQL engine: full-text search in the application's database, for deployments on
several app servers (no index files to share, one writer at a time through an advisory lock).

The engine in four modules: search_index.pg_schema (extensions, text search configurations,
tables: what the migrations call), pg_rows (a document as rows and the statements that write
them), pg_query (a SearchPlan as SQL), and this one (the writer's lock, rebuilds, searches,
spelling corrections, stats).

What is queried. Every `search_document` row holds `terms`, a tsvector of the index terms made
by search_index.analysis (Snowball stemming, then accent folding, Arabic normalisation, Khmer
words) — the very terms the Whoosh engine indexes and the service puts in a
SearchPlan — beside the filters (tags, language, users, score...). The vector is a tsvector
literal (pg_rows) and queries are tsquery literals built from the plan's terms (pg_query), so
that queries mean exactly what they mean on Whoosh. What a results page shows (title, the text
snippets are cut from) and the spelling words live in `search_content`, read for the page's hits
only: these rows stay narrow, since ranking reads the vector of every match.

Spelling. `search_content.spell` holds the folded, unstemmed words of a document
(analysis.spelling_terms) as an array with a GIN index: a query word is known when a live
document has it. `search_word` is the vocabulary corrections are looked up in, one row per
word and language of the documents that hold it (corrections come from the query's language:
search_index.spelling), with the same first letter and a Levenshtein distance ≤ 2 from
fuzzystrmatch; words only ever get added to it between rebuilds, and a candidate is offered
only when a live document of its language still holds it.

Limits of tsvector: positions stop at 16383 and a lexeme keeps 256 of them, so a phrase deep in
a very long thread can be missed; Whoosh has no such limit. Ranking is `ts_rank` (no inverse
document frequency), summed over the query words, so documents holding more of them come first.
For queries matching tens of thousands of posts, the page is ranked among the shortest titles
holding the words (see PostgresBackend.search): a page 2 can then differ from what ranking
every match would give.
"""
import contextlib

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.extensions import db
from search_index import spelling
from search_index.backend import BatchWriter, Busy, SearchBackend
from search_index.documents import COUNT_LIMIT, Hit, HitPage
from search_index.pg_query import SearchQuery
from search_index.pg_rows import document_rows, write_rows, write_rows_apart
from search_index import analysis
from search_index.pg_schema import (CONTENT, DOCUMENTS, NEW, WORDS, analysis_version,
                                    create_new_tables, create_schema, swap_new_tables)

# Arbitrary but fixed advisory lock keys ("carnetsW", "carnetsR" in ASCII).
WRITER_LOCK = 0x6361726E65747357
REBUILD_LOCK = 0x6361726E65747352
WRITE_TIMEOUT = "60s"
INSERT_BATCH = 500
# Title matches ranked on their whole vectors when enough posts have the words in their title
# (see PostgresBackend.search).
TITLE_CANDIDATES = 200
SPELLING_COUNT_LIMIT = 100


# Writing --------------------------------------------------------------------------------------

class _Writer(BatchWriter):
    """Changes kept by key (the last one wins) and written when the batch ends."""

    def __init__(self):
        self.changes = {}

    def put(self, document):
        self.changes[document.key] = document

    def remove(self, key):
        self.changes[key] = None

    def flush(self, connection):
        removed = [key for key, document in self.changes.items() if document is None]
        if removed:
            for table in (DOCUMENTS, CONTENT):
                connection.execute(text(f"DELETE FROM {table} WHERE key = ANY(:keys)"),
                                   {"keys": removed})
        write_rows(connection, [document_rows(document) for document in self.changes.values()
                                 if document is not None])
        self.changes = {}


def _lock_timed_out(error):
    return getattr(error.orig, "sqlstate", None) == "55P03"


def _take_writer_lock(connection, wait):
    """Take the single writer's lock for this transaction, or raise Busy."""
    if not wait:
        if not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                 {"key": WRITER_LOCK}):
            raise Busy()
        return
    connection.execute(text("SELECT set_config('lock_timeout', :timeout, true)"),
                       {"timeout": WRITE_TIMEOUT})
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
    except OperationalError as error:
        if _lock_timed_out(error):
            raise Busy() from error
        raise


class PostgresBackend(SearchBackend):
    """Full-text search in the application's PostgreSQL database (db.engine of the app)."""

    name = "postgres"

    def _engine(self):
        return db.engine

    def create_schema(self):
        """Create this engine's tables where the migration did not run (test databases)."""
        with self._engine().begin() as connection:
            create_schema(connection)

    @contextlib.contextmanager
    def batch(self, wait=True):
        with self._engine().connect() as connection:
            transaction = connection.begin()
            try:
                _take_writer_lock(connection, wait)
                writer = _Writer()
                yield writer
                writer.flush(connection)
            except BaseException:
                transaction.rollback()
                raise
            # The advisory lock goes with the commit: the next writer sees these rows.
            transaction.commit()

    def rebuild(self, documents, progress=None, failed=None):
        count = 0
        with self._engine().connect() as connection, connection.begin():
            # Build beside the live tables in this transaction; other processes go on
            # reading and writing the live ones, then the new ones replace them at commit.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": REBUILD_LOCK})
            create_new_tables(connection)
            rows = []
            for document in documents:
                try:
                    rows.append(document_rows(document))
                except Exception as error:
                    if failed is None:
                        raise
                    failed(document.key, error)
                    continue
                if len(rows) >= INSERT_BATCH:
                    count += write_rows_apart(connection, rows, NEW, failed, progress)
                    rows = []
            count += write_rows_apart(connection, rows, NEW, failed, progress)
            # A writer in the middle of a batch finishes first; the swap then takes an
            # exclusive lock on the old tables only until this transaction commits.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
            swap_new_tables(connection)
        # What autovacuum would do some minutes later: statistics for the planner (without
        # them it sorted every match of a common word) and the visibility map, so that
        # searches right after a rebuild are as fast as later ones.
        with self._engine().connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection:
            for table in (DOCUMENTS, CONTENT, WORDS):
                connection.execute(text(f"VACUUM (ANALYZE) {table}"))
        return count

    def forget(self, words):
        words = sorted(set(words))
        if not words:
            return
        # The vocabulary only grows between rebuilds: a redacted word leaves it now unless
        # a live document still holds it.
        with self._engine().connect() as connection, connection.begin():
            _take_writer_lock(connection, wait=True)
            connection.execute(text(f"""
                DELETE FROM {WORDS} v WHERE v.word = ANY(CAST(:words AS text[]))
                AND NOT EXISTS (SELECT 1 FROM {CONTENT} c
                                WHERE c.spell @> ARRAY[v.word] AND c.lang = v.lang)"""),
                {"words": words})

    def clear(self):
        with self._engine().connect() as connection, connection.begin():
            _take_writer_lock(connection, wait=True)
            connection.execute(text(f"TRUNCATE {DOCUMENTS}, {CONTENT}, {WORDS}"))

    # Reading --------------------------------------------------------------------------------

    def search(self, plan):
        query = SearchQuery(plan)
        page = max(plan.page, 1)
        params = dict(query.params, limit=plan.per_page, offset=(page - 1) * plan.per_page)
        with self._engine().connect() as connection:
            rows = None
            # Ranking reads every match's vector: for a word in a third of the posts that is
            # tens of thousands. A title match outranks a body match, so when enough posts
            # hold all the query's words (then two, then any of them) in their title, the page
            # is ranked among the shortest of those titles, where the words weigh most: an
            # index gives them in that order, and only these few vectors are read.
            candidates = max(TITLE_CANDIDATES, 2 * (params["offset"] + plan.per_page))
            for title_where in query.title_tiers:
                rows = connection.execute(text(f"""
                    SELECT key, {query.rank} AS relevance FROM (
                        SELECT key, lang, created, boost, terms FROM {DOCUMENTS}
                        WHERE {title_where}
                        ORDER BY length(title_terms), created DESC
                        LIMIT {candidates}) AS best_titles
                    WHERE {query.text_condition}
                    ORDER BY {query.order} LIMIT :limit OFFSET :offset"""), params).all()
                if len(rows) == plan.per_page:
                    break
                rows = None
            if rows is None:
                rows = connection.execute(text(f"""
                    SELECT key, {query.rank} AS relevance
                    FROM {DOCUMENTS} WHERE {query.where}
                    ORDER BY {query.order} LIMIT :limit OFFSET :offset"""), params).all()
            # Counted apart and no further than a reader can page: count(*) OVER () made
            # PostgreSQL finish every match, as long as the ranking itself.
            if query.has_text:
                # With a LIMIT and an estimate of many matches, PostgreSQL reads the table
                # in order until it has enough: through the whole table (100 ms at 100,000
                # posts) when excluded words leave few. The GIN index is never much slower.
                connection.execute(text("SET LOCAL enable_seqscan = off"))
            total = connection.scalar(text(
                f"SELECT count(*) FROM (SELECT 1 FROM {DOCUMENTS} WHERE {query.where} "
                f"LIMIT {COUNT_LIMIT + 1}) AS matches"), query.params)
            content = {row.key: row for row in connection.execute(text(
                f"SELECT key, title, text, lang FROM {CONTENT} WHERE key = ANY(:keys)"),
                {"keys": [row.key for row in rows]})}
        # A row whose content is missing cannot be (both are written in one transaction).
        hits = [Hit(key=row.key, relevance=float(row.relevance), title=content[row.key].title,
                    text=content[row.key].text, lang=content[row.key].lang)
                for row in rows if row.key in content]
        if total > COUNT_LIMIT:
            return HitPage(hits=hits, total=COUNT_LIMIT, exact=False)
        return HitPage(hits=hits, total=total)

    def spelling_languages(self, words, langs):
        if not words:
            return {}
        found = {}
        with self._engine().connect() as connection:
            for word, lang in connection.execute(text(f"""
                    SELECT v.word, v.lang FROM {WORDS} v
                    WHERE v.word = ANY(CAST(:words AS text[]))
                      AND v.lang = ANY(CAST(:langs AS text[]))
                      AND EXISTS (SELECT 1 FROM {CONTENT} c
                                  WHERE c.spell @> ARRAY[v.word] AND c.lang = v.lang)"""),
                    {"words": list(words), "langs": list(langs)}):
                found.setdefault(word, set()).add(lang)
        return found

    def corrections(self, words, langs):
        words = [word for word in words if len(word) >= 4]
        if not words or not langs:
            return {}
        found = {}
        with self._engine().connect() as connection:
            # Every word in every language in one statement (a lookup each was a round trip
            # each: a misspelt word in a query no language claims asked six times). Closest
            # first, then the word more documents of the language hold (counted up to a
            # point: a word in 8,000 posts took 50 ms to count, and a hundred is plenty to
            # prefer a common spelling to a rare slip).
            for typed, lang, suggestion in connection.execute(text(f"""
                    SELECT DISTINCT ON (w.word, v.lang) w.word, v.lang, v.word
                    FROM unnest(CAST(:words AS text[]), CAST(:most AS integer[]))
                         AS w(word, most)
                    JOIN {WORDS} v
                      ON v.lang = ANY(CAST(:langs AS text[]))
                     AND left(v.word, 1) = left(w.word, 1)
                     AND length(v.word) BETWEEN length(w.word) - 2 AND length(w.word) + 2
                     AND v.word <> w.word
                    CROSS JOIN LATERAL (SELECT levenshtein_less_equal(v.word, w.word, w.most)
                                        AS distance) d
                    CROSS JOIN LATERAL (SELECT count(*) AS documents FROM (
                                            SELECT 1 FROM {CONTENT}
                                            WHERE spell @> ARRAY[v.word] AND lang = v.lang
                                            LIMIT {SPELLING_COUNT_LIMIT}) AS holding) f
                    WHERE d.distance <= w.most AND f.documents > 0
                    ORDER BY w.word, v.lang, d.distance, f.documents DESC, v.word"""),
                    {"words": words, "most": [spelling.max_distance(word) for word in words],
                     "langs": list(langs)}):
                found.setdefault(lang, {})[typed] = suggestion
        return found

    def stats(self):
        with self._engine().connect() as connection:
            documents = connection.scalar(text(f"SELECT count(*) FROM {DOCUMENTS}"))
            words = connection.scalar(text(f"SELECT count(*) FROM {WORDS}"))
            size = connection.scalar(text(
                f"SELECT pg_size_pretty(pg_total_relation_size('{DOCUMENTS}') "
                f"+ pg_total_relation_size('{CONTENT}') + pg_total_relation_size('{WORDS}'))"))
            outdated = analysis_version(connection) != analysis.ANALYSIS_VERSION
        return {"backend": self.name, "documents": documents, "vocabulary": words,
                "size": size,
                "schema": ("outdated, run `flask search rebuild`" if outdated else "current")}
