"""Khmer, written without spaces between words, is searched by whole words on both engines:
found, ranked and highlighted as a reader who reads Khmer would expect."""
import re

import pytest

from search_index import analysis, khmer, registry

MARKED_RE = re.compile(r"<mark>(.*?)</mark>")
# Posts need a few more visible characters than these short Khmer notes have.
NOTES = "(from the night round)"

pytestmark = pytest.mark.skipif(not khmer.enabled(), reason="icu4py is not installed")


@pytest.fixture
def posts(seed, make_user):
    sok = make_user(username="sok")
    return {
        # "Safety at the shelter" / "The child's family needs education and good
        # communication."
        "safety": seed.question(
            sok, "សុវត្ថិភាពនៅទីជម្រក",
            "គ្រួសាររបស់កុមារត្រូវការការអប់រំនិងការទំនាក់ទំនងល្អ។", tags="khmer", lang="km"),
        # "We provide education to street children every evening." (education and children
        # together)
        "together": seed.question(
            sok, "Field notes, heron", "យើងផ្តល់ការអប់រំកុមារនៅតាមផ្លូវរៀងរាល់ល្ងាច។",
            tags="khmer", lang="km"),
        # "We give food to the children, and we organise education for the families." (the
        # same words apart)
        "apart": seed.question(
            sok, "Field notes, ibis",
            "យើងផ្តល់អាហារដល់កុមារ ហើយយើងរៀបចំការអប់រំសម្រាប់គ្រួសារ។",
            tags="khmer", lang="km"),
        # "Children's health at the centre."
        "health": seed.question(sok, "Field notes, egret", "សុខភាពកុមារនៅមណ្ឌល។ " + NOTES,
                                tags="khmer", lang="km"),
    }


def _marked(markup):
    return MARKED_RE.findall(str(markup))


def test_a_khmer_word_is_found_and_highlighted_whole(posts, find):
    assert find("សុវត្ថិភាព") == [posts["safety"]]
    item = find.last.items[0]
    # The whole word, not the syllable pairs it used to be cut into.
    assert _marked(item.title) == ["សុវត្ថិភាព"]
    assert find("ទីជម្រក") == [posts["safety"]]
    assert _marked(find.last.items[0].title) == ["ទីជម្រក"]
    assert find("គ្រួសារ")[0] == posts["safety"]
    assert "<mark>គ្រួសារ</mark>" in str(find.last.items[0].snippet)
    # Typed glued as it is written, "communication" is two dictionary words (the noun marker
    # and the verb): the verb is marked; the noun marker is a stop word, marked nowhere, not
    # even inside "ត្រូវការ" (to need).
    assert find("ការទំនាក់ទំនង")[0] == posts["safety"]
    snippet = find.last.items[0].snippet
    assert _marked(snippet) == ["ទំនាក់ទំនង"]
    assert "ការ<mark>ទំនាក់ទំនង</mark>" in str(snippet)


def test_a_word_is_not_found_inside_another_word(posts, find):
    # "សុខ" (well-being, also a name) is the first half of "សុខភាព" (health), and "ភាព"
    # (-ness) the end of "សុវត្ថិភាព" (safety): neither is a word of those posts.
    assert find("សុខភាព") == [posts["health"]]
    assert find("សុខ") == []
    assert find("ភាព") == []


def test_words_typed_together_rank_the_post_holding_them_together_first(posts, find):
    # "ការអប់រំកុមារ" (educating children): both posts hold both words, one of them glued.
    found = find("ការអប់រំកុមារ")
    assert found[0] == posts["together"] and posts["apart"] in found
    assert _marked(find.last.items[0].snippet) == ["ការអប់រំ", "កុមារ"]
    # A quoted phrase of Khmer words requires them together.
    assert find('"ការអប់រំកុមារ"') == [posts["together"]]


def test_either_spelling_of_subscript_da_finds_the_other(seed, make_user, find):
    # ផ្ដល់ and ផ្តល់ ("to give") differ only in the subscript written (DA or TA).
    question = seed.question(make_user(), "Field notes, crane", "យើងផ្ដល់អាហារដល់កុមារ។ " + NOTES,
                             lang="km")
    assert find("ផ្តល់") == [question]
    assert find("ផ្ដល់") == [question]


def test_a_khmer_concept_name_of_several_words_links_the_languages(seed, make_user, find):
    author = make_user()
    # "Family reunification is the goal of the work."
    khmer_post = seed.question(author, "Field notes, stork",
                               "ការជួបជុំគ្រួសារគឺជាគោលដៅនៃការងារ។", lang="km")
    english = seed.question(author, "Family reunification after months on the street",
                            "The boy wants to go back to his aunt.", lang="en")
    assert find("family reunification")[:2] == [english, khmer_post]
    assert find("ការជួបជុំគ្រួសារ")[:2] == [khmer_post, english]


def test_without_a_segmenter_khmer_is_still_found(seed, make_user, find, monkeypatch):
    """A platform where icu4py cannot be installed falls back on syllables."""
    monkeypatch.setattr(khmer, "WordBreaker", None)
    question = seed.question(make_user(), "Field notes, plover", "កុមារត្រូវការសុវត្ថិភាព។ " + NOTES,
                             lang="km")
    assert find("សុវត្ថិភាព") == [question]
    assert find("កុមារ") == [question]


def test_an_index_made_by_another_analysis_is_rebuilt_by_make_run(app, seed, make_user, find,
                                                                   monkeypatch):
    """`make run` calls `search rebuild --if-outdated`: an index whose terms another version of
    the analysis made (syllable pairs) is rebuilt, on either engine."""
    question = seed.question(make_user(), "Field notes, curlew", "សុវត្ថិភាពកុមារ។ " + NOTES, lang="km")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert "schema: current" in runner.invoke(args=["search", "stats"]).output
    monkeypatch.setattr(analysis, "ANALYSIS_VERSION", "3-other")
    assert "outdated" in runner.invoke(args=["search", "stats"]).output
    result = runner.invoke(args=["search", "rebuild", "--if-outdated"])
    assert result.exit_code == 0 and "1 documents indexed" in result.output
    assert runner.invoke(args=["search", "rebuild", "--if-outdated"]).output == ""
    assert find("សុវត្ថិភាព") == [question]
    with app.app_context():
        assert registry.backend().stats()["schema"] == "current"
