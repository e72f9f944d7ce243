"""The offline bundle: every page of the notebook, relative links that all resolve inside the
zip, nothing to fetch from a network, published articles only; the command and the download."""
import io
import posixpath
import re
import zipfile

from core.accounts.services import get_user_by_username
from knowledge import articles
from knowledge.services import create_notebook

BODY = ("Come back at the same hour every evening and let the child choose the distance; "
        "trust grows from what is repeated.")
LINK = re.compile(r'(?:href|src)="([^"]*)"')


def _notebook(app, make_user):
    curator, reviewer = make_user("expert"), make_user("expert")
    with app.app_context():
        notebook = create_notebook("street", "Children in street situations", "Outreach.", [
            {"title": "First contacts", "objectives": "- Come back", "body": "Go **slowly**."},
            {"title": "Arrival at the shelter", "body": "A bed that is theirs."}])
        first = notebook.modules[0].id
        published = articles.create_article(
            get_user_by_username(curator),
            articles.ArticleText("Coming back at the same hour", "Regularity.", BODY, "trust",
                                 "en", module_ids=[first]))
        articles.submit_for_review(get_user_by_username(curator), published.slug)
        articles.approve(get_user_by_username(reviewer), published.slug)
        draft = articles.create_article(
            get_user_by_username(curator),
            articles.ArticleText("A draft nobody should read offline", "", BODY, "trust", "en",
                                 module_ids=[first]))
        return published.slug, draft.slug


def _files(data):
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return {name: bundle.read(name).decode() for name in bundle.namelist()}


def _check_bundle(files, published, draft):
    assert set(files) == {"street/index.html", "street/style.css", "street/modules/1.html",
                          "street/modules/2.html", f"street/articles/{published}.html"}
    for name, html in files.items():
        if not name.endswith(".html"):
            continue
        assert "<script" not in html and "<img" not in html and "<iframe" not in html
        for target in LINK.findall(html):
            assert not re.match(r"^(https?:)?//", target), (name, target)
            if target.startswith(("#", "mailto:", "data:")):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert resolved in files, (name, target)
    assert draft not in "".join(files.values())
    module = files["street/modules/1.html"]
    assert f'href="../articles/{published}.html"' in module and 'href="2.html"' in module
    assert "<strong>slowly</strong>" in module


def test_the_bundle_holds_every_page_with_working_relative_links(app, make_user):
    published, draft = _notebook(app, make_user)
    with app.test_request_context("/"):
        from knowledge import export

        bundle = export.build("street")
    _check_bundle(_files(bundle.data), published, draft)
    assert bundle.pages == 4 and len(bundle.data) < 30_000


def test_the_command_writes_the_bundle_with_progress(app, make_user, tmp_path):
    published, draft = _notebook(app, make_user)
    target = tmp_path / "street.zip"
    result = app.test_cli_runner().invoke(args=["knowledge", "export", "street", "-o",
                                                str(target)])
    assert result.exit_code == 0, result.output
    assert "Writing pages" in result.output and "4 pages" in result.output
    _check_bundle(_files(target.read_bytes()), published, draft)
    unknown = app.test_cli_runner().invoke(args=["knowledge", "export", "nothing"])
    assert unknown.exit_code != 0 and "No notebook “nothing”" in unknown.output
    assert "street" in unknown.output


def test_the_notebook_page_offers_the_download(app, make_user, client):
    published, draft = _notebook(app, make_user)
    page = client.get("/kb/notebooks/street").get_data(as_text=True)
    assert 'href="/kb/notebooks/street/offline.zip"' in page
    response = client.get("/kb/notebooks/street/offline.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="street.zip"' in response.headers["Content-Disposition"]
    _check_bundle(_files(response.data), published, draft)
    assert client.get("/kb/notebooks/nothing/offline.zip").status_code == 404


def test_modules_have_a_print_view(app, make_user, client):
    _notebook(app, make_user)
    page = client.get("/kb/notebooks/street/modules/1/print").get_data(as_text=True)
    assert 'class="print"' in page and "<header" not in page
    assert "Coming back at the same hour" in page
