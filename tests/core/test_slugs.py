"""The one slug rule, shared by question addresses and article slugs."""
from core.slugs import slugify


def test_accents_fold_and_punctuation_becomes_one_hyphen():
    assert slugify("Mise à l'abri : la 1ʳᵉ nuit ?") == "mise-a-l-abri-la-1re-nuit"
    assert slugify("Niño_que huye") == "nino-que-huye"


def test_other_scripts_keep_their_marks():
    assert slugify("كيف أبني الثقة؟") == "كيف-أبني-الثقة"
    assert slugify("ការទំនាក់ទំនង ដំបូង") == "ការទំនាក់ទំនង-ដំបូង"


def test_cut_never_leaves_a_trailing_hyphen_and_empty_text_falls_back():
    assert slugify("abc def", length=4) == "abc"
    assert slugify("?!", fallback="article") == "article"
    assert slugify(None) == "q"
