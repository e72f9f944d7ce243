"""The shipped thesaurus file: every concept named in the six languages, by names that the
analyser keeps, that belong to one concept only, and that are specific enough to mark a post.

These check the data experts edit, not the code that reads it: a name that analyses to nothing
is silently skipped, a name shared by two concepts or a single common word ("enfant", "rue")
would attach a concept to posts that do not discuss it.
"""
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from search_index import analysis, thesaurus

LANGS = ("fr", "en", "es", "ar", "km", "mg")
DATA = json.loads(thesaurus.DEFAULT_PATH.read_text(encoding="utf-8"))
CONCEPTS = DATA["concepts"]
DEMO = json.loads((Path(__file__).parents[2] / "core" / "demo_content.json").read_text(
    encoding="utf-8"))
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Words of nearly every post of the field: alone, such a name would mark half the corpus.
COMMON_WORDS = {
    "fr": """enfant enfants jeune jeunes rue rues aide aider famille familles école centre
        travail santé vie groupe équipe parent parents adulte adultes fille filles garçon
        accueil suivi projet soin soins police foyer fois droit droits éducateur éducatrice
        parole question besoin temps jour nuit""",
    "en": """child children young youth street streets help family families school centre
        work health life group team parent parents adult adults girl girls boy boys care
        support follow project police home food play rights educator time day night""",
    "es": """niño niños niña niñas chico chicos joven jóvenes calle calles ayuda familia escuela
        centro trabajo salud vida grupo equipo padre padres adulto adultos acogida apoyo
        seguimiento proyecto policía casa juego derechos educador tiempo día noche red""",
    "ar": """طفل الطفل الأطفال أطفال الشارع الشوارع مساعدة الأسرة العائلة المدرسة العمل الصحة
        الحياة المجموعة الفريق الشرطة الأم البيت""",
    "km": """កុមារ ក្មេង ផ្លូវ គ្រួសារ សាលារៀន ជំនួយ ការងារ សុខភាព ជីវិត ក្រុម ប៉ូលីស ផ្ទះ""",
    "mg": """ankizy zaza lalana dalambe fanampiana fianakaviana sekoly asa fahasalamana fiainana
        vondrona ekipa polisy trano tena""",
}
# The share of the notebooks' modules and demo questions of a language that a name of one
# word may mark: "trust", the most named subject, is in two fifths of the English ones.
MAX_SHARE = 0.5


def _terms(text, lang):
    return tuple(term for term, _start, _end in analysis.tokens(text, lang))


def _names():
    for concept in CONCEPTS:
        for lang, texts in concept["terms"].items():
            for text in texts:
                yield concept["id"], lang, text


def _demo_documents():
    """{lang: [set of terms]} of the demo modules and questions."""
    documents = defaultdict(list)
    for notebook in DEMO["notebooks"]:
        for module in notebook["modules"]:
            text = "\n".join(module.get(key, "") for key in ("title", "summary", "objectives",
                                                              "body"))
            documents[notebook["lang"]].append(set(_terms(text, notebook["lang"])))
    for question in DEMO["questions"]:
        lang = question.get("lang", "en")
        text = question.get("title", "") + "\n" + question.get("body", "")
        documents[lang].append(set(_terms(text, lang)))
    return documents


def test_enough_concepts_with_unique_slug_ids():
    ids = [concept["id"] for concept in CONCEPTS]
    assert len(ids) >= 65
    assert len(set(ids)) == len(ids)
    assert all(SLUG_RE.fullmatch(ident) for ident in ids)


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda concept: concept["id"])
def test_every_concept_is_named_in_every_language(concept):
    assert set(concept["terms"]) == set(LANGS)
    for lang in LANGS:
        names = concept["terms"][lang]
        assert 1 <= len(names) <= 6, (lang, names)
        assert len(set(names)) == len(names), (lang, names)
    assert concept["tags"]


def test_every_name_keeps_terms_once_analysed():
    empty = [(ident, lang, text) for ident, lang, text in _names() if not _terms(text, lang)]
    assert empty == []


def test_khmer_names_are_written_without_spaces():
    assert [text for _ident, lang, text in _names() if lang == "km" and " " in text] == []


def test_no_analysed_name_belongs_to_two_concepts():
    owners = defaultdict(set)
    for concept in thesaurus.parse(DATA).concepts:
        for lang, terms in concept.names:
            owners[lang, terms].add(concept.id)
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_single_word_names_are_specific():
    common = {lang: {_terms(word, lang) for word in words.split()}
              for lang, words in COMMON_WORDS.items()}
    documents = _demo_documents()
    too_common = []
    for ident, lang, text in _names():
        terms = _terms(text, lang)
        if len(terms) != 1:
            continue
        marked = [terms[0] in document for document in documents.get(lang, [])]
        if terms in common[lang] or (marked and sum(marked) / len(marked) > MAX_SHARE):
            too_common.append((ident, lang, text))
    assert too_common == []


def test_tags_are_slugs_that_belong_to_one_concept():
    # A tag in two concepts would merge both groups of tag synonyms into one.
    owners = defaultdict(set)
    for concept in CONCEPTS:
        for tag in concept["tags"]:
            assert SLUG_RE.fullmatch(tag), tag
            owners[tag].add(concept["id"])
    assert {tag: ids for tag, ids in owners.items() if len(ids) > 1} == {}


def test_every_subject_of_the_notebooks_modules_is_a_concept():
    tags = {tag for concept in CONCEPTS for tag in concept["tags"]}
    subjects = {tag for modules in DEMO["module_tags"].values() for names in modules.values()
                for tag in names}
    assert subjects - tags == set()


def test_the_demo_questions_reach_concepts_in_their_language():
    # Each demo question, read without its tags, names at least one concept in its own words.
    parsed = thesaurus.parse(DATA)
    untouched = []
    for question in DEMO["questions"]:
        document = _Document(question.get("lang", "en"), question.get("title", ""),
                             question.get("body", ""))
        if not parsed.concepts_of(document):
            untouched.append(question["title"])
    assert untouched == []


class _Document:
    """The fields Thesaurus.concepts_of reads."""

    def __init__(self, lang, title, text):
        self.lang, self.title, self.text, self.tags = lang, title, text, ()
