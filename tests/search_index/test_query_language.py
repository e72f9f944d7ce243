""""Did you mean" in the query's own language, highlighting without small words, and the
similar-questions list, on both engines."""
import re

import pytest

from core.accounts.services import get_user_by_username
from knowledge.services import editing, workflow
from search_index import analysis, service

FRENCH = {"que", "contact", "comment", "pendant", "hurle", "maraude"}
ENGLISH = {"have", "contact", "huge", "first"}


@pytest.fixture
def corpus(seed, make_user):
    """Spanish, French and English threads whose words lie close to each other: English
    "contact" is held by more posts than Spanish "contacto", and "have" is one letter from
    the Spanish "huye" as "huyen" is."""
    ana, lea, tom = (make_user(username=name) for name in ("ana", "lea", "tom"))
    ids = {
        "es": seed.question(
            ana, "El primer contacto con un niño que huyen de casa",
            "Hay niños que huyen de su casa y desconfían del primer contacto en la calle.",
            tags="calle", lang="es"),
        "fr": seed.question(
            lea, "Comment garder le contact pendant la maraude",
            "Un enfant que la maraude croise hurle quand on approche : garder le contact "
            "pendant des semaines.", tags="maraude", lang="fr"),
    }
    for number in range(3):
        ids[f"en{number}"] = seed.question(
            tom, f"First contact with children who have left home ({number})",
            "We have a huge number of first contact visits; children have their own pace.",
            tags="outreach", lang="en")
    return ids


def _suggested(find, text):
    find(text)
    return find.last.suggestion or (find.last.text if find.last.corrected_from else None)


def test_a_spanish_query_is_corrected_with_spanish_words_only(corpus, find):
    suggestion = _suggested(find, "nino que huye")
    assert suggestion == "nino que huyen"
    words = set(suggestion.split())
    assert not words & (ENGLISH - {"que"}) and "have" not in words


def test_a_short_word_is_not_changed_into_another_word(corpus, find):
    # "huyo" is two letters from "hay" and from "huyen": a word of four letters is corrected
    # by one letter at most.
    assert _suggested(find, "nino que huyo") is None


def test_primer_contato_becomes_primer_contacto(corpus, find):
    assert _suggested(find, "primer contato") == "primer contacto"


def test_a_french_word_in_a_spanish_query_is_left_alone(corpus, find):
    # "maraude" is spelled right in French: only the misspelled Spanish word changes.
    assert (_suggested(find, "el primer contato con la maraude")
            == "el primer contacto con la maraude")
    assert (_suggested(find, "los ninos que huye de la maraude")
            == "los ninos que huyen de la maraude")


def test_lang_forces_the_language_of_corrections(corpus, find):
    assert _suggested(find, "contato lang:es") == "contacto lang:es"
    assert _suggested(find, "contato lang:en") == "contact lang:en"


def test_an_english_query_is_still_corrected_in_english(corpus, find):
    assert _suggested(find, "first contatc children") == "first contact children"


def test_language_detection_counts_known_and_stop_words():
    from search_index.spelling import query_language

    known = {"nino": {"es"}, "que": {"es", "fr"}}
    assert query_language(["nino", "que", "huye"], known, ["fr", "en", "es"]) == ["es"]
    # Stop words alone say it when the index knows none of the words.
    assert query_language(["que", "del", "huye"], {}, ["fr", "en", "es"]) == ["es"]
    assert query_language(["xyz"], {}, ["fr", "es"]) == ["fr", "es"]


def test_highlighting_skips_small_words(corpus, find):
    find("comment garder pendant maraude")
    item = next(item for item in find.last.items if item.card.id == corpus["fr"])
    marked = {word.lower() for word in re.findall(r"<mark>(.*?)</mark>",
                                                  str(item.title) + str(item.snippet))}
    assert {"garder", "maraude"} <= marked
    assert not marked & {"comment", "pendant"}


def test_light_words_stay_searchable():
    # Not stop words: they are still indexed, in French as in English ("a pendant").
    assert analysis.terms("Comment faire pendant la nuit", "fr").split()[:1] == ["comment"]
    assert "pendant" in analysis.terms("a silver pendant", "en").split()
    assert analysis.is_light("Pendant", "fr") and not analysis.is_light("pendant", "en")


def test_similar_questions_ignore_small_words(app, corpus, find):
    with app.test_request_context():
        # Shares only "comment" and "pendant" with the French thread.
        assert service.similar("Comment dormir pendant l'hiver ?") == []
        found = service.similar("Comment garder le contact pendant la maraude de nuit")
        assert [item.card.id for item in found] == [corpus["fr"]]
        marked = re.findall(r"<mark>(.*?)</mark>", str(found[0].title))
        assert marked and not {word.lower() for word in marked} & {"comment", "pendant"}


def test_articles_show_as_articles_in_the_similar_list(app, client, make_user, login):
    curator, reviewer = make_user("expert"), make_user("expert")
    with app.app_context():
        text = editing.ArticleText(
            "Approaching a runaway child at night", "Come back, sit down.",
            "Come back at the same hour every night and let the runaway child choose.",
            "outreach", "en")
        slug = editing.create_article(get_user_by_username(curator), text).slug
        workflow.submit_for_review(get_user_by_username(curator), slug)
        workflow.approve(get_user_by_username(reviewer), slug)
    login(client, make_user())
    page = client.post_form("/questions/ask", {
        "title": "Approaching a runaway child at night", "body": "How do we start? " * 3,
        "tags": "outreach", "lang": "en"}).get_data(as_text=True)
    similar = page.split('id="similar-title"', 1)[1].split("</section>", 1)[0]
    assert f"/kb/articles/{slug}" in similar or slug in similar
    assert "Good practice" in similar and "0 answers" not in similar


def test_a_whoosh_index_without_spelling_by_language_is_outdated(app, seed, make_user, find):
    """An index of the previous release (one "spell" field for every language) still answers,
    offers no correction from mixed languages, and `search rebuild --if-outdated` renews it."""
    if app.config["SEARCH_BACKEND"] != "whoosh":
        pytest.skip("PostgreSQL's search tables are brought up to date by the migration")
    from whoosh import fields, index as whoosh_index

    from search_index import registry, whoosh_backend

    with app.app_context():
        backend = registry.backend()
        old_fields = {name: whoosh_backend.schema()[name]
                      for name in whoosh_backend.schema().names() if name != "spelling"}
        old = backend.folder / "index-previous-release"
        old.mkdir()
        whoosh_index.create_in(str(old), fields.Schema(
            spell=fields.TEXT(phrase=False), **old_fields))
        backend._point_to(old.name)
    try:
        question = seed.question(make_user(), "El primer contacto en la calle", lang="es")
        assert find("contacto") == [question]
        assert find("contato calle") == [question] and find.last.suggestion is None
        runner = app.test_cli_runner()
        assert runner.invoke(args=["search", "rebuild", "--if-outdated"]).exit_code == 0
        find("contato calle")
        assert find.last.suggestion == "contacto calle"
    finally:
        with app.app_context():
            registry.backend().rebuild([])
