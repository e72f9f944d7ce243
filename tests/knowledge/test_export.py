"""The offline bundle: every page of the notebook, relative links that all resolve inside the
zip, nothing to fetch from a network, published articles only; the command and the download."""
import io
import posixpath
import re
import zipfile

from babel.dates import format_date

from core.accounts.services import get_user_by_username
from core.timeutil import utcnow
from knowledge.services import editing, workflow
from knowledge.services.notebooks import create_notebook

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
        published = editing.create_article(
            get_user_by_username(curator),
            editing.ArticleText("Coming back at the same hour", "Regularity.", BODY, "trust",
                                 "en", module_ids=[first]))
        workflow.submit_for_review(get_user_by_username(curator), published.slug)
        workflow.approve(get_user_by_username(reviewer), published.slug)
        draft = editing.create_article(
            get_user_by_username(curator),
            editing.ArticleText("A draft nobody should read offline", "", BODY, "trust", "en",
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
        from knowledge.services import export

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


FRENCH_LABELS = {
    "Applies in:": "S'applique en :",
    "Last verified on %(date)s": "Vérifié pour la dernière fois le %(date)s",
    "Curated by %(name)s": "Fiche préparée par %(name)s",
    "Training modules": "Modules de formation",
    "Good practices for this module": "Bonnes pratiques pour ce module",
}


def _french_notebook(app, make_user, lang="fr"):
    curator, reviewer = make_user("expert"), make_user("expert")
    with app.app_context():
        notebook = create_notebook("rue", "Enfants en situation de rue", "Maraude.", [
            {"title": "Premiers contacts", "body": "Aller **doucement**."}], lang=lang)
        article = editing.create_article(
            get_user_by_username(curator),
            editing.ArticleText("Revenir à la même heure", "La régularité.",
                                 "Revenir chaque soir à la même heure et laisser l'enfant "
                                 "choisir la distance.", "trust", lang, countries="ML",
                                 module_ids=[notebook.modules[0].id]))
        workflow.submit_for_review(get_user_by_username(curator), article.slug)
        workflow.approve(get_user_by_username(reviewer), article.slug)
        return article.slug


def test_the_bundle_speaks_its_notebooks_language_whoever_downloads_it(
        app, make_user, client, translations):
    translations({"fr": FRENCH_LABELS})
    slug = _french_notebook(app, make_user)
    response = client.get("/kb/notebooks/rue/offline.zip", headers={"Accept-Language": "en"})
    files = _files(response.data)
    article, module = files[f"rue/articles/{slug}.html"], files["rue/modules/1.html"]
    today = utcnow().date()
    for page in files.values():
        if "<html" in page:
            assert '<html lang="fr" dir="ltr">' in page
    # Dates by Babel in French ("3 décembre 2026"), labels from the French catalog.
    assert format_date(today, "long", locale="fr") in article
    assert format_date(today, "long", locale="en") not in article
    assert "S'applique en : Mali" in article
    assert f"Vérifié pour la dernière fois le {format_date(today, 'long', locale='fr')}" \
        in article
    assert "Fiche préparée par" in article and "Curated by" not in article
    assert "Bonnes pratiques pour ce module" in module
    assert format_date(today, "long", locale="fr") in files["rue/index.html"]
    # What people wrote carries its language and finds its own direction (on the text's own
    # element or on the article around it).
    for page in (article, module):
        assert re.search(r'<(article|div class="body")[^>]* lang="fr" dir="auto"', page)
    assert re.search(r'<a href="\.\./articles/[^"]+" lang="fr" dir="auto">', module)
    assert re.search(r"<bdi>[^<]+</bdi>", article)


def test_an_arabic_notebooks_bundle_is_right_to_left_in_a_french_interface(
        app, make_user, client):
    slug = _french_notebook(app, make_user, lang="ar")
    response = client.get("/kb/notebooks/rue/offline.zip", headers={"Accept-Language": "fr"})
    files = _files(response.data)
    assert '<html lang="ar" dir="rtl">' in files[f"rue/articles/{slug}.html"]
    assert format_date(utcnow().date(), "long", locale="ar") in files["rue/index.html"]
