"""`flask demo` loads realistic content once, through the services, without identifying anyone."""
import io
import json
import re
import zipfile
from collections import Counter

from sqlalchemy import func, select

from core.accounts.models import ROLES, User
from core.demo import CONTENT, demo_password
from core.extensions import db
from forum.models import Answer, Comment, Question, Tag, Vote
from knowledge.services import drafting, export, workflow
from knowledge.models import Article, Module, Notebook, question_module

PHONE = re.compile(r"\+?\d[\d .-]{7,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_demo_content_never_identifies_anyone():
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    texts = [json.dumps(data["questions"], ensure_ascii=False),
             json.dumps(data["notebooks"], ensure_ascii=False)]
    for text in texts:
        assert not PHONE.search(text), PHONE.search(text)
        assert not EMAIL.search(text), EMAIL.search(text)


def test_demo_loads_once_with_every_role_and_language(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        languages = Counter(db.session.scalars(select(Question.lang)))
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Question, Answer, Comment, Vote, Tag, Notebook, Module)}
        accepted = db.session.scalar(select(func.count()).select_from(Question)
                                     .where(Question.accepted_answer_id.is_not(None)))
        replies = db.session.scalar(select(func.count()).select_from(Comment)
                                    .where(Comment.parent_id.is_not(None)))
        titles = set(db.session.scalars(select(Notebook.title)))
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        # Counters kept by the services agree with the rows.
        for question in db.session.scalars(select(Question)):
            assert question.answer_count == len(question.answers)
            assert question.score == sum(vote.value for vote in db.session.scalars(
                select(Vote).where(Vote.question_id == question.id)))
    assert roles == set(ROLES)
    assert counts["Question"] >= 40
    assert {"fr", "en", "es"} <= set(languages)
    assert all(count >= 10 for count in languages.values())
    assert counts["Answer"] > counts["Question"] and counts["Comment"] >= 20
    assert counts["Vote"] > 50 and counts["Notebook"] == 4 and counts["Module"] >= 16
    assert accepted >= 20 and replies >= 5
    # Both notebooks, in English and in French.
    assert {"Educational support for unaccompanied minors", "Children in street situations",
            "Accompagnement éducatif des mineurs non accompagnés",
            "Enfants en situation de rue"} == titles
    with app.app_context():
        statuses = Counter(db.session.scalars(select(Article.status)))
        linked = db.session.scalar(select(func.count()).select_from(question_module))
        fr_module_questions = db.session.scalar(
            select(func.count()).select_from(question_module)
            .join(Module, Module.id == question_module.c.module_id)
            .join(Notebook, Notebook.id == Module.notebook_id).where(Notebook.lang == "fr"))
    assert statuses == {"published": 2, "in_review": 1}
    assert linked >= 40 and fr_module_questions >= 10
    assert f"password: {demo_password(admin.username)}" in result.output

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "not loaded" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == counts["Question"]


def test_demo_accounts_sign_in_and_pages_render(app, client, login):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        expert = db.session.scalar(select(User).where(User.role == "expert"))
        question_id = db.session.scalar(select(Question.id).where(
            Question.accepted_answer_id.is_not(None)).limit(1))
    login(client, expert.username, demo_password(expert.username))
    for url in ("/", "/questions", "/tags", f"/questions/{question_id}", "/kb",
                "/kb/notebooks/children-in-street-situations/modules/1",
                "/kb/notebooks/enfants-en-situation-de-rue/modules/1", "/kb/curation",
                f"/users/{expert.username}"):
        assert client.get(url).status_code == 200, url
    with app.app_context():
        slug = db.session.scalar(select(Article.slug).where(Article.status == "published")
                                 .order_by(Article.id).limit(1))
    # The demo's first article is French: it is found on the French notebook's module.
    module = client.get("/kb/notebooks/enfants-en-situation-de-rue/modules/1")
    assert f"/kb/articles/{slug}" in module.get_data(as_text=True)
    found = client.get("/search?q=is:article").get_data(as_text=True)
    assert f"/kb/articles/{slug}" in found


def test_demo_articles_link_modules_in_their_language_and_fill_each_bundle(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.test_request_context("/"):
        shown = db.session.scalars(select(Article).where(
            Article.status.in_(("published", "in_review")))).all()
        published = {article.slug: article for article in shown
                     if article.status == "published"}
        by_notebook = {}
        for article in shown:
            # A demo article carries no placeholder and no empty section: it could be
            # published as it stands.
            assert drafting.problems(article.title, article.summary, article.body) == [], \
                article.slug
            assert workflow.unfinished(article) == []
            for module in article.modules:
                assert module.notebook.lang == article.lang, (article.slug, module.label)
                if article.status == "published":
                    by_notebook.setdefault(module.notebook.slug, set()).add(article.slug)
        bundles = {}
        for slug in ("enfants-en-situation-de-rue", "educational-support-unaccompanied-minors"):
            with zipfile.ZipFile(io.BytesIO(export.build(slug).data)) as bundle:
                bundles[slug] = {name.split("/", 1)[1] for name in bundle.namelist()}
        langs = {slug: published[slug].lang for slug in published}
    # Each published article is in the bundle of its notebook: French in the French one.
    assert {langs[slug] for slug in by_notebook["enfants-en-situation-de-rue"]} == {"fr"}
    assert {langs[slug] for slug in
            by_notebook["educational-support-unaccompanied-minors"]} == {"en"}
    for notebook, slugs in by_notebook.items():
        for slug in slugs:
            assert f"articles/{slug}.html" in bundles[notebook], (notebook, slug)
