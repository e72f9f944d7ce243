"""Two experts promoting the same thread at the same moment: one draft, and both land on it
instead of an error page. Real threads on SQLite and PostgreSQL, several rounds, because one
round may happen to run one request after the other."""
import threading

from sqlalchemy import event, func, select

from core.accounts.models import User
from core.extensions import db
from forum.services import answers
from knowledge.services import promotion
from knowledge.models import Article
from tests import factories

ROUNDS = 8
TIMEOUT = 60


def _thread(app, n):
    with app.app_context():
        asker = factories.user("member", f"asker{n}")
        answerer = factories.user("member", f"answerer{n}")
        question = factories.question(asker, title="How do I earn a street child's trust?")
        answer = factories.answer(answerer, question.id,
                                  body="I went back every evening at eight, with tea. " * 2)
        answers.accept_answer(asker, answer.id)
        return question.id, answer.id


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait(TIMEOUT)
        try:
            results[index] = call()
        except Exception as error:  # the test reports it
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a request is stuck"
    return results


def test_two_experts_promoting_one_thread_at_once_share_one_draft(app, user_client):
    experts = [user_client("expert"), user_client("expert")]
    for n in range(ROUNDS):
        question_id, answer_id = _thread(app, n)
        for expert in experts:
            expert.token = expert.csrf_token()
        responses = _at_once([
            lambda expert=expert: expert.post(f"/kb/promote/{question_id}", data={
                "answers": str(answer_id), "csrf_token": expert.token})
            for expert in experts])
        for response in responses:
            assert not isinstance(response, Exception), response
            # A redirect to the draft, or the promotion page that links to it.
            assert response.status_code in (200, 302), response.get_data(as_text=True)[:2000]
        with app.app_context():
            drafts = db.session.scalars(
                select(Article).where(Article.source_question_id == question_id)).all()
            assert len(drafts) == 1
            slug = drafts[0].slug
        for response in responses:
            if response.status_code == 302:
                assert response.location.endswith(f"/kb/articles/{slug}/edit")
            else:
                assert f"/kb/articles/{slug}" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == ROUNDS


def test_a_promotion_that_read_no_draft_before_the_other_committed_still_finds_it(app,
                                                                                 make_user):
    """The narrow interleaving, replayed step by step: the first expert has looked for an
    existing draft (none yet) and is about to choose a slug; the second one promotes the thread
    meanwhile. The first must end on the second one's draft, not on a second draft."""
    first_name, second_name = make_user("expert"), make_user("expert")
    question_id, answer_id = _thread(app, 0)
    at_slug, go_on = threading.Event(), threading.Event()
    results = {}

    def pause(conn, cursor, statement, parameters, context, executemany):
        if (threading.current_thread().name == "first" and not at_slug.is_set()
                and "FROM article" in statement and "article.slug =" in statement):
            at_slug.set()
            go_on.wait(TIMEOUT)

    def promote(name):
        try:
            with app.app_context():
                expert = db.session.scalar(select(User).where(User.username == name))
                article, _created = promotion.promote(expert, question_id, [answer_id])
                results[name] = article.id
        except Exception as error:  # the test reports it
            results[name] = error

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", pause)
    try:
        first = threading.Thread(target=promote, args=(first_name,), name="first")
        first.start()
        assert at_slug.wait(TIMEOUT), results
        second = threading.Thread(target=promote, args=(second_name,), name="second")
        second.start()
        # The second may wait for the first (the thread is held): then it finishes after it.
        second.join(5)
        go_on.set()
        first.join(TIMEOUT)
        second.join(TIMEOUT)
    finally:
        go_on.set()
        event.remove(engine, "before_cursor_execute", pause)
    assert not first.is_alive() and not second.is_alive()
    with app.app_context():
        drafts = db.session.scalars(select(Article.id).where(
            Article.source_question_id == question_id)).all()
    assert len(drafts) == 1
    assert results == {first_name: drafts[0], second_name: drafts[0]}
