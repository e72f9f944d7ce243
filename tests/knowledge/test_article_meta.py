"""What knowledge-base pages tell search engines (issue 13, item 8): an article is described by
its published summary, never by a change still in review, and its canonical address is
absolute; notebooks and modules are described by their summaries."""
import re
from html import unescape

from knowledge.services.notebooks import create_notebook

DESCRIPTION_RE = re.compile(r'<meta name="description" content="([^"]*)">')
CANONICAL_RE = re.compile(r'<link rel="canonical" href="([^"]*)">')
BODY = ("Sit down at the child's height, say who you are and come back at the same hour the "
        "next days: trust grows from what is repeated.")


def _english(test_client):
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


def _form(**changes):
    data = {"title": "Earning trust in the first street contacts",
            "summary": "Come back at the same hour, every evening.", "body": BODY,
            "tags": "trust", "lang": "en", "countries": "", "review_by": "",
            "translation_of": "0", "edit_summary": ""}
    data.update(changes)
    return data


def _published(user_client, **changes):
    curator, reviewer = _english(user_client("expert")), _english(user_client("expert"))
    slug = curator.post_form("/kb/articles/new", _form(**changes)).location.rsplit("/", 1)[-1]
    assert curator.post_form(f"/kb/articles/{slug}/submit").status_code == 302
    assert reviewer.post_decision(f"/kb/articles/{slug}/approve").status_code == 302
    return slug, curator


def _description(page):
    return unescape(DESCRIPTION_RE.search(page).group(1))


def test_an_article_is_described_by_its_summary_and_has_an_absolute_canonical(
        user_client, client):
    slug, _ = _published(user_client)
    page = _english(client).get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert _description(page) == "Come back at the same hour, every evening."
    assert CANONICAL_RE.findall(page) == [f"http://localhost/kb/articles/{slug}"]


def test_without_a_summary_an_article_is_described_by_its_first_words(user_client, client):
    slug, _ = _published(user_client, summary="")
    page = _english(client).get(f"/kb/articles/{slug}").get_data(as_text=True)
    assert _description(page) == BODY


def test_a_change_in_review_does_not_reach_the_description(user_client, client):
    slug, curator = _published(user_client)
    assert curator.post_edit(f"/kb/articles/{slug}/edit", _form(
        summary="A summary still in review.", edit_summary="New summary")).status_code == 302
    for reader in (_english(client), curator):
        page = reader.get(f"/kb/articles/{slug}").get_data(as_text=True)
        assert _description(page) == "Come back at the same hour, every evening."


def test_notebooks_and_modules_are_described_by_their_summaries(app, client):
    with app.app_context():
        create_notebook("street", "Children in street situations",
                        "Working with children who live and sleep in the street.",
                        [{"title": "First contacts", "summary": "Meeting a child for the first "
                                                                "time, without hurry."},
                         {"title": "Shelter"}])
    reader = _english(client)
    notebook = reader.get("/kb/notebooks/street").get_data(as_text=True)
    assert _description(notebook) == "Working with children who live and sleep in the street."
    module = reader.get("/kb/notebooks/street/modules/1").get_data(as_text=True)
    assert _description(module) == "Meeting a child for the first time, without hurry."
    bare = reader.get("/kb/notebooks/street/modules/2").get_data(as_text=True)
    assert _description(bare).startswith("Social workers and educators who care")
