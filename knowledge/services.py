"""Knowledge-base reads: notebooks and modules (articles come with the knowledge issue)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import markup
from core.errors import NotFound
from core.extensions import db
from knowledge.models import Module, Notebook


def list_notebooks():
    """Every notebook with its modules, in title order."""
    return db.session.scalars(select(Notebook).options(selectinload(Notebook.modules))
                              .order_by(Notebook.title)).all()


def get_notebook(slug):
    """The notebook with this slug; raises NotFound."""
    notebook = db.session.scalar(select(Notebook).where(Notebook.slug == slug)
                                 .options(selectinload(Notebook.modules)))
    if notebook is None:
        raise NotFound()
    return notebook


def get_module(slug, position):
    """Module number `position` of a notebook; raises NotFound."""
    module = db.session.scalar(select(Module).join(Notebook).where(
        Notebook.slug == slug, Module.position == position))
    if module is None:
        raise NotFound()
    return module


def create_notebook(slug, title, summary, modules, lang="en"):
    """Create a notebook and its modules, given as dicts with title, summary, objectives, body."""
    notebook = Notebook(slug=slug, title=title, summary=summary, lang=lang)
    for position, data in enumerate(modules, start=1):
        body = data.get("body", "")
        notebook.modules.append(Module(
            position=position, title=data["title"], summary=data.get("summary", ""),
            objectives=data.get("objectives", ""), body=body, body_html=markup.render(body)))
    db.session.add(notebook)
    db.session.commit()
    return notebook
