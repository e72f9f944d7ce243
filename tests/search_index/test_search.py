"""What a reader finds: the same behaviour from both engines."""
import json

import pytest

from search_index import indexing, registry, service
from search_index.thesaurus import ThesaurusCache


@pytest.fixture
def corpus(seed, make_user):
    """A few field discussions in several languages; returns {name: question id}."""
    amina, mateo, sok = make_user(username="amina"), make_user(username="mateo"), make_user(
        username="sok")
    ids = {}
    ids["trust"] = seed.question(
        amina, "Gagner la confiance d'un enfant en situation de rue",
        "Lors des maraudes, les éducateurs rencontrent des enfants très méfiants. Comment "
        "créer un premier lien sans brusquer ?", tags="maraude confiance", lang="fr")
    ids["reunification"] = seed.question(
        amina, "Préparer une réunification familiale après un long séjour au centre",
        "Le jeune souhaite rentrer chez sa tante. Quelles étapes avant la réunification ?",
        tags="reunification-familiale", lang="fr")
    ids["school"] = seed.question(
        mateo, "Volver a la escuela después de vivir en la calle",
        "Los niños que vuelven a la escuela necesitan acompañamiento. ¿Qué funciona?",
        tags="escuela", lang="es")
    ids["minors"] = seed.question(
        mateo, "Unaccompanied minors arriving at the shelter at night",
        "Two unaccompanied minors arrived after midnight. What should the first hours look "
        "like for them?", tags="shelter unaccompanied-minors", lang="en")
    ids["khmer"] = seed.question(
        sok, "ការងារសង្គមជាមួយកុមារនៅតាមផ្លូវ",
        "តើធ្វើដូចម្តេចដើម្បីកសាងទំនុកចិត្តជាមួយកុមារដែលរស់នៅតាមផ្លូវ? នេះជាសំណួរ។",
        tags="khmer", lang="km")
    ids["arabic"] = seed.question(
        sok, "كيف نبني الثقة مع الأطفال في الشارع",
        "نلتقي بالأطفال في الشارع كل مساء ونريد أن نبني علاقة ثقة معهم دون ضغط.",
        tags="arabic", lang="ar")
    answer = seed.answer(mateo, ids["minors"],
                         "Give them food, a bed and a calm explanation of the shelter rules; "
                         "the interview can wait for the morning.")
    seed.accept(mateo, answer)
    return ids


def test_found_by_a_word_of_the_title(corpus, find):
    assert find("réunification")[0] == corpus["reunification"]


def test_without_accents_and_in_capitals(corpus, find):
    assert corpus["trust"] in find("EDUCATEURS")
    assert find("reunification familiale")[0] == corpus["reunification"]


def test_plural_and_singular_meet_through_stemming(corpus, find):
    assert corpus["trust"] in find("enfant méfiant")
    assert corpus["minors"] in find("shelters")
    assert corpus["school"] in find("escuelas")


def test_found_by_a_paraphrase_of_its_title(corpus, find):
    assert find("comment créer la confiance avec les enfants des rues")[0] == corpus["trust"]
    assert find("minors who arrive at night in a shelter")[0] == corpus["minors"]


def test_words_of_an_answer_find_the_thread(corpus, find):
    assert find("interview morning") == [corpus["minors"]]


def test_a_phrase_must_appear_as_written(corpus, find):
    assert find('"unaccompanied minors"') == [corpus["minors"]]
    assert find('"minors unaccompanied"') == []


def test_excluded_words_remove_threads(corpus, find):
    assert corpus["trust"] in find("enfants")
    assert corpus["trust"] not in find("enfants -maraudes")


def test_filters_by_tag_language_user_and_state(corpus, find):
    assert find("tag:escuela") == [corpus["school"]]
    assert set(find("lang:fr")) == {corpus["trust"], corpus["reunification"]}
    assert set(find("user:mateo")) == {corpus["school"], corpus["minors"]}
    assert find("is:accepted") == [corpus["minors"]]
    assert find("is:answered") == [corpus["minors"]]
    assert find("enfants lang:es") == []


def test_khmer_word_inside_a_sentence_is_found(corpus, find):
    # "ទំនុកចិត្ត" (trust) is written inside a sentence, without spaces around it.
    # The Khmer thread first; the thesaurus adds "trust" discussions in other languages.
    assert find("ទំនុកចិត្ត")[0] == corpus["khmer"]
    assert find("កុមារ") == [corpus["khmer"]]


def test_arabic_without_vowel_marks_and_with_article(corpus, find):
    assert corpus["arabic"] in find("الثقة")
    assert corpus["arabic"] in find("ثقة")
    assert corpus["arabic"] in find("الشَّارِع")


def test_results_carry_a_highlighted_snippet(corpus, find):
    find("midnight")
    item = find.last.items[0]
    assert "<mark>midnight</mark>" in str(item.snippet)
    assert item.card.answer_count == 1 and item.card.accepted


def test_snippet_escapes_what_users_wrote(seed, make_user, find):
    author = make_user()
    seed.question(author, "Escaping <script>alert(1)</script> titles", "The body mentions "
                  "<img src=x onerror=alert(1)> as text, and the word escaping.")
    find("escaping")
    item = find.last.items[0]
    assert "<script>" not in str(item.title) and "&lt;script&gt;" in str(item.title)
    assert "<img" not in str(item.snippet)


def test_misspelt_query_shows_what_was_meant(corpus, find):
    assert find("reunifcation") == [corpus["reunification"]]
    assert find.last.corrected_from == "reunifcation"
    assert find.last.text == "reunification"


def test_suggestion_when_some_results_exist(corpus, find):
    find("shelter nigth")
    assert find.last.suggestion == "shelter night"


# (malformed part, whether the page explains what it did with it, whether a word typed
# beside it still finds its thread: an unclosed quote makes a phrase of what follows, and
# "tag:tag:tag" is a filter on the tag "tag:tag", so these two rightly find nothing).
MALFORMED = [('"unbalanced', True, False), ("tag:", True, True), ("lang:", True, True),
             ("is:", True, True), ("is:nonsense", True, True), ("x" * 5000, True, True),
             ("\x00\x01\x1f abc", False, True), ("-", False, True), ('""', False, True),
             ("::::", False, True), ("lang:zz", True, True), ("user:", True, True),
             ("tag:tag:tag", False, False), ("(((", False, True), ("*", False, True),
             ("a~2", False, True), ("de la le", False, True), ("   ", False, True)]


@pytest.mark.parametrize(("text", "explained", "word_still_found"), MALFORMED)
def test_malformed_queries_never_fail(corpus, find, text, explained, word_still_found):
    """A malformed part finds nothing by itself; beside a real word it is explained where it
    was ignored or changed, and the word is still searched."""
    assert find(text) == [] and find.last.total == 0
    found = find("maraudes " + text)
    assert found == ([corpus["trust"]] if word_still_found else [])
    assert find.last.total == len(found)
    assert bool(find.last.messages) == explained, find.last.messages


def test_common_words_only_say_so(corpus, find):
    assert find("de la le") == []
    assert find.last.messages


def test_sorts_newest_and_votes(corpus, find, seed, make_user):
    voters = [make_user() for _ in range(2)]
    for voter in voters:
        seed.vote(voter, "question", corpus["trust"])
    assert find("lang:fr", sort="newest") == [corpus["reunification"], corpus["trust"]]
    assert find("lang:fr", sort="votes") == [corpus["trust"], corpus["reunification"]]


def test_paging(seed, make_user, find):
    author = make_user()
    ids = [seed.question(author, f"Question number {n} about outreach work") for n in range(13)]
    first = find("outreach", sort="newest")
    second = find("outreach", sort="newest", page=2)
    assert find.last.total == 13 and find.last.pages == 2
    assert len(first) == 10 and len(second) == 3
    assert set(first + second) == set(ids)
    assert find("outreach", sort="newest", page=3) == []


def test_deleted_posts_never_appear(corpus, find, seed):
    seed.delete("mateo", "question", corpus["school"])
    assert find("escuela") == []
    assert find("tag:escuela") == []
    seed.undelete("mateo", "question", corpus["school"])
    assert find("escuela") == [corpus["school"]]


def test_deleted_answer_leaves_the_index(corpus, find, seed, app):
    answer = seed.answer("amina", corpus["trust"], "Une astuce: les goûters partagés au parc.")
    assert find("goûters") == [corpus["trust"]]
    seed.delete("amina", "answer", answer)
    assert find("goûters") == []
    with app.test_request_context():
        assert "goûters" not in str(service.search("confiance").items[0].snippet)


def test_edits_reach_the_index(corpus, find, seed):
    seed.edit_question("mateo", corpus["school"], "Volver al colegio tras la calle",
                       tags="escuela colegio", lang="es")
    assert find("colegio") == [corpus["school"]]
    assert find("tag:colegio") == [corpus["school"]]


def test_votes_and_accepts_reach_the_index(corpus, find, seed):
    answer = seed.answer("amina", corpus["school"], "Un acompañamiento diario funciona bien.")
    assert corpus["school"] not in find("is:accepted")
    seed.accept("mateo", answer)
    assert corpus["school"] in find("is:accepted")


def test_thesaurus_finds_the_same_concept_in_other_languages(corpus, find):
    # Spanish reader, French discussion: "reunificación familiar" ↔ "réunification familiale".
    found = find("reunificación familiar")
    assert corpus["reunification"] in found
    assert find("unaccompanied minors")[0] == corpus["minors"]
    # "menores no acompañados" finds the English thread through the thesaurus.
    assert corpus["minors"] in find("menores no acompañados")


def test_same_language_results_rank_above_thesaurus_ones(seed, make_user, find):
    author = make_user()
    french = seed.question(author, "Organiser une maraude le soir avec deux éducateurs",
                           tags="maraude", lang="fr")
    english = seed.question(author, "Planning street outreach in the evening with volunteers",
                            tags="outreach", lang="en")
    assert find("maraude") == [french, english]
    assert find("street outreach") == [english, french]


def test_words_of_deleted_posts_are_never_suggested(corpus, find, seed):
    # A name written in a post its author then deleted must not come back as "did you mean".
    hidden = seed.question("amina", "Rencontre avec Kalimbo près du marché central",
                           "Kalimbo dort près du marché depuis deux semaines, seul.",
                           tags="maraude", lang="fr")
    answer = seed.answer("mateo", corpus["trust"], "Zawadika connaît bien le quartier.")
    assert find("Kalimbu") == [hidden]
    seed.delete("amina", "question", hidden)
    seed.delete("mateo", "answer", answer)
    for typo in ("Kalimbu", "Zawadiko"):
        assert find(typo) == []
        assert find.last.suggestion is None and find.last.corrected_from is None
        assert find(f"confiance {typo}")[0] == corpus["trust"]
        assert find.last.suggestion is None


def test_a_tag_filter_also_finds_the_tags_of_the_same_concept(seed, make_user, find):
    author = make_user()
    french = seed.question(author, "Horaires de la tournée du soir", tags="maraude", lang="fr")
    english = seed.question(author, "Evening rounds near the station", tags="street-outreach")
    other = seed.question(author, "Evening rounds of the night shelter", tags="shelter")
    assert set(find("tag:maraude")) == {french, english}
    assert set(find("tag:street-outreach evening")) == {english}
    assert other not in find("tag:street-outreach")


def test_experts_extend_the_thesaurus_then_rebuild(seed, make_user, find, app, tmp_path,
                                                  monkeypatch):
    author = make_user()
    question = seed.question(author, "Le goûter partagé comme premier lien",
                             "Au parc, un goûter partagé ouvre souvent la conversation.",
                             tags="premier-contact", lang="fr")
    tagged = seed.question(author, "Primeras palabras con un niño que duerme en la estación",
                           tags="primer-contacto", lang="es")
    assert find("merienda") == []
    path = tmp_path / "thesaurus.json"
    path.write_text(json.dumps({"concepts": [{
        "id": "snack", "terms": {"fr": ["goûter"], "es": ["merienda"]},
        "tags": ["premier-contact", "primer-contacto"]}]}), encoding="utf-8")
    monkeypatch.setattr(registry.state(app), "thesaurus", ThesaurusCache(path))
    # Tag synonyms apply at once; concepts reach indexed posts with a rebuild.
    assert set(find("tag:primer-contacto")) == {question, tagged}
    with app.app_context():
        indexing.rebuild()
    assert find("merienda")[0] == question
    assert set(find("merienda")) == {question, tagged}
