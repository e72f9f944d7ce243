"""The knowledge base's part of the demo: the notebooks and their modules, the links of the
demo's questions to modules, and articles promoted from demo threads and taken through review
(core.demo runs the parts in order)."""
from sqlalchemy import func, select

from core import demo
from core.extensions import db
from forum.services import queries
from knowledge.models import Module, Notebook
from knowledge.services import editing, promotion, workflow
from knowledge.services.notebooks import create_notebook, get_module, link_question

NOTEBOOKS = 20  # before the questions, as a site's notebooks come before its forum
ARTICLES = 40   # after the questions: articles are promoted from their threads


def load_notebooks(run):
    """Create the demo notebooks with their modules."""
    for spec in run.data["notebooks"]:
        create_notebook(spec["slug"], spec["title"], spec.get("summary", ""), spec["modules"],
                        lang=spec.get("lang", "en"))


def load_links_and_articles(run):
    """Link each demo question to modules, then promote the demo articles; counts the
    notebooks (printed after the forum's counts)."""
    data, users = run.data, run.created["users"]
    modules_by_tag = _modules_by_tag(data.get("module_tags", {}))
    for spec, question_id in zip(data["questions"], run.created["questions"]):
        link_question(question_id, _modules_for(modules_by_tag, spec))
    db.session.commit()
    for spec in data.get("articles", []):
        _load_article(spec, users)
    run.counts["notebooks"] = db.session.scalar(select(func.count(Notebook.id)))


def _modules_by_tag(spec):
    """{(tag, notebook language): [module ids]} of the demo's module_tags."""
    found = {}
    for slug, positions in spec.items():
        for position, tags in positions.items():
            module = get_module(slug, int(position))
            for tag in tags:
                found.setdefault((tag, module.notebook.lang), []).append(module.id)
    return found


def _modules_for(modules_by_tag, spec):
    """A demo question goes to the first module sharing a tag with it, in each notebook of its
    language (English ones when its language has none)."""
    langs = {lang for _tag, lang in modules_by_tag}
    lang = spec["lang"] if spec["lang"] in langs else "en"
    chosen = {}
    for tag in spec["tags"]:
        for module_id in modules_by_tag.get((tag, lang), []):
            notebook = db.session.get(Module, module_id).notebook_id
            chosen.setdefault(notebook, module_id)
    return set(chosen.values())


def _load_article(spec, users):
    """Promote a demo thread and take it through review, as two experts would."""
    question_id = queries.question_id_by_title(spec["question"])
    curator, reviewer = users[spec["curator"]], users[spec["reviewer"]]
    _question, _answers, preselected = promotion.candidates(curator, question_id)
    article, _created = promotion.promote(curator, question_id, preselected)
    # Modules of notebooks in the article's language only (the service refuses others).
    module_ids = [get_module(slug, position).id for slug, position in spec.get("modules", [])]
    # The expert writes the "Good practice" section the draft leaves empty: a text with an
    # empty section is never published.
    body = f"{article.body.rstrip()}\n\n{spec['practice'].strip()}\n"
    text = editing.ArticleText(
        spec.get("title", article.title), spec["summary"], body, spec["tags"],
        article.lang, spec.get("countries", ""), module_ids)
    editing.edit_article(curator, article.slug, text, "Demo: summary, modules, countries")
    if spec.get("status") in ("in_review", "published"):
        workflow.submit_for_review(curator, article.slug)
    if spec.get("status") == "published":
        workflow.approve(reviewer, article.slug)


def init_app(app):
    """Add the notebooks, the module links and the articles to the demo."""
    demo.add_part(app, NOTEBOOKS, load_notebooks)
    demo.add_part(app, ARTICLES, load_links_and_articles)
