"""Notebooks and modules: reading, creating, and the links of questions to modules."""
import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import markup
from core.config import LANGUAGES
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import add_revision, check_base, latest_revision, list_revisions
from core.transactions import transactional
from core.ids import id_number
from core.validation import check_length
from knowledge import permissions
from knowledge.models import Module, Notebook
from search_index import indexing


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


@transactional
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


def question_ids_for_module(module_id, limit=200):
    """Ids of the questions linked to a module, newest links first."""
    from knowledge.models import question_module

    return db.session.scalars(
        select(question_module.c.question_id).where(question_module.c.module_id == module_id)
        .order_by(question_module.c.question_id.desc()).limit(limit)).all()


def get_module_by_id(module_id):
    """A module by id, or None."""
    return db.session.get(Module, module_id) if module_id else None


def all_modules():
    """Every module of every notebook, notebook by notebook, in order."""
    return db.session.scalars(select(Module).join(Notebook)
                              .order_by(Notebook.title, Module.position)).all()


def link_question(question_id, module_ids):
    """Link a question to training modules (in the caller's transaction)."""
    from knowledge.models import question_module

    for module_id in sorted(set(module_ids)):
        db.session.execute(question_module.insert().values(question_id=question_id,
                                                           module_id=module_id))
    if module_ids:
        indexing.enqueue("question", question_id)


def _module_id(value):
    try:
        return id_number(value)
    except ValueError:
        return None


def module_label(value):
    """"Notebook › 2. Module" for a module id typed in a form, or "" when there is none."""
    module = get_module_by_id(_module_id(value))
    return module.label if module else ""


def link_asked_question(question, context):
    """forum's question_asked receiver: "Ask a question about this module" links the two.

    An unknown module is ignored rather than refused: the question matters more than the link.
    """
    module = get_module_by_id(_module_id(context.get("module")))
    if module is not None:
        link_question(question.id, [module.id])


# Writing notebooks and modules (experts and admins) -------------------------------------------

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOTEBOOK_TITLE = (5, 200)
MODULE_TITLE = (5, 200)
TEXT_LENGTH = (0, 60000)


@transactional
def save_notebook(user, title, summary, lang, slug=None, new_slug=None):
    """Create a notebook (slug None) or change one; returns it. Raises InvalidInput."""
    permissions.allow_edit_notebooks(user)
    title = check_length(title, NOTEBOOK_TITLE, "title")
    summary = check_length(summary, TEXT_LENGTH, "summary")
    if lang not in LANGUAGES:
        raise InvalidInput(_l("Choose the notebook's language."), field="lang")
    notebook = get_notebook(slug) if slug else Notebook()
    if not slug:
        new_slug = (new_slug or "").strip().lower()
        if not SLUG_RE.match(new_slug) or len(new_slug) > 80:
            raise InvalidInput(_l("Use lower-case letters, digits and hyphens, e.g. "
                                  "children-in-street-situations."), field="slug")
        if db.session.scalar(select(Notebook.id).where(Notebook.slug == new_slug)):
            raise InvalidInput(_l("Another notebook has this address."), field="slug")
        notebook.slug = new_slug
        db.session.add(notebook)
    notebook.title, notebook.summary, notebook.lang = title, summary, lang
    db.session.commit()
    return notebook


def _module_fields(module):
    return {"summary": module.summary, "objectives": module.objectives}


def _record_module(module, editor, summary, base=None):
    add_revision("module", module.id, editor, module.body, title=module.title,
                 summary=summary, fields=_module_fields(module), base=base)


def _module_text(title, summary, objectives, body):
    """(title, summary, objectives, body) of a module form, checked; raises InvalidInput."""
    return (check_length(title, MODULE_TITLE, "title"),
            check_length(summary, TEXT_LENGTH, "summary"),
            check_length(objectives, TEXT_LENGTH, "objectives"),
            check_length(body, TEXT_LENGTH, "body"))


def _set_module_text(module, text):
    module.title, module.summary, module.objectives, module.body = text
    module.body_html = markup.render(module.body)


@transactional
def add_module(user, slug, title, summary, objectives, body):
    """Append a module to a notebook, with its first revision."""
    permissions.allow_edit_notebooks(user)
    notebook = get_notebook(slug)
    text = _module_text(title, summary, objectives, body)
    module = Module(notebook=notebook, position=len(notebook.modules) + 1)
    _set_module_text(module, text)
    db.session.add(module)
    db.session.flush()
    _record_module(module, user, str(_l("Module created")))
    db.session.commit()
    return module


def module_base(module):
    """The revision number an edit form of the module is opened on (0: none yet)."""
    latest = latest_revision("module", module.id)
    return latest.number if latest is not None else 0


@transactional
def edit_module(user, slug, position, title, summary, objectives, body, edit_summary="",
                base_revision=None):
    """Save a new version of a module; the text before the first edit is kept too. Raises
    EditConflict when `base_revision` (the version the form was opened on) is stale."""
    permissions.allow_edit_notebooks(user)
    module = get_module(slug, position)
    check_base("module", module.id, base_revision)
    new = _module_text(title, summary, objectives, body)
    if new == (module.title, module.summary, module.objectives, module.body):
        raise InvalidInput(_l("Nothing was changed."))
    # Numbered from the base, so that two saves from one version collide (see add_revision).
    base = base_revision
    if not list_revisions("module", module.id):
        # Modules loaded with the notebook have no history yet: keep their first text.
        _record_module(module, user, str(_l("Text before the first edit")), base=base)
        base = None if base is None else base + 1
    _set_module_text(module, new)
    _record_module(module, user, (edit_summary or "").strip()[:200], base=base)
    db.session.commit()
    return module
