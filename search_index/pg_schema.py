"""The PostgreSQL engine's schema: extensions, text search configurations, tables and
indexes. The migrations call `create_schema`, `join_content`, `words_without_language` and
`drop_schema`; migrations/env.py and the migration test leave these tables out through
`include_object`.

The per-language configurations. The migration also creates one text search configuration per
content language — `carnets_fr`, `carnets_en`, `carnets_es`, `carnets_pt`, `carnets_ar` (the
Snowball Arabic stemmer where the server has it) and `carnets_simple` for Khmer and Malagasy —
each mapping words through `unaccent` and then the language's stemmer (`unaccent()` itself is
not IMMUTABLE; a configuration is). They feed `native`, a generated tsvector column with its own
GIN index, for SQL-side searches (`native @@ websearch_to_tsquery('carnets_fr', ...)` in psql,
reports). Search pages do not query it: PostgreSQL's stemmers run after `unaccent` (the reverse
of the order analysis.py needs), its parser cuts Khmer into pieces, and mixing its lexemes into
the ranked vector would make results differ from Whoosh's on the same plan.

A rebuild writes into `_new` tables beside the live ones (`create_new_tables`) and swaps them
in (`swap_new_tables`), so that readers never see a half-built index.
"""
from sqlalchemy import text

from search_index import analysis

DOCUMENTS = "search_document"
CONTENT = "search_content"
WORDS = "search_word"
NEW = "_new"
# Everything this module creates in the database; migrations/env.py leaves it out of the
# models-versus-database comparison (these tables are not SQLAlchemy models).
TABLES = frozenset(name + suffix for name in (DOCUMENTS, CONTENT, WORDS) for suffix in ("", NEW))
EXTENSIONS = ("unaccent", "fuzzystrmatch")
ANALYSIS_MARK = "carnets search analysis "

# Content language -> (configuration, configuration copied, stemming dictionary).
CONFIGURATIONS = {
    "fr": ("carnets_fr", "french", "french_stem"),
    "en": ("carnets_en", "english", "english_stem"),
    "es": ("carnets_es", "spanish", "spanish_stem"),
    "pt": ("carnets_pt", "portuguese", "portuguese_stem"),
    "ar": ("carnets_ar", "arabic", "arabic_stem"),
}
SIMPLE = ("carnets_simple", "simple", "simple")


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
            lang text NOT NULL,
            CONSTRAINT pk_{name} PRIMARY KEY (word, lang))""",
        # Corrections look at words of one language, of the same first letter and about the
        # same length.
        f"CREATE INDEX IF NOT EXISTS ix_{name}_first "
        f"ON {name} (lang, left(word, 1), length(word))",
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
    _words_by_language(connection)
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


def _has_column(connection, table, column):
    return connection.scalar(text(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = :table AND column_name = :column"),
        {"table": table, "column": column}) is not None


def _words_by_language(connection):
    """Give a `search_word` made before it had languages one row per word and language,
    filled from the documents' own words (no rebuild needed)."""
    if not connection.scalar(text("SELECT to_regclass(:table)"), {"table": WORDS}):
        return
    if _has_column(connection, WORDS, "lang"):
        return
    connection.execute(text(f"DROP TABLE {WORDS}"))
    for statement in _word_table(WORDS):
        connection.execute(text(statement))
    connection.execute(text(
        f"INSERT INTO {WORDS} (word, lang) SELECT DISTINCT unnest(spell), lang FROM {CONTENT} "
        f"ON CONFLICT DO NOTHING"))


def words_without_language(connection):
    """Undo `_words_by_language` (the downgrade of the migration that made it)."""
    if not connection.scalar(text("SELECT to_regclass(:table)"), {"table": WORDS}):
        return
    if not _has_column(connection, WORDS, "lang"):
        return
    connection.execute(text(f"DROP TABLE {WORDS}"))
    connection.execute(text(f"""CREATE TABLE {WORDS} (
        word text NOT NULL, CONSTRAINT pk_{WORDS} PRIMARY KEY (word))"""))
    connection.execute(text(
        f"CREATE INDEX ix_{WORDS}_first ON {WORDS} (left(word, 1), length(word))"))
    connection.execute(text(
        f"INSERT INTO {WORDS} (word) SELECT DISTINCT unnest(spell) FROM {CONTENT} "
        f"ON CONFLICT DO NOTHING"))


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


def create_new_tables(connection):
    """(Re)create the empty `_new` tables a rebuild writes into."""
    for table in (DOCUMENTS, CONTENT, WORDS):
        connection.execute(text(f"DROP TABLE IF EXISTS {table}{NEW}"))
    for statement in (_document_table(DOCUMENTS + NEW) + _content_table(CONTENT + NEW)
                      + _word_table(WORDS + NEW)):
        connection.execute(text(statement))


def swap_new_tables(connection):
    """Put the `_new` tables in the place of the live ones (in the caller's transaction),
    marked with the analysis their terms were made by."""
    _swap(connection, DOCUMENTS, DOCUMENT_INDEXES)
    _swap(connection, CONTENT, CONTENT_INDEXES)
    _swap(connection, WORDS, WORD_INDEXES)
    # A comment rather than a table: no migration, and it goes with the rebuilt table.
    # The version is the code's own constant (letters, digits, dots and dashes).
    version = analysis.ANALYSIS_VERSION.replace("'", "")
    connection.execute(text(f"COMMENT ON TABLE {DOCUMENTS} IS '{ANALYSIS_MARK}{version}'"))


def analysis_version(connection):
    """The analysis version the live tables were built with ("" when never rebuilt since
    versions were recorded)."""
    comment = connection.scalar(text(f"SELECT obj_description('{DOCUMENTS}'::regclass)"))
    return comment[len(ANALYSIS_MARK):] if comment and comment.startswith(ANALYSIS_MARK) else ""


def _swap(connection, table, indexes):
    """Put `table`_new in the place of `table`, under the usual names."""
    new = table + NEW
    connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    connection.execute(text(f"ALTER TABLE {new} RENAME TO {table}"))
    connection.execute(text(f"ALTER TABLE {table} RENAME CONSTRAINT pk_{new} TO pk_{table}"))
    for suffix in indexes:
        connection.execute(text(f"ALTER INDEX ix_{new}_{suffix} RENAME TO ix_{table}_{suffix}"))
