"""A redacted name leaves search on both engines: no result, no snippet, no "did you mean",
and nothing the engine keeps (Whoosh's segments of replaced documents, PostgreSQL's stored
text and spelling vocabulary)."""
from pathlib import Path

import pytest
from sqlalchemy import text

from core.accounts.services import get_user_by_username
from core.extensions import db
from forum.services import redaction
from search_index import registry
from search_index.pg_schema import CONTENT, DOCUMENTS, WORDS

NAME = "Kalimbo"
TITLE = "Un garçon dort près du marché central"
NAMED = (f"Il s'appelle {NAME} Mutombe, il a 11 ans et dort derrière le marché.\n"
         "Comment l'approcher sans le brusquer ?")
CLEAN = ("Un garçon de 11 ans dort derrière le marché.\n"
         "Comment l'approcher sans le brusquer ?")


def engine_holds(app, word):
    """Whether the search engine keeps `word` anywhere a later reader could get it from."""
    with app.app_context():
        backend = registry.backend()
        if backend.name == "whoosh":
            reader = backend._searcher().reader()
            if any(term.split(":", 1)[1] == word.lower()
                   for term in reader.field_terms("spelling")):
                return True
            folder = Path(backend._current_dir())
            return any(word.encode() in path.read_bytes() or word.lower().encode()
                       in path.read_bytes() for path in folder.iterdir() if path.is_file())
        with db.engine.connect() as connection:
            pattern = f"%{word.lower()}%"
            return bool(connection.scalar(text(
                f"SELECT (SELECT count(*) FROM {WORDS} WHERE word = :word)"
                f" + (SELECT count(*) FROM {CONTENT} WHERE lower(title) LIKE :pattern"
                f"    OR lower(text) LIKE :pattern OR :word = ANY(spell))"
                f" + (SELECT count(*) FROM {DOCUMENTS}"
                f"    WHERE terms @@ to_tsquery('simple', :word))"),
                {"word": word.lower(), "pattern": pattern}))


@pytest.fixture
def moderate(app, make_user):
    moderator = make_user("moderator")

    def run(operation, *args):
        with app.test_request_context():
            getattr(redaction, operation)(get_user_by_username(moderator), *args,
                                          "names a child")

    return run


def test_a_redacted_revision_leaves_nothing_in_the_engine(app, seed, make_user, find,
                                                          moderate):
    author = make_user()
    question_id = seed.question(author, TITLE, NAMED, tags="maraude", lang="fr")
    assert find(NAME) == [question_id]
    seed.edit_question(author, question_id, TITLE, CLEAN, tags="maraude", lang="fr")
    assert find(NAME) == []
    assert find("Kalimbu") == [] and find.last.suggestion is None
    moderate("redact_revision", "question", question_id, 1)
    assert not engine_holds(app, NAME)
    for query in (NAME, "Kalimbu", "Mutombe", "Mutomba"):
        assert find(query) == []
        assert find.last.suggestion is None and find.last.corrected_from is None
    assert find("marché") == [question_id]
    assert NAME not in str(find.last.items[0].snippet)


def test_a_redacted_passage_leaves_results_snippets_and_suggestions(app, seed, make_user,
                                                                    find, moderate):
    author = make_user()
    question_id = seed.question(author, TITLE, NAMED, tags="maraude", lang="fr")
    answer_id = seed.answer(make_user(), question_id,
                            f"Nous connaissons {NAME}, il vient au centre le mardi.")
    assert find(NAME) == [question_id]
    assert NAME in str(find.last.items[0].snippet)
    assert engine_holds(app, NAME)
    moderate("redact_passage", "question", question_id, f"{NAME} Mutombe")
    # The answer still names him: one post at a time, each a moderator's decision.
    assert find(NAME) == [question_id]
    assert f"{NAME} Mutombe" not in str(find.last.items[0].snippet)
    moderate("redact_passage", "answer", answer_id, NAME)
    assert not engine_holds(app, NAME)
    for query in (NAME, "Kalimbu", "Mutombe"):
        assert find(query) == []
        assert find.last.suggestion is None and find.last.corrected_from is None
    assert find("marché") == [question_id]
    assert NAME not in str(find.last.items[0].snippet)


def test_words_other_posts_hold_stay_searchable(app, seed, make_user, find, moderate):
    author = make_user()
    question_id = seed.question(author, TITLE, NAMED, tags="maraude", lang="fr")
    other = seed.question(author, "Kalimbo, un quartier de Kinshasa",
                          "Le quartier Kalimbo accueille un centre de jour pour enfants.",
                          tags="maraude", lang="fr")
    moderate("redact_passage", "question", question_id, NAME)
    assert find(NAME) == [other]
    assert find("Kalimbu") == [other]
