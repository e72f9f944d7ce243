"""Tag synonyms: experts and moderators declare that tags mean the same; the group is then
listed, filtered, followed and asked with as one tag."""
import pytest
from sqlalchemy import select

from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import Forbidden, InvalidInput
from core.extensions import db
from forum.models import Question, Tag, TagFollow
from forum.services import follows, queries, tag_synonyms
from forum.services import tags as tag_service
from tests.forum.conftest import BODY, assert_login_redirect, html, listed_question_ids


def _user(name):
    return get_user_by_username(name)


def _tag(name):
    return db.session.scalar(select(Tag).where(Tag.name == name))


@pytest.fixture
def outreach(app, seed, make_user):
    """Three questions on street outreach, tagged in three languages; returns their ids."""
    author = make_user("member", username="amina")
    ids = {"fr": seed.question(author, "Organiser une maraude du soir avec deux éducateurs",
                               tags="maraude nuit", lang="fr"),
           "en": seed.question(author, "Planning street outreach with volunteers in winter",
                               tags="street-outreach", lang="en"),
           "es": seed.question(author, "Educación de calle con niños que duermen en la estación",
                               tags="educacion-de-calle street-outreach", lang="es"),
           "other": seed.question(author, "Night shelter rules for newcomers", tags="shelter")}
    return ids


# -- the domain, without HTTP ------------------------------------------------------------------

def test_declaring_merges_the_group_under_the_main_tag(app, outreach, make_user):
    expert = make_user("expert")
    with app.app_context():
        main = tag_synonyms.declare_synonym(_user(expert), "maraude", "street-outreach")
        assert main.name == "street-outreach"
        # A synonym of a synonym maps to the main tag: groups are one level deep.
        tag_synonyms.declare_synonym(_user(expert), "educacion-de-calle", "maraude")
        assert _tag("educacion-de-calle").synonym_of_id == main.id
        assert [t.name for t in tag_synonyms.synonyms_of(main)] == ["educacion-de-calle",
                                                                    "maraude"]
        # Retagged as on Stack Overflow: the question tagged with both counts once.
        assert (_tag("street-outreach").question_count, _tag("maraude").question_count,
                _tag("educacion-de-calle").question_count) == (3, 0, 0)
        assert {t.name for t in db.session.get(Question, outreach["es"]).tags} == {
            "street-outreach"}
        tag_service.recount()
        assert _tag("street-outreach").question_count == 3
        listed = {q.id for q in queries.list_questions(tag="maraude").items}
        assert listed == {outreach["fr"], outreach["en"], outreach["es"]}
        assert [t.name for t in tag_service.list_tags()[0]] == ["street-outreach", "nuit",
                                                                "shelter"]
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count(tag_synonyms.DECLARED) == 2


def test_refusals_say_why(app, outreach, make_user):
    expert = make_user("expert")
    with app.app_context():
        user = _user(expert)
        with pytest.raises(InvalidInput, match="itself"):
            tag_synonyms.declare_synonym(user, "maraude", "maraude")
        with pytest.raises(InvalidInput, match="no tag"):
            tag_synonyms.declare_synonym(user, "nosuchtag", "maraude")
        with pytest.raises(InvalidInput, match="no tag"):
            tag_synonyms.declare_synonym(user, "maraude", "nosuchtag")
        tag_synonyms.declare_synonym(user, "maraude", "street-outreach")
        # The loop street-outreach → maraude → street-outreach is refused.
        with pytest.raises(InvalidInput, match="main tag"):
            tag_synonyms.declare_synonym(user, "street-outreach", "maraude")
        with pytest.raises(InvalidInput, match="already a synonym"):
            tag_synonyms.declare_synonym(user, "maraude", "shelter")
        with pytest.raises(InvalidInput, match="not a synonym"):
            tag_synonyms.remove_synonym(user, "shelter")
        with pytest.raises(InvalidInput, match="not a synonym"):
            tag_synonyms.remove_synonym(user, "maraude", "shelter")
        assert _tag("maraude").synonym_of_id is not None
        assert _tag("street-outreach").synonym_of_id is None


def test_a_main_tag_joining_a_group_brings_its_synonyms(app, outreach, make_user):
    expert = make_user("expert")
    with app.app_context():
        tag_synonyms.declare_synonym(_user(expert), "maraude", "street-outreach")
        tag_synonyms.declare_synonym(_user(expert), "street-outreach", "educacion-de-calle")
        main = _tag("educacion-de-calle")
        assert main.synonym_of_id is None
        assert {t.name for t in tag_synonyms.synonyms_of(main)} == {"maraude",
                                                                    "street-outreach"}
        assert main.question_count == 3


def test_only_experts_and_moderators_declare(app, outreach, make_user):
    member = make_user("member")
    with app.app_context():
        with pytest.raises(Forbidden):
            tag_synonyms.declare_synonym(_user(member), "maraude", "street-outreach")
        assert _tag("maraude").synonym_of_id is None


def test_removing_a_synonym_keeps_the_merged_questions(app, outreach, make_user):
    moderator = make_user("moderator")
    with app.app_context():
        tag_synonyms.declare_synonym(_user(moderator), "maraude", "street-outreach")
        tag_synonyms.remove_synonym(_user(moderator), "maraude")
        assert _tag("maraude").synonym_of_id is None
        assert _tag("street-outreach").question_count == 3
        assert queries.list_questions(tag="maraude").items == []
        assert db.session.scalars(select(AuditEntry.action)).all().count(
            tag_synonyms.REMOVED) == 1


def test_posts_typed_with_a_synonym_get_the_main_tag(app, outreach, seed, make_user):
    expert = make_user("expert")
    with app.app_context():
        tag_synonyms.declare_synonym(_user(expert), "maraude", "street-outreach")
    new = seed.question("amina", "Une maraude sous la pluie : quel matériel emporter ?",
                        tags="maraude street-outreach pluie", lang="fr")
    seed.edit_question("amina", outreach["other"], "Night shelter rules for newcomers",
                       tags="shelter maraude")
    with app.app_context():
        assert [t.name for t in db.session.get(Question, new).tags] == ["pluie",
                                                                        "street-outreach"]
        assert {t.name for t in db.session.get(Question, outreach["other"]).tags} == {
            "shelter", "street-outreach"}
        assert _tag("maraude").question_count == 0
        assert _tag("street-outreach").question_count == 5


def test_followers_of_a_synonym_follow_the_main_tag(app, outreach, make_user):
    expert, reader = make_user("expert"), make_user("member")
    with app.app_context():
        follows.follow_tag(_user(reader), "maraude")
        tag_synonyms.declare_synonym(_user(expert), "maraude", "street-outreach")
        main = _tag("street-outreach")
        assert db.session.scalars(select(TagFollow.tag_id)).all() == [main.id]
        assert follows.follows_tag(_user(reader), main.id)


# -- the pages ---------------------------------------------------------------------------------

def test_a_synonyms_page_redirects_to_the_main_tag_which_names_the_group(
        app, client, outreach, make_user):
    expert = make_user("expert")
    with app.app_context():
        tag_synonyms.declare_synonym(_user(expert), "maraude", "street-outreach")
        tag_synonyms.declare_synonym(_user(expert), "educacion-de-calle", "street-outreach")
    response = client.get("/tags/maraude")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tags/street-outreach")
    # The order and the page the reader asked for go along; what the page refuses does not.
    response = client.get("/tags/maraude?sort=votes&page=2")
    assert response.headers["Location"].endswith("/tags/street-outreach?sort=votes&page=2")
    response = client.get("/tags/maraude?sort=%3Cscript%3E&page=99999999999999999999999")
    assert response.headers["Location"].endswith("/tags/street-outreach")
    page = client.get("/tags/street-outreach")
    assert "Also: " in html(page) and "educacion-de-calle" in html(page)
    assert set(listed_question_ids(page)) == {outreach["fr"], outreach["en"], outreach["es"]}
    index = html(client.get("/tags"))
    assert 'href="/tags/street-outreach"' in index and 'href="/tags/maraude"' not in index
    assert client.get("/tags/nosuchtag").status_code == 404
    assert client.get("/tags/" + "x" * 400).status_code == 404
    assert client.get("/tags/a%00b").status_code == 404


def test_a_translation_from_the_thesaurus_leads_to_the_concepts_tag(app, client, seed,
                                                                    make_user):
    # The thesaurus concept "trust" is named "confianza" in Spanish, tagged trust/confiance.
    seed.question(make_user("member"), "Gagner la confiance d’un enfant", tags="confiance",
                  lang="fr")
    response = client.get("/tags/confianza")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tags/confiance")


def test_the_tag_feed_lists_the_group(app, client, outreach, make_user):
    expert = make_user("expert")
    before = html(client.get("/feeds/tags/street-outreach"))
    assert "Organiser une maraude" not in before
    with app.app_context():
        tag_synonyms.declare_synonym(_user(expert), "maraude", "street-outreach")
    # The cached feed was announced stale by the declaration.
    for name in ("street-outreach", "maraude"):
        feed = html(client.get(f"/feeds/tags/{name}"))
        assert "Organiser une maraude" in feed and "Planning street outreach" in feed
        assert "Night shelter" not in feed


def test_experts_declare_and_remove_from_the_synonyms_page(app, user_client, outreach):
    expert = user_client("expert")
    page = html(expert.get("/tags/street-outreach"))
    assert 'href="/tags/street-outreach/synonyms"' in page
    response = expert.post_form("/tags/street-outreach/synonyms", {"synonym": "maraude"})
    assert response.status_code == 302
    page = html(expert.get("/tags/street-outreach/synonyms"))
    assert "is now a synonym" in page
    assert 'action="/tags/street-outreach/synonyms/remove"' in page
    assert 'name="synonym" value="maraude"' in page
    refused = expert.post_form("/tags/street-outreach/synonyms", {"synonym": "nosuchtag"})
    assert refused.status_code == 400 and "There is no tag" in html(refused)
    refused = expert.post_form("/tags/street-outreach/synonyms", {"synonym": "street-outreach"})
    assert refused.status_code == 400 and "itself" in html(refused)
    # Only from its own group's page.
    assert expert.post_form("/tags/shelter/synonyms/remove",
                            {"synonym": "maraude"}).status_code == 302
    assert "is not a synonym" in html(expert.get("/tags/shelter/synonyms"))
    assert expert.post_form("/tags/street-outreach/synonyms/remove",
                            {"synonym": "maraude"}).status_code == 302
    assert "a tag of its own again" in html(expert.get("/tags/street-outreach/synonyms"))
    assert expert.get("/tags/maraude").status_code == 200


def test_members_may_not_and_visitors_sign_in_first(app, client, user_client, outreach):
    member = user_client("member")
    assert 'synonyms"' not in html(member.get("/tags/street-outreach"))
    assert member.get("/tags/street-outreach/synonyms").status_code == 403
    assert member.post_form("/tags/street-outreach/synonyms",
                            {"synonym": "maraude"}).status_code == 403
    assert member.post_form("/tags/street-outreach/synonyms/remove",
                            {"synonym": "maraude"}).status_code == 403
    assert_login_redirect(client.get("/tags/street-outreach/synonyms"))
    assert_login_redirect(client.post_form("/tags/street-outreach/synonyms",
                                           {"synonym": "maraude"}))
    with app.app_context():
        assert _tag("maraude").synonym_of_id is None


def test_the_author_hears_that_a_synonym_became_the_main_tag(app, user_client, outreach,
                                                               make_user):
    with app.app_context():
        tag_synonyms.declare_synonym(_user(make_user("expert")), "maraude", "street-outreach")
    asker = user_client("member")
    response = asker.post_form("/questions/ask", {
        "title": "Quel matériel emporter en maraude sous la pluie ?", "body": BODY,
        "tags": "maraude pluie", "lang": "fr", "similar_checked": "1"})
    assert response.status_code == 302, html(response)
    page = html(asker.get(response.headers["Location"]))
    assert "means the same as" in page and 'href="/tags/street-outreach"' in page
    assert 'href="/tags/maraude"' not in page


def test_two_opposite_declarations_at_once_never_make_a_loop(app, seed, make_user):
    from tests.forum.test_concurrency import run_together, user_ids_of

    author = make_user("member")
    experts = [make_user("expert"), make_user("expert")]
    ids = user_ids_of(app, experts)
    for round_ in range(4):
        first, second = f"maraude{round_}", f"outreach{round_}"
        seed.question(author, f"Evening rounds, week {round_} of the winter plan",
                      tags=f"{first} {second}")
        seed.question(author, f"Night rounds, week {round_} of the winter plan", tags=first)
        pairs = {ids[0]: (first, second), ids[1]: (second, first)}

        def work(user):
            try:
                tag_synonyms.declare_synonym(user, *pairs[user.id])
            except InvalidInput:
                pass  # the later one sees the first and says why

        assert run_together(app, ids, work) == []
        with app.app_context():
            a, b = _tag(first), _tag(second)
            assert [a.synonym_of_id, b.synonym_of_id].count(None) == 1
            main = a if a.synonym_of_id is None else b
            assert (main.question_count, (b if main is a else a).question_count) == (2, 0)
