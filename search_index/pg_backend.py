"""The PostgreSQL engine: full-text search in the application's database, for deployments on
several app servers (no index files to share, one writer at a time through an advisory lock).

What is queried. Every `search_document` row holds `terms`, a tsvector of the index terms made
by search_index.analysis (Snowball stemming, then accent folding, Arabic normalisation, Khmer
syllables) — the very terms the Whoosh engine indexes and the service puts in a
SearchPlan — beside the filters (tags, language, users, score...). The vector is written as a
tsvector literal (lexeme:position+weight), never through `to_tsvector`, so PostgreSQL's parser
cannot split or re-normalise a term (it would cut Khmer words at their vowel signs), and queries
are tsquery literals built from the plan's terms (`<->` for a phrase, `|` for alternatives, `&`
for required words, `& !(...)` for excluded ones), each lexeme quoted, sent as a bound
parameter. The title is weight A, the body weight B one position further on, so that a phrase
never runs from the title into the body (Whoosh keeps them in two fields). Queries therefore
mean exactly what they mean on Whoosh. What a results page shows (title, the text snippets are
cut from) and the spelling words live in `search_content`, read for the page's hits only: these
rows stay narrow, since ranking reads the vector of every match.

The per-language configurations. The migration also creates one text search configuration per
content language — `carnets_fr`, `carnets_en`, `carnets_es`, `carnets_pt`, `carnets_ar` (the
Snowball Arabic stemmer where the server has it) and `carnets_simple` for Khmer and Malagasy —
each mapping words through `unaccent` and then the language's stemmer (`unaccent()` itself is
not IMMUTABLE; a configuration is). They feed `native`, a generated tsvector column with its own
GIN index, for SQL-side searches (`native @@ websearch_to_tsquery('carnets_fr', ...)` in psql,
reports). Search pages do not query it: PostgreSQL's stemmers run after `unaccent` (the reverse
of the order analysis.py needs), its parser cuts Khmer into pieces, and mixing its lexemes into
the ranked vector would make results differ from Whoosh's on the same plan.

Spelling. `search_content.spell` holds the folded, unstemmed words of a document
(analysis.spelling_terms) as an array with a GIN index: a query word is known when a live
document has it. `search_word` is the vocabulary corrections are looked up in (same first
letter, Levenshtein distance ≤ 2 from fuzzystrmatch); words only ever get added to it between
rebuilds, and a candidate is offered only when a live document still holds it.

Limits of tsvector: positions stop at 16383 and a lexeme keeps 256 of them, so a phrase deep in
a very long thread can be missed; Whoosh has no such limit. Ranking is `ts_rank` (no inverse
document frequency), summed over the query words, so documents holding more of them come first.
For queries matching tens of thousands of posts, the page is ranked among the shortest titles
holding the words (see PostgresBackend.search): a page 2 can then differ from what ranking
every match would give.
"""
import contextlib
from datetime import timezone

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from core.extensions import db
from search_index import analysis
from search_index.backend import CONCEPT_PREFIX, BatchWriter, Busy, SearchBackend
from search_index.documents import COUNT_LIMIT, Hit, HitPage

DOCUMENTS = "search_document"
CONTENT = "search_content"
WORDS = "search_word"
NEW = "_new"
# Everything this module creates in the database; migrations/env.py leaves it out of the
# models-versus-database comparison (these tables are not SQLAlchemy models).
TABLES = frozenset(name + suffix for name in (DOCUMENTS, CONTENT, WORDS) for suffix in ("", NEW))
EXTENSIONS = ("unaccent", "fuzzystrmatch")

# Same length as whoosh_backend.STORED_TEXT: what snippets are cut from.
STORED_TEXT = 4000
# Arbitrary but fixed advisory lock keys ("carnetsW", "carnetsR" in ASCII).
WRITER_LOCK = 0x6361726E65747357
REBUILD_LOCK = 0x6361726E65747352
WRITE_TIMEOUT = "60s"
# ts_rank weights for D, C, B, A: the title (A) counts 2.5 times the body (B), as in Whoosh;
# C holds thesaurus concepts (half a body word), D Khmer syllables (as a body word).
RANK_WEIGHTS = "{0.4, 0.2, 0.4, 1.0}"
# 1: divide by 1 + log(length), so a long thread does not win only by being long.
RANK_NORMALISATION = 1
MAX_POSITION = 16383
MAX_POSITIONS = analysis.MAX_POSITIONS
INSERT_BATCH = 500
# Title matches ranked on their whole vectors when enough posts have the words in their title
# (see PostgresBackend.search).
TITLE_CANDIDATES = 200
SPELLING_COUNT_LIMIT = 100
# Up to this many words, "any two of them in the title" is a tier of its own.
MAX_PAIRED_WORDS = 6

# Content language -> (configuration, configuration copied, stemming dictionary).
CONFIGURATIONS = {
    "fr": ("carnets_fr", "french", "french_stem"),
    "en": ("carnets_en", "english", "english_stem"),
    "es": ("carnets_es", "spanish", "spanish_stem"),
    "pt": ("carnets_pt", "portuguese", "portuguese_stem"),
    "ar": ("carnets_ar", "arabic", "arabic_stem"),
}
SIMPLE = ("carnets_simple", "simple", "simple")


# Schema ---------------------------------------------------------------------------------------

def _native_expression():
    cases = " ".join(f"WHEN '{lang}' THEN '{name}'::regconfig"
                     for lang, (name, _copy, _dictionary) in CONFIGURATIONS.items())
    config = f"CASE lang {cases} ELSE '{SIMPLE[0]}'::regconfig END"
    return (f"setweight(to_tsvector({config}, title), 'A') || "
            f"setweight(to_tsvector({config}, text), 'B')")


def _document_table(name):
    """What a search reads for every match: filters and index terms, nothing else.

    Ranking reads the vector of every match, so these rows are kept narrow (about 1.3 KB at
    100,000 posts): with the stored text and the native vector in the same rows, terms were
    compressed into TOAST and a search for a word in a third of the posts took 400 ms instead
    of 40 ms.
    """
    return [
        f"""CREATE TABLE IF NOT EXISTS {name} (
            key text NOT NULL,
            kind text NOT NULL,
            lang text NOT NULL,
            tags text[] NOT NULL DEFAULT '{{}}',
            users text[] NOT NULL DEFAULT '{{}}',
            modules text[] NOT NULL DEFAULT '{{}}',
            accepted boolean NOT NULL DEFAULT false,
            answered boolean NOT NULL DEFAULT false,
            score integer NOT NULL DEFAULT 0,
            created timestamp NOT NULL,
            boost real NOT NULL DEFAULT 1,
            terms tsvector NOT NULL,
            title_terms tsvector GENERATED ALWAYS AS (ts_filter(terms, '{{a}}')) STORED,
            CONSTRAINT pk_{name} PRIMARY KEY (key))""",
        f"ALTER TABLE {name} ADD COLUMN IF NOT EXISTS boost real NOT NULL DEFAULT 1",
        # Compressed in the row rather than moved out of it when a long thread needs it:
        # every match's vectors are read, and a trip to TOAST per row tripled that.
        f"ALTER TABLE {name} ALTER COLUMN terms SET STORAGE MAIN, "
        f"ALTER COLUMN title_terms SET STORAGE MAIN",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_terms ON {name} USING gin (terms)",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_title ON {name} USING gin (title_terms)",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_tags ON {name} USING gin (tags)",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_created ON {name} (created)",
        # Sorted by votes, and the title candidates of a ranked search (shortest titles
        # first): read in this order until enough rows match, not all matches then sorted.
        f"CREATE INDEX IF NOT EXISTS ix_{name}_score ON {name} (score DESC, created DESC, key)",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_title_length "
        f"ON {name} (length(title_terms), created DESC)",
    ]


DOCUMENT_INDEXES = ("terms", "title", "tags", "created", "score", "title_length")


def _content_table(name):
    """What is read for the page of results only, and for spelling."""
    return [
        f"""CREATE TABLE IF NOT EXISTS {name} (
            key text NOT NULL,
            lang text NOT NULL,
            title text NOT NULL,
            text text NOT NULL,
            spell text[] NOT NULL DEFAULT '{{}}',
            native tsvector GENERATED ALWAYS AS ({_native_expression()}) STORED,
            CONSTRAINT pk_{name} PRIMARY KEY (key))""",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_native ON {name} USING gin (native)",
        f"CREATE INDEX IF NOT EXISTS ix_{name}_spell ON {name} USING gin (spell)",
    ]


CONTENT_INDEXES = ("native", "spell")


def _word_table(name):
    return [
        f"""CREATE TABLE IF NOT EXISTS {name} (
            word text NOT NULL,
            CONSTRAINT pk_{name} PRIMARY KEY (word))""",
        # Corrections look at words of the same first letter and about the same length.
        f"CREATE INDEX IF NOT EXISTS ix_{name}_first ON {name} (left(word, 1), length(word))",
    ]


WORD_INDEXES = ("first",)


def _configuration_exists(connection, name):
    return connection.scalar(text(
        "SELECT 1 FROM pg_ts_config WHERE cfgname = :name "
        "AND cfgnamespace = current_schema()::regnamespace"), {"name": name}) is not None


def _create_configuration(connection, name, copied, dictionary):
    available = connection.scalar(text(
        "SELECT 1 FROM pg_ts_config c JOIN pg_ts_dict d ON d.dictname = :dictionary "
        "WHERE c.cfgname = :copied"), {"dictionary": dictionary, "copied": copied})
    if not available:
        # An older server without this language's stemmer: folded words, not stemmed.
        copied, dictionary = SIMPLE[1], SIMPLE[2]
    connection.execute(text(
        f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{copied})"))
    connection.execute(text(
        f"ALTER TEXT SEARCH CONFIGURATION {name} "
        f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary}"))


def create_schema(connection):
    """Create the extensions, configurations, tables and indexes this engine needs.

    Called by the migration; idempotent, so that test databases that persist across runs can
    call it again. Runs in the caller's transaction.
    """
    for extension in EXTENSIONS:
        connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
    for name, copied, dictionary in [*CONFIGURATIONS.values(), SIMPLE]:
        if not _configuration_exists(connection, name):
            _create_configuration(connection, name, copied, dictionary)
    _split_content(connection)
    for statement in _document_table(DOCUMENTS) + _content_table(CONTENT) + _word_table(WORDS):
        connection.execute(text(statement))


def _split_content(connection):
    """Move the stored text out of a `search_document` made before `search_content` existed.

    The data is kept (no rebuild needed); CLUSTER rewrites the narrowed table, which a dropped
    column alone does not shrink.
    """
    wide = connection.scalar(text(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = :table AND column_name = 'text'"), {"table": DOCUMENTS})
    if not wide:
        return
    for statement in _content_table(CONTENT):
        connection.execute(text(statement))
    connection.execute(text(
        f"INSERT INTO {CONTENT} (key, lang, title, text, spell) "
        f"SELECT key, lang, title, text, spell FROM {DOCUMENTS} ON CONFLICT DO NOTHING"))
    connection.execute(text(
        f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS native, DROP COLUMN title, "
        f"DROP COLUMN text, DROP COLUMN IF EXISTS spell, ALTER COLUMN terms SET STORAGE MAIN, "
        f"ALTER COLUMN title_terms SET STORAGE MAIN"))
    connection.execute(text(f"CLUSTER {DOCUMENTS} USING pk_{DOCUMENTS}"))


def join_content(connection):
    """Undo `_split_content` (the downgrade of the migration that made it)."""
    if not connection.scalar(text("SELECT to_regclass(:table)"), {"table": CONTENT}):
        return
    connection.execute(text(
        f"ALTER TABLE {DOCUMENTS} ADD COLUMN title text NOT NULL DEFAULT '', "
        f"ADD COLUMN text text NOT NULL DEFAULT '', "
        f"ADD COLUMN spell text[] NOT NULL DEFAULT '{{}}'"))
    connection.execute(text(
        f"UPDATE {DOCUMENTS} d SET title = c.title, text = c.text, spell = c.spell "
        f"FROM {CONTENT} c WHERE c.key = d.key"))
    connection.execute(text(
        f"ALTER TABLE {DOCUMENTS} ADD COLUMN native tsvector "
        f"GENERATED ALWAYS AS ({_native_expression()}) STORED"))
    for suffix in ("score", "title_length"):
        connection.execute(text(f"DROP INDEX IF EXISTS ix_{DOCUMENTS}_{suffix}"))
    connection.execute(text(
        f"CREATE INDEX IF NOT EXISTS ix_{DOCUMENTS}_native ON {DOCUMENTS} USING gin (native)"))
    connection.execute(text(
        f"CREATE INDEX IF NOT EXISTS ix_{DOCUMENTS}_spell ON {DOCUMENTS} USING gin (spell)"))
    connection.execute(text(f"DROP TABLE {CONTENT}"))


def drop_schema(connection):
    """Drop what `create_schema` created (the migration's downgrade)."""
    for table in sorted(TABLES):
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    for name, _copied, _dictionary in [*CONFIGURATIONS.values(), SIMPLE]:
        connection.execute(text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}"))
    # Without CASCADE: an extension something else came to rely on stays.
    for extension in reversed(EXTENSIONS):
        connection.execute(text(f"DROP EXTENSION IF EXISTS {extension}"))


def include_object(_object, name, type_, _reflected, _compare_to):
    """Alembic filter: leave this engine's tables out of autogenerate and compare_metadata."""
    return not (type_ == "table" and name in TABLES)


# Literals -------------------------------------------------------------------------------------

def _lexeme(term):
    """A term as a quoted tsvector/tsquery lexeme: nothing in it can be read as an operator."""
    return "'" + term.replace("\x00", "").replace("\\", "\\\\").replace("'", "''") + "'"


def _vector(title_terms, body_terms, side=()):
    """The tsvector literal of a document: title terms weight A, body terms weight B, side
    terms weight C (thesaurus concepts, Khmer syllables: "prefix:value", which no word makes)."""
    positions = {}

    def add(term, position, weight):
        found = positions.setdefault(term, [])
        if len(found) < MAX_POSITIONS:
            found.append(f"{min(position, MAX_POSITION)}{weight}")

    position = 0
    for term in title_terms:
        position += 1
        add(term, position, "A")
    # One empty position: the last title word and the first body word are not a phrase.
    position += 1
    for term in body_terms:
        position += 1
        add(term, position, "B")
    for term in side:
        positions[term] = ["1C" if term.startswith(CONCEPT_PREFIX) else "1D"]
    return " ".join(f"{_lexeme(term)}:{','.join(dict.fromkeys(found))}"
                    for term, found in positions.items() if term)


def _row(document):
    """The (search_document, search_content) rows of a document."""
    created = document.created_at
    if created.tzinfo is not None:
        created = created.astimezone(timezone.utc).replace(tzinfo=None)
    title_terms, body_terms, side = analysis.document_terms(
        document.title, document.text, document.lang,
        [CONCEPT_PREFIX + concept for concept in document.concepts])
    spelling = analysis.spelling_terms(document.title + " " + document.text).split()
    return {
        "key": document.key,
        "kind": document.kind,
        "lang": document.lang,
        "tags": list(document.tags),
        "users": [user.lower() for user in document.users],
        "modules": list(document.modules),
        "accepted": bool(document.accepted),
        "answered": document.answer_count > 0,
        "score": int(document.score),
        "created": created,
        "boost": float(document.boost),
        "terms": _vector(title_terms, body_terms, side),
    }, {
        "key": document.key,
        "lang": document.lang,
        "title": document.title,
        "text": document.text[:STORED_TEXT],
        "spell": sorted(set(spelling)),
    }


def _insert_document(table):
    return text(f"""
        INSERT INTO {table} (key, kind, lang, tags, users, modules, accepted, answered, score,
                             created, boost, terms)
        VALUES (:key, :kind, :lang, CAST(:tags AS text[]), CAST(:users AS text[]),
                CAST(:modules AS text[]), :accepted, :answered, :score, :created, :boost,
                CAST(:terms AS tsvector))
        ON CONFLICT (key) DO UPDATE SET
            kind = EXCLUDED.kind, lang = EXCLUDED.lang, tags = EXCLUDED.tags,
            users = EXCLUDED.users, modules = EXCLUDED.modules, accepted = EXCLUDED.accepted,
            answered = EXCLUDED.answered, score = EXCLUDED.score, created = EXCLUDED.created,
            boost = EXCLUDED.boost, terms = EXCLUDED.terms""")


def _insert_content(table):
    return text(f"""
        INSERT INTO {table} (key, lang, title, text, spell)
        VALUES (:key, :lang, :title, :text, CAST(:spell AS text[]))
        ON CONFLICT (key) DO UPDATE SET
            lang = EXCLUDED.lang, title = EXCLUDED.title, text = EXCLUDED.text,
            spell = EXCLUDED.spell""")


def _write_rows(connection, rows, suffix=""):
    """Write (document, content) row pairs into the live tables, or the `_new` ones."""
    if not rows:
        return
    connection.execute(_insert_document(DOCUMENTS + suffix), [row for row, _ in rows])
    connection.execute(_insert_content(CONTENT + suffix), [content for _, content in rows])
    vocabulary = sorted({word for _, content in rows for word in content["spell"]})
    if vocabulary:
        connection.execute(text(
            f"INSERT INTO {WORDS + suffix} (word) SELECT unnest(CAST(:words AS text[])) "
            f"ON CONFLICT DO NOTHING"), {"words": vocabulary})


def _write_rows_apart(connection, rows, suffix, failed, progress):
    """Write `rows` in a savepoint; if PostgreSQL refuses them, each row in its own, telling
    `failed` of those it refuses. Returns how many were written."""
    if failed is None:
        _write_rows(connection, rows, suffix)
        written = rows
    else:
        try:
            with connection.begin_nested():
                _write_rows(connection, rows, suffix)
            written = rows
        except DBAPIError:
            written = []
            for row in rows:
                try:
                    with connection.begin_nested():
                        _write_rows(connection, [row], suffix)
                    written.append(row)
                except DBAPIError as error:
                    failed(row[0]["key"], error)
    if progress:
        progress(len(written))
    return len(written)


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
        _write_rows(connection, [_row(document) for document in self.changes.values()
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
            for table in (DOCUMENTS, CONTENT, WORDS):
                connection.execute(text(f"DROP TABLE IF EXISTS {table}{NEW}"))
            for statement in (_document_table(DOCUMENTS + NEW) + _content_table(CONTENT + NEW)
                              + _word_table(WORDS + NEW)):
                connection.execute(text(statement))
            rows = []
            for document in documents:
                try:
                    rows.append(_row(document))
                except Exception as error:
                    if failed is None:
                        raise
                    failed(document.key, error)
                    continue
                if len(rows) >= INSERT_BATCH:
                    count += _write_rows_apart(connection, rows, NEW, failed, progress)
                    rows = []
            count += _write_rows_apart(connection, rows, NEW, failed, progress)
            # A writer in the middle of a batch finishes first; the swap then takes an
            # exclusive lock on the old tables only until this transaction commits.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
            _swap(connection, DOCUMENTS, DOCUMENT_INDEXES)
            _swap(connection, CONTENT, CONTENT_INDEXES)
            _swap(connection, WORDS, WORD_INDEXES)
        # What autovacuum would do some minutes later: statistics for the planner (without
        # them it sorted every match of a common word) and the visibility map, so that
        # searches right after a rebuild are as fast as later ones.
        with self._engine().connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection:
            for table in (DOCUMENTS, CONTENT, WORDS):
                connection.execute(text(f"VACUUM (ANALYZE) {table}"))
        return count

    def clear(self):
        with self._engine().connect() as connection, connection.begin():
            _take_writer_lock(connection, wait=True)
            connection.execute(text(f"TRUNCATE {DOCUMENTS}, {CONTENT}, {WORDS}"))

    # Reading --------------------------------------------------------------------------------

    def search(self, plan):
        query = _SearchQuery(plan)
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

    def corrections(self, words):
        words = [word for word in words if len(word) >= 4]
        if not words:
            return {}
        found = {}
        with self._engine().connect() as connection:
            known = set(connection.scalars(text(f"""
                SELECT word FROM unnest(CAST(:words AS text[])) AS word
                WHERE EXISTS (SELECT 1 FROM {CONTENT} WHERE spell @> ARRAY[word])"""),
                {"words": words}))
            for word in words:
                if word in known:
                    continue
                # Closest first, then the word more documents hold (counted up to a point:
                # a word in 8,000 posts took 50 ms to count, and a hundred is plenty to
                # prefer a common spelling to a rare slip).
                suggestion = connection.scalar(text(f"""
                    SELECT v.word FROM {WORDS} v
                    CROSS JOIN LATERAL (SELECT levenshtein_less_equal(v.word, :word, 2)
                                        AS distance) d
                    CROSS JOIN LATERAL (SELECT count(*) AS documents FROM (
                                            SELECT 1 FROM {CONTENT}
                                            WHERE spell @> ARRAY[v.word]
                                            LIMIT {SPELLING_COUNT_LIMIT}) AS holding) f
                    WHERE left(v.word, 1) = left(:word, 1)
                      AND length(v.word) BETWEEN length(:word) - 2 AND length(:word) + 2
                      AND v.word <> :word AND d.distance <= 2 AND f.documents > 0
                    ORDER BY d.distance, f.documents DESC, v.word LIMIT 1"""), {"word": word})
                if suggestion:
                    found[word] = suggestion
        return found

    def stats(self):
        with self._engine().connect() as connection:
            documents = connection.scalar(text(f"SELECT count(*) FROM {DOCUMENTS}"))
            words = connection.scalar(text(f"SELECT count(*) FROM {WORDS}"))
            size = connection.scalar(text(
                f"SELECT pg_size_pretty(pg_total_relation_size('{DOCUMENTS}') "
                f"+ pg_total_relation_size('{CONTENT}') + pg_total_relation_size('{WORDS}'))"))
        return {"backend": self.name, "documents": documents, "vocabulary": words,
                "size": size}


def _swap(connection, table, indexes):
    """Put `table`_new in the place of `table`, under the usual names."""
    new = table + NEW
    connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    connection.execute(text(f"ALTER TABLE {new} RENAME TO {table}"))
    connection.execute(text(f"ALTER TABLE {table} RENAME CONSTRAINT pk_{new} TO pk_{table}"))
    for suffix in indexes:
        connection.execute(text(f"ALTER INDEX ix_{new}_{suffix} RENAME TO ix_{table}_{suffix}"))


# Queries --------------------------------------------------------------------------------------

def _alternative_query(terms, loose=False):
    lexemes = [_lexeme(term) for term in terms if term]
    return "(" + (" & " if loose else " <-> ").join(lexemes) + ")" if lexemes else None


def _group_query(group, loose=False):
    """The tsquery of a TermGroup: any of its alternatives, or None when it has none.

    `loose`: a phrase's words anywhere, in any order; GIN answers that without reading the
    rows, where a phrase makes PostgreSQL check the positions of every row it matched.
    """
    options = [query for query in (_alternative_query(terms, loose)
                                   for terms, _w in group.alternatives) if query]
    return "(" + " | ".join(options) + ")" if options else None


def _at_least_two(queries):
    """A tsquery matching any two of `queries`, or None when there are too many pairs."""
    if not 3 <= len(queries) <= MAX_PAIRED_WORDS:
        return None
    return " | ".join(f"({first} & {second})"
                      for index, first in enumerate(queries) for second in queries[index + 1:])


class _SearchQuery:
    """The WHERE, rank and ORDER BY of a plan, with their bound parameters."""

    def __init__(self, plan):
        self.params = {}
        required = [q for q in (_group_query(g) for g in plan.required) if q]
        optional = [q for q in (_group_query(g) for g in plan.optional) if q]
        excluded = [q for q in (_group_query(g) for g in plan.excluded) if q]
        filters = []
        for names in plan.tags:
            filters.append(f"tags && CAST({self._bind(list(names))} AS text[])")
        for column, values in (("lang", plan.langs), ("kind", plan.kinds)):
            if values:
                filters.append(f"{column} = ANY(CAST({self._bind(list(values))} AS text[]))")
        if plan.users:
            users = [user.lower() for user in plan.users]
            filters.append(f"users && CAST({self._bind(users)} AS text[])")
        if plan.modules:
            filters.append(f"modules && CAST({self._bind(list(plan.modules))} AS text[])")
        if plan.accepted:
            filters.append("accepted")
        if plan.answered:
            filters.append("answered")

        matched = " & ".join(required) if required else " | ".join(optional)
        exclusion = f"!({' | '.join(excluded)})" if excluded else ""
        if matched:
            # Excluded words in the same tsquery: the GIN index answers "a and not b" by
            # itself, where a separate NOT (...) made PostgreSQL read every row holding a.
            full = f"({matched}) & {exclusion}" if exclusion else matched
            text_conditions = [f"terms @@ CAST({self._bind(full)} AS tsquery)"]
        elif exclusion:
            text_conditions = [f"NOT (terms @@ CAST({self._bind(' | '.join(excluded))} "
                               f"AS tsquery))"]
        else:
            text_conditions = []
        self.where = " AND ".join(text_conditions + filters) or "true"
        self.has_text = bool(text_conditions)
        self.text_condition = text_conditions[0] if text_conditions else "true"

        ranked = plan.sort == "relevance" and bool(matched)
        self.rank = self._rank(plan.required + plan.optional) if ranked else "0.0"
        # Only for ranked searches (see PostgresBackend.search): the title tiers, from all
        # the words in the title to any of them, in their loose form; the full condition is
        # checked again on the candidates only.
        self.title_tiers = []
        if ranked:
            loose_required = [q for q in (_group_query(g, True) for g in plan.required) if q]
            loose_optional = [q for q in (_group_query(g, True) for g in plan.optional) if q]
            if loose_required:
                titles = [" & ".join(loose_required)]
            else:
                titles = [" & ".join(loose_optional), _at_least_two(loose_optional),
                          " | ".join(loose_optional)]
                titles = list(dict.fromkeys(title for title in titles if title))
            # With excluded words, the whole condition too: two GIN bitmaps ANDed, where a NOT
            # on each title match read thousands of rows only to drop them.
            tier_filters = (text_conditions if exclusion else []) + filters
            self.title_tiers = [
                " AND ".join([f"title_terms @@ CAST({self._bind(title)} AS tsquery)"]
                             + tier_filters) for title in titles]
            prefer = ""
            if plan.prefer_lang:
                prefer = f"lang = {self._bind(plan.prefer_lang)} DESC, "
            self.order = f"relevance DESC, {prefer}created DESC, key"
        elif plan.sort == "votes":
            self.order = "score DESC, created DESC, key"
        else:
            self.order = "created DESC, key"

    def _bind(self, value):
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def _rank(self, groups):
        """One ts_rank over any of the query's words (their weights are the lexemes' weights).

        One call per row: a ts_rank per word and per alternative cost several times more on
        queries matching tens of thousands of posts.
        """
        queries = [query for query in (_group_query(group) for group in groups) if query]
        if not queries:
            return "0.0"
        return (f"ts_rank('{RANK_WEIGHTS}', terms, "
                f"CAST({self._bind(' | '.join(queries))} AS tsquery), {RANK_NORMALISATION})"
                f" * boost")
