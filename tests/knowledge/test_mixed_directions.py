"""Articles in another language or script than the page's (issue 13, items 5 and 6): the
article's own text carries its language and dir="auto", the page says which language it is in,
and the names of its curator and reviewer are isolated inside their sentences."""
import io
import zipfile

import pytest

from core.accounts import services as accounts
from knowledge.services import editing, export, workflow
from knowledge.services.notebooks import create_notebook
from tests.conftest import PASSWORD

TITLE = "Construir la confianza en los primeros contactos en la calle"
SUMMARY = "Volver a la misma hora y cumplir la palabra."
BODY = ("Sentarse a la altura del niño, decir quién es uno y volver a la misma hora los días "
        "siguientes: la confianza crece con lo que se repite.")
CURATOR = "أمينة العلوي"


@pytest.fixture
def spanish_article(app):
    with app.app_context():
        curator = accounts.create_user("amina", "amina@example.org", PASSWORD, role="expert",
                                       display_name=CURATOR)
        reviewer = accounts.create_user("rosa", "rosa@example.org", PASSWORD, role="expert",
                                        display_name="Rosa Quispe")
        text = editing.ArticleText(TITLE, SUMMARY, BODY, "confianza", "es")
        slug = editing.create_article(curator, text).slug
        workflow.submit_for_review(curator, slug)
        workflow.approve(reviewer, slug)
        return slug


def test_a_french_page_says_a_spanish_article_is_in_spanish(client, spanish_article):
    # "Cet article est en espagnol" once the catalogs are merged; here the structure and
    # Babel's French name of the language.
    client.set_cookie("carnets_locale", "fr")
    page = client.get(f"/kb/articles/{spanish_article}").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert f'<h1 lang="es" dir="auto">{TITLE}' in page
    assert f'<p class="lead" lang="es" dir="auto">{SUMMARY}</p>' in page
    assert f'<div class="body" lang="es" dir="auto"><p>{BODY}</p></div>' in page
    note = page[page.index('<p class="meta language-note">'):]
    assert "espagnol" in note[:note.index("</p>")]
    assert page.index(TITLE) < page.index("language-note") < page.index(BODY)


def test_an_arabic_page_isolates_the_curators_name_and_keeps_the_article_ltr(
        client, spanish_article):
    page = client.get(f"/kb/articles/{spanish_article}",
                      headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<h1 lang="es" dir="auto">{TITLE}' in page
    assert f"<bdi>{CURATOR}</bdi>" in page and "<bdi>Rosa Quispe</bdi>" in page
    listed = client.get("/kb", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert f'lang="es" dir="auto">{TITLE}</a>' in listed
    assert f'<p lang="es" dir="auto">{SUMMARY}</p>' in listed


def test_no_language_note_on_an_article_in_the_pages_language(client, spanish_article):
    page = client.get(f"/kb/articles/{spanish_article}",
                      headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "language-note" not in page and f'<h1 lang="es" dir="auto">{TITLE}' in page


def test_the_offline_bundle_keeps_the_notebooks_language_and_direction(app):
    with app.app_context():
        create_notebook("shari", "أطفال في وضعية الشارع", "دفتر للعاملين الميدانيين.", [
            {"title": "الاتصال الأول", "summary": "كيف نقترب؟", "objectives": "- العودة كل مساء",
             "body": "نعود كل مساء في الساعة نفسها."}], lang="ar")
        with app.test_request_context(headers={"Accept-Language": "fr"}):
            data = export.build("shari").data
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        index = bundle.read("shari/index.html").decode()
        module = bundle.read("shari/modules/1.html").decode()
    assert '<h1 lang="ar" dir="auto">أطفال في وضعية الشارع</h1>' in index
    assert '<div class="body" lang="ar" dir="auto"><p>نعود كل مساء' in module
    assert '<p class="lead" lang="ar" dir="auto">كيف نقترب؟</p>' in module
