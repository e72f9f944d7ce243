"""Documents as PostgreSQL rows: the tsvector literal of a document's terms, its
`search_document` and `search_content` rows, and the statements that write them.

The vector is written as a tsvector literal (lexeme:position+weight), never through
`to_tsvector`, so PostgreSQL's parser cannot split or re-normalise a term (it would cut Khmer
words at their vowel signs). The title is weight A, the body weight B one position further on,
so that a phrase never runs from the title into the body (Whoosh keeps them in two fields).
"""
from datetime import timezone

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from search_index import analysis
from search_index.backend import CONCEPT_PREFIX
from search_index.pg_schema import CONTENT, DOCUMENTS, WORDS

# Same length as whoosh_backend.STORED_TEXT: what snippets are cut from.
STORED_TEXT = 4000
MAX_POSITION = 16383
MAX_POSITIONS = analysis.MAX_POSITIONS


def lexeme(term):
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
    return " ".join(f"{lexeme(term)}:{','.join(dict.fromkeys(found))}"
                    for term, found in positions.items() if term)


def document_rows(document):
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


def write_rows(connection, rows, suffix=""):
    """Write (document, content) row pairs into the live tables, or the `_new` ones."""
    if not rows:
        return
    connection.execute(_insert_document(DOCUMENTS + suffix), [row for row, _ in rows])
    connection.execute(_insert_content(CONTENT + suffix), [content for _, content in rows])
    vocabulary = sorted({(word, content["lang"]) for _, content in rows
                         for word in content["spell"]})
    if vocabulary:
        connection.execute(text(
            f"INSERT INTO {WORDS + suffix} (word, lang) "
            f"SELECT * FROM unnest(CAST(:words AS text[]), CAST(:langs AS text[])) "
            f"ON CONFLICT DO NOTHING"),
            {"words": [word for word, _ in vocabulary], "langs": [lang for _, lang in vocabulary]})


def write_rows_apart(connection, rows, suffix, failed, progress):
    """Write `rows` in a savepoint; if PostgreSQL refuses them, each row in its own, telling
    `failed` of those it refuses. Returns how many were written."""
    if failed is None:
        write_rows(connection, rows, suffix)
        written = rows
    else:
        try:
            with connection.begin_nested():
                write_rows(connection, rows, suffix)
            written = rows
        except DBAPIError:
            written = []
            for row in rows:
                try:
                    with connection.begin_nested():
                        write_rows(connection, [row], suffix)
                    written.append(row)
                except DBAPIError as error:
                    failed(row[0]["key"], error)
    if progress:
        progress(len(written))
    return len(written)
