"""The offline bundle of a notebook: a zip of static HTML pages (its modules and their published
articles) with relative links, one small stylesheet and nothing fetched from anywhere else, so
that it opens on a phone without a connection."""
import io
import zipfile
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale

from core import markup
from core.timeutil import utcnow
from knowledge.services import articles, notebooks

STYLESHEET = "style.css"


@dataclass
class Bundle:
    """The bundle's bytes, its file name and how many pages it holds."""

    data: bytes
    filename: str
    pages: int


def _pages(notebook):
    """(path, template, context) of every page of the bundle."""
    modules = notebook.modules
    by_module = {module.id: articles.published_for_module(module.id) for module in modules}
    seen = {}
    for found in by_module.values():
        for article in found:
            seen.setdefault(article.slug, article)
    pages = [("index.html", "knowledge/offline/notebook.html",
              {"notebook": notebook, "root": ""})]
    for module in modules:
        pages.append((f"modules/{module.position}.html", "knowledge/offline/module.html",
                      {"notebook": notebook, "module": module, "root": "../",
                       "objectives_html": markup.render(module.objectives),
                       "articles": by_module[module.id]}))
    for slug, article in seen.items():
        pages.append((f"articles/{slug}.html", "knowledge/offline/article.html",
                      {"notebook": notebook, "article": article, "root": "../",
                       "modules": [m for m in article.modules if m.notebook_id == notebook.id]}))
    return pages


def build(slug, progress=None, pages=None):
    """The offline bundle of notebook `slug` (raises NotFound); `progress(n)` after each page.

    `pages`: what `pages_of(slug)` gave, when the caller already asked (to size a progress bar).
    """
    pages = pages if pages is not None else pages_of(slug)
    notebook = pages[0][2]["notebook"]
    now = utcnow()
    buffer = io.BytesIO()
    # The site's own stylesheet (6 KB), so the bundle reads like the pages it comes from.
    with open(f"{current_app.static_folder}/style.css", "rb") as handle:
        stylesheet = handle.read()
    # The bundle speaks its notebook's language (labels, dates, <html lang dir>), whoever
    # downloads it: one reads a French notebook in French, the phone it is passed on to too.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle, \
            force_locale(notebook.lang):
        bundle.writestr(f"{slug}/{STYLESHEET}", stylesheet)
        for path, template, context in pages:
            html = render_template(template, stylesheet=STYLESHEET, now=now, **context)
            bundle.writestr(f"{slug}/{path}", html)
            if progress:
                progress(1)
    return Bundle(data=buffer.getvalue(), filename=f"{slug}.zip", pages=len(pages))


def pages_of(slug):
    """Every page of the bundle of `slug` as (path, template, context); raises NotFound."""
    return _pages(notebooks.get_notebook(slug))


def notebook_slugs():
    """Every notebook's slug, for messages."""
    return [notebook.slug for notebook in notebooks.list_notebooks()]
