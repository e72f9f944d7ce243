"""Experts edit the thesaurus from a page: a change reaches the index at once, without a
rebuild, on both engines; the page says which posts a concept reaches, to experts only."""
import json

import pytest
from sqlalchemy import select

from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import InvalidInput
from core.extensions import db
from search_index import concepts, registry
from search_index.models import ThesaurusConcept


@pytest.fixture
def posts(seed, make_user):
    author = make_user()
    return {
        "fr": seed.question(author, "Le goûter partagé comme premier lien",
                            "Au parc, un goûter partagé ouvre souvent la conversation.",
                            tags="premier-contact", lang="fr"),
        "tagged": seed.question(author, "Primeras palabras en la estación",
                                "Nos sentamos a su lado sin preguntar nada.",
                                tags="primer-contacto", lang="es"),
    }


def _save(app, username, concept_id=None, **fields):
    with app.app_context():
        data = concepts.ConceptInput(slug=fields.get("slug", "snack"),
                                     names=fields["names"], tags=fields.get("tags", []))
        return concepts.save_concept(get_user_by_username(username), concept_id, data).id


def test_a_new_concept_reaches_posts_in_other_languages_without_a_rebuild(app, posts, find,
                                                                           make_user):
    expert = make_user("expert")
    assert find("merienda") == []
    ident = _save(app, expert, names={"fr": ["goûter"], "es": ["merienda"]},
                  tags=["primer-contacto"])
    # The French post named the concept in French: the Spanish word finds it now, and the
    # post tagged with one of the concept's tags too.
    assert set(find("merienda")) == {posts["fr"], posts["tagged"]}
    # The concept's names changed: "goûter" is no longer one of them.
    _save(app, expert, ident, names={"fr": ["collation"], "es": ["merienda"]})
    assert find("merienda") == []
    assert find("goûter") == [posts["fr"]]
    with app.app_context():
        assert db.session.get(ThesaurusConcept, ident).names == {"fr": ["collation"],
                                                                "es": ["merienda"]}
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("thesaurus_concept_saved") == 2


def test_a_deleted_concept_stops_linking_the_languages(app, posts, find, make_user):
    expert = make_user("expert")
    ident = _save(app, expert, names={"fr": ["goûter"], "es": ["merienda"]})
    assert find("merienda") == [posts["fr"]]
    with app.app_context():
        concepts.delete_concept(get_user_by_username(expert), ident)
    assert find("merienda") == []


def test_the_first_edit_keeps_the_concepts_of_the_file(app, posts, find, make_user):
    # The shipped file seeds the table: its concepts go on linking the languages.
    _save(app, make_user("expert"), names={"fr": ["goûter"], "es": ["merienda"]})
    with app.app_context():
        slugs = set(db.session.scalars(select(ThesaurusConcept.slug)))
        assert {"snack", "street-outreach", "unaccompanied-minor"} <= slugs


def test_bad_input_is_refused_with_a_reason(app, make_user):
    expert = make_user("expert")
    for fields, field in ((dict(slug="Bad Slug!", names={"fr": ["x"]}), "slug"),
                          # The message names letters, digits and hyphens: nothing else.
                          (dict(slug="night_shelter.v2", names={"fr": ["x"]}), "slug"),
                          (dict(names={"fr": ["  "]}), None),
                          (dict(names={"fr": ["a" * 121]}), None),
                          (dict(names={"fr": ["x"]}, tags=["not a tag"]), "tags")):
        with pytest.raises(InvalidInput) as error:
            _save(app, expert, **fields)
        assert error.value.field == field
    _save(app, expert, names={"fr": ["goûter"]})
    with pytest.raises(InvalidInput):
        _save(app, expert, names={"fr": ["collation"]})  # the same identifier


def test_as_many_tags_as_the_form_allows_are_stored(app, make_user):
    # The tags are kept joined in a column of 1,000 characters: the most and longest tags
    # validation lets through must fit, or PostgreSQL refuses the expert's whole form.
    expert = make_user("expert")
    tags = [f"{number:02d}" + "t" * (concepts.MAX_TAG - 2) for number in range(concepts.MAX_TAGS)]
    ident = _save(app, expert, slug="many-tags", names={"fr": ["goûter"]}, tags=tags)
    with app.app_context():
        assert db.session.get(ThesaurusConcept, ident).tags.split() == tags
    with pytest.raises(InvalidInput):
        _save(app, expert, ident, slug="many-tags", names={"fr": ["goûter"]},
              tags=[tag + "x" for tag in tags])


def test_before_any_edit_the_page_lists_the_concepts_search_uses(app, user_client):
    # Until the first edit (or `thesaurus import`), search reads the shipped file: the page
    # shows those concepts, not "0 concepts", so an expert edits what is in effect.
    from search_index import thesaurus
    count = len(thesaurus.read_file()["concepts"])
    page = user_client("expert").get("/search/thesaurus").get_data(as_text=True)
    assert f"{count} concepts" in page and ">street-outreach</a>" in page


def test_only_experts_change_concepts_whoever_calls_the_service(app, make_user):
    from core.errors import Forbidden
    ident = _save(app, make_user("expert"), names={"fr": ["goûter"]})
    member = make_user("member")
    with pytest.raises(Forbidden):
        _save(app, member, ident, names={"fr": ["collation"]})
    with app.app_context(), pytest.raises(Forbidden):
        concepts.delete_concept(get_user_by_username(member), ident)
    with app.app_context():
        assert db.session.get(ThesaurusConcept, ident).names == {"fr": ["goûter"]}


def test_members_cannot_open_the_page(app, user_client, client):
    assert client.get("/search/thesaurus").status_code == 302
    assert user_client().get("/search/thesaurus").status_code == 403


def test_experts_add_a_concept_from_the_page_and_see_what_it_reaches(app, user_client, posts,
                                                                      seed, find):
    expert = user_client("expert")
    page = expert.get("/search/thesaurus")
    assert page.status_code == 200
    assert "/search/thesaurus/new" in page.get_data(as_text=True)
    refused = expert.post_form("/search/thesaurus/new", {"slug": "snack", "names_fr": ""})
    assert refused.status_code == 400
    assert "at least one name" in refused.get_data(as_text=True)
    assert expert.post("/search/thesaurus/new", data={"slug": "snack",
                                                     "names_fr": "goûter"}).status_code == 400
    done = expert.post_form("/search/thesaurus/new", {
        "slug": "snack", "names_fr": "goûter\r\ngoûter partagé", "names_es": "merienda",
        "tags": "primer-contacto, premier-contact"})
    assert done.status_code == 302
    shown = expert.get(done.headers["Location"]).get_data(as_text=True)
    assert "2 posts carry this concept." in shown
    assert "Le goûter partagé comme premier lien" in shown
    assert posts["fr"] in find("merienda")
    # A deleted post is never listed (the index drops it, the cards come from the database).
    seed.delete(_author(app, posts["fr"]), "question", posts["fr"])
    shown = expert.get(done.headers["Location"]).get_data(as_text=True)
    assert "Le goûter partagé comme premier lien" not in shown
    # Bad addresses are not found.
    for address in ("/search/thesaurus/99999", "/search/thesaurus/" + "9" * 25,
                    "/search/thesaurus/1%00/edit"):
        assert expert.get(address).status_code == 404
    # The help of the search page links to the thesaurus for experts.
    assert "/search/thesaurus" in expert.get("/search").get_data(as_text=True)


def _author(app, question_id):
    from forum.models import Question

    with app.app_context():
        return db.session.get(Question, question_id).author.username


def test_export_then_import_round_trips(app, make_user, tmp_path):
    _save(app, make_user("expert"), names={"fr": ["goûter"], "es": ["merienda"]},
          tags=["premier-contact"])
    runner = app.test_cli_runner()
    path = tmp_path / "out.json"
    assert runner.invoke(args=["search", "thesaurus", "export", str(path)]).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    snack = next(entry for entry in data["concepts"] if entry["id"] == "snack")
    assert snack == {"id": "snack", "terms": {"fr": ["goûter"], "es": ["merienda"]},
                     "tags": ["premier-contact"]}
    data["concepts"] = [snack | {"terms": {"fr": ["collation"]}}]
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["search", "thesaurus", "import", "--replace", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert [row.names for row in concepts.all_concepts()] == [{"fr": ["collation"]}]
        assert registry.state().thesaurus.get().concepts[0].id == "snack"


def test_make_run_seeds_the_concepts_once_and_never_brings_deleted_ones_back(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "thesaurus", "import", "--if-empty"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        shipped = len(concepts.all_concepts())
        assert shipped >= 60
        expert = get_user_by_username(make_user("expert"))
        for row in concepts.all_concepts():
            concepts.delete_concept(expert, row.id)
        assert concepts.all_concepts() == []
    # The next `make run`: the expert's choice stands.
    result = runner.invoke(args=["search", "thesaurus", "import", "--if-empty"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert concepts.all_concepts() == []
