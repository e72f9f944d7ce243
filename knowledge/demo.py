"""`flask demo`: load realistic demo content once, through the same services users go through."""
import json
from datetime import timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from core.accounts import services as accounts
from core.extensions import db
from core.revisions import list_revisions
from core.timeutil import utcnow
from core.errors import NotFound
from forum.services import posting, queries, voting
from forum.services import tags as tag_service
from knowledge.models import Module, Notebook
from knowledge.services import editing, promotion, workflow
from knowledge.services.notebooks import create_notebook, get_module, link_question
from search_index import indexing

CONTENT = Path(__file__).with_name("demo_content.json")


def demo_password(username):
    """Demo accounts get a password derived from their name, printed by the command."""
    return f"demo-{username}-2026"


def is_loaded():
    """True when the database already has users or questions: the demo loads only once."""
    return bool(accounts.count_users() or queries.count_questions())


def load(content=None, echo=print):
    """Create the demo users, notebooks, tags and questions; returns the created counts."""
    data = content or json.loads(CONTENT.read_text(encoding="utf-8"))
    # Indexed once at the end, after the dates were moved into the past.
    with indexing.deferred():
        counts = _load(data, echo)
    return counts


def _load(data, echo):
    users = {}
    for spec in data["users"]:
        users[spec["username"]] = accounts.create_user(
            spec["username"], spec["email"], demo_password(spec["username"]), role=spec["role"],
            display_name=spec.get("display_name"), locale=spec.get("locale"),
            organisation=spec.get("organisation", ""), country=spec.get("country", ""))
        users[spec["username"]].bio = spec.get("bio", "")
    db.session.commit()
    for spec in data["notebooks"]:
        create_notebook(spec["slug"], spec["title"], spec.get("summary", ""), spec["modules"],
                        lang=spec.get("lang", "en"))
    modules_by_tag = _modules_by_tag(data.get("module_tags", {}))
    descriptions = {spec["name"]: spec.get("description", "") for spec in data.get("tags", [])}
    start = utcnow() - timedelta(days=2 * len(data["questions"]) + 5)
    counts = {"questions": 0, "answers": 0, "comments": 0, "votes": 0}
    for index, spec in enumerate(data["questions"]):
        moment = start + timedelta(days=2 * index, hours=index % 9)
        question_id = _load_question(spec, users, moment, counts)
        link_question(question_id, _modules_for(modules_by_tag, spec))
        db.session.commit()
    for spec in data.get("articles", []):
        _load_article(spec, users)
    for name, description in descriptions.items():
        try:
            tag_service.update_tag_description(tag_service.get_tag(name), description)
        except NotFound:
            pass  # a tag no demo question uses
    for spec in data["users"]:
        echo(f"  {spec['role']:<10} {spec['username']:<20} password: "
             f"{demo_password(spec['username'])}")
    return counts


def _load_question(spec, users, moment, counts):
    question = posting.ask_question(users[spec["author"]], spec["title"], spec["body"],
                                    " ".join(spec["tags"]), spec["lang"])
    _backdate(question, moment)
    latest = moment
    counts["questions"] += 1
    _load_comments(spec.get("comments", []), users, moment, counts, question_id=question.id)
    _load_votes(spec.get("votes", {}), users, "question", question.id, counts)
    for number, answer_spec in enumerate(spec.get("answers", []), start=1):
        answer = posting.post_answer(users[answer_spec["author"]], question.id, answer_spec["body"])
        answer_moment = moment + timedelta(hours=3 * number)
        _backdate(answer, answer_moment)
        counts["answers"] += 1
        _load_comments(answer_spec.get("comments", []), users, answer_moment, counts,
                       answer_id=answer.id)
        _load_votes(answer_spec.get("votes", {}), users, "answer", answer.id, counts)
        if answer_spec.get("accepted"):
            voting.accept_answer(users[spec["author"]], answer.id)
        latest = answer_moment
    # Posting comments and accepting stamp "now": put the activity back in the demo's past.
    question.last_activity_at = latest + timedelta(hours=2)
    db.session.commit()
    return question.id


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


def _load_comments(specs, users, moment, counts, question_id=None, answer_id=None,
                   parent_id=None):
    for offset, spec in enumerate(specs, start=1):
        comment = posting.post_comment(users[spec["author"]], spec["body"],
                                       question_id=question_id, answer_id=answer_id,
                                       parent_id=parent_id)
        _backdate(comment, moment + timedelta(minutes=40 * offset))
        counts["comments"] += 1
        _load_comments(spec.get("replies", []), users, moment + timedelta(hours=1), counts,
                       parent_id=comment.id)


def _load_votes(spec, users, post_type, post_id, counts):
    for value, key in ((1, "up"), (-1, "down")):
        for username in spec.get(key, []):
            voting.vote(users[username], post_type, post_id, value)
            counts["votes"] += 1


def _backdate(post, moment):
    """Spread the demo over past weeks so that lists and dates look like a living forum."""
    post.created_at = moment
    if hasattr(post, "last_activity_at"):
        post.last_activity_at = moment
    for revision in list_revisions(post.post_type, post.id):
        revision.created_at = moment
    db.session.commit()


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo content (users of every role, notebooks, questions) unless already there."""
    if is_loaded():
        click.echo("The database already has content: demo not loaded.")
        return
    click.echo("Loading the demo content; accounts:")
    counts = load(echo=click.echo)
    notebooks = db.session.scalar(select(func.count(Notebook.id)))
    click.echo(f"Loaded {counts['questions']} questions, {counts['answers']} answers, "
               f"{counts['comments']} comments, {counts['votes']} votes, {notebooks} notebooks.")


