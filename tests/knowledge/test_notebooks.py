"""Notebooks and their modules: created by the service, read on /kb pages."""
from knowledge.services.notebooks import create_notebook, get_module, get_notebook, list_notebooks

MODULES = [
    {"title": "Arrival and first days", "summary": "Welcoming a minor.",
     "objectives": "- Prepare the room\n- Explain the rules", "body": "Read **this** first."},
    {"title": "Daily life", "summary": "Routines.", "objectives": "", "body": "Meals and school."},
]


def test_modules_keep_their_order_and_render_markdown(ctx):
    create_notebook("care", "Care notebook", "Daily care.", MODULES)
    notebook = get_notebook("care")
    assert [module.position for module in notebook.modules] == [1, 2]
    assert get_module("care", 1).body_html == "<p>Read <strong>this</strong> first.</p>"
    assert [n.slug for n in list_notebooks()] == ["care"]


def test_notebook_and_module_pages(client, app):
    with app.app_context():
        create_notebook("care", "Care notebook", "Daily care.", MODULES)
    index = client.get("/kb").get_data(as_text=True)
    assert "Care notebook" in index and "/kb/notebooks/care" in index
    page = client.get("/kb/notebooks/care").get_data(as_text=True)
    assert "/kb/notebooks/care/modules/1" in page and "Daily life" in page
    module = client.get("/kb/notebooks/care/modules/1")
    html = module.get_data(as_text=True)
    assert module.status_code == 200
    assert "<li>Prepare the room</li>" in html and "Arrival and first days" in html
    assert 'href="/kb/notebooks/care/modules/2"' in html
    assert 'rel="prev"' not in html
    assert 'Module 1: <span lang="en" dir="auto">Arrival and first days</span>' in html
    # French writes a space before the colon; the title keeps its own language.
    client.set_cookie("carnets_locale", "fr")
    french = client.get("/kb/notebooks/care/modules/1").get_data(as_text=True)
    assert 'Module 1 : <span lang="en" dir="auto">Arrival and first days</span>' in french


def test_unknown_notebook_or_module_is_a_friendly_404(client, app):
    with app.app_context():
        create_notebook("care", "Care notebook", "Daily care.", MODULES)
    for url in ("/kb/notebooks/nothing", "/kb/notebooks/care/modules/3",
                "/kb/notebooks/care/modules/0"):
        response = client.get(url)
        assert response.status_code == 404
        assert 'href="/"' in response.get_data(as_text=True)
