"""Concepts rank like words: a post naming the concept of the query in another language
comes just below the posts in the reader's language holding the whole name, and above posts
that share only one common word of the query, on both engines."""
import json

import pytest

from search_index import registry
from search_index.thesaurus import ThesaurusCache

CONCEPTS = {"concepts": [
    {"id": "street-outreach",
     "terms": {"fr": ["maraude", "travail de rue"], "en": ["street outreach"],
               "es": ["educación de calle", "trabajo de calle"]},
     "tags": ["maraude", "street-outreach"]},
    {"id": "unaccompanied-minor",
     "terms": {"fr": ["mineur non accompagné"], "en": ["unaccompanied minor"],
               "es": ["menor no acompañado"]},
     "tags": []},
]}


@pytest.fixture
def corpus(app, seed, make_user, tmp_path, monkeypatch):
    path = tmp_path / "thesaurus.json"
    path.write_text(json.dumps(CONCEPTS), encoding="utf-8")
    monkeypatch.setattr(registry.state(app), "thesaurus", ThesaurusCache(path))
    author = make_user()
    ids = {
        "fr-concept": seed.question(
            author, "Préparer la maraude du jeudi soir",
            "Pendant la maraude nous allons vers les jeunes qui dorment près de la gare.",
            tags="nuit", lang="fr"),
        "es-common": seed.question(
            author, "Un perro en la calle del mercado",
            "Vimos un perro herido en la calle; ¿a quién llamar para que lo recojan?",
            tags="animales", lang="es"),
        "es-exact": seed.question(
            author, "Primer año de educación de calle en Lima",
            "La educación de calle nos enseñó a esperar antes de hablar.",
            tags="lima", lang="es"),
        "fr-minor": seed.question(
            author, "Accueil d'un mineur non accompagné à la gare",
            "Un mineur non accompagné arrivé hier demande où dormir.",
            tags="accueil", lang="fr"),
        "en-other": seed.question(
            author, "Minor repairs at the drop-in centre",
            "The roof needs minor repairs before the rains.", tags="building", lang="en"),
    }
    return ids


@pytest.mark.parametrize("query", ["educación de calle", "educacion de calle",
                                   "EDUCACION DE CALLE"])
def test_a_concept_in_another_language_ranks_between_exact_and_common_words(corpus, find,
                                                                              query):
    found = find(query)
    assert found[:3] == [corpus["es-exact"], corpus["fr-concept"], corpus["es-common"]]


def test_an_english_name_finds_the_french_post_first(corpus, find):
    found = find("unaccompanied minor")
    assert found[0] == corpus["fr-minor"]
    # The English post sharing "minor" only comes after.
    assert found.index(corpus["en-other"]) > found.index(corpus["fr-minor"])
    assert find("unaccompanied minors")[0] == corpus["fr-minor"]


def test_a_concept_post_outranks_one_sharing_a_common_word_in_its_title(corpus, find, seed,
                                                                         make_user):
    # "calle" in a title is still one common word: the French thread stays above it.
    titled = seed.question(make_user(), "Calle cerrada por obras", "Cerraron la avenida.",
                           tags="obras", lang="es")
    found = find("educacion de calle")
    assert found.index(corpus["fr-concept"]) < found.index(titled)
