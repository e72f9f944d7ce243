"""Question pages kept for anonymous readers (core.pagecache): a second reader costs no SQL
query, yet every change shows at once, and nobody gets a page rendered for someone else."""
import uuid

import pytest

from core import create_app
from core.accounts import services as accounts
from core.extensions import db
from forum.models import Question
from tests.conftest import REDIS_URL, redis_or_skip, test_config
from tests.factories import Seed
from tests.forum.conftest import counted_queries, html


@pytest.fixture
def thread(seed, make_user):
    """A question by `asker` with one answer by `helper`; returns a small record of it."""
    asker, helper = make_user(), make_user()
    question_id = seed.question(asker, title="Where can a girl of 13 sleep tonight?")
    answer_id = seed.answer(helper, question_id, body="Call the night team first; they know "
                                                      "which shelter has a bed for girls.")
    return {"asker": asker, "helper": helper, "question": question_id, "answer": answer_id,
            "url": f"/questions/{question_id}"}


@pytest.fixture
def other_app(app, tmp_path):
    """Another application on the same (emptied) database: other_app(**settings)."""
    built = []

    def factory(**extra):
        folder = tmp_path / f"instance-{len(built)}"
        new_app = create_app(test_config(folder, app.config["SQLALCHEMY_DATABASE_URI"], **extra))
        built.append(new_app)
        return new_app

    yield factory
    for new_app in built:
        with new_app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def _reader(app):
    """A new anonymous reader (no cookie) who reads English."""
    reader = app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return reader


def _queries(app, client, url):
    with counted_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements), html(response)


def test_a_second_anonymous_reader_costs_no_query(app, client, thread):
    first, page = _queries(app, client, thread["url"])
    again, same = _queries(app, _reader(app), thread["url"])
    assert first >= 3 and again == 0
    assert same == page
    assert "Set-Cookie" not in client.get(thread["url"]).headers


@pytest.mark.parametrize("change", ["answer", "comment", "reply", "vote", "accept", "edit",
                                    "edit answer", "delete answer", "display name"])
def test_every_change_shows_at_once_to_anonymous_readers(app, client, seed, make_user, thread,
                                                         change):
    before = html(client.get(thread["url"]))
    assert "Where can a girl of 13 sleep tonight?" in before
    other = make_user()
    if change == "answer":
        seed.answer(other, thread["question"], body="The social emergency line answers at "
                                                    "night; ask for the duty educator.")
        expected = "ask for the duty educator"
    elif change == "comment":
        seed.comment(other, "Which city is this in?", answer_id=thread["answer"])
        expected = "Which city is this in?"
    elif change == "reply":
        comment = seed.comment(other, "Which city is this in?", question_id=thread["question"])
        seed.comment(thread["asker"], "Douala, near the port.", parent_id=comment)
        expected = "Douala, near the port."
    elif change == "vote":
        seed.vote(other, "answer", thread["answer"])
        expected = '<span class="score" title="Score"><bdi>1</bdi></span>'
    elif change == "accept":
        seed.accept(thread["asker"], thread["answer"])
        expected = 'class="answer accepted"'
    elif change in ("edit", "edit answer", "delete answer", "display name"):
        with app.app_context():
            author = accounts.get_user_by_username(
                thread["asker"] if change == "edit" else thread["helper"])
            from forum.services import answers, deletion, questions
            if change == "edit":
                questions.edit_question(author, thread["question"],
                                        "Where can a girl of 13 sleep safely tonight?",
                                        db.session.get(Question, thread["question"]).body,
                                        "trust first-contact", "en")
                expected = "Where can a girl of 13 sleep safely tonight?"
            elif change == "edit answer":
                answers.edit_answer(author, thread["answer"], "Call the night team first; "
                                    "they know which shelter has a bed for girls this week.")
                expected = "has a bed for girls this week."
            elif change == "delete answer":
                deletion.delete_post(author, "answer", thread["answer"])
                expected = None
            else:
                accounts.update_profile(author, "Aïcha of the night team", "",
                                        "", None, [], "")
                expected = "Aïcha of the night team"
    after = html(_reader(app).get(thread["url"]))
    if expected is None:
        assert "a bed for girls" in before and "a bed for girls" not in after
    else:
        assert expected not in before and expected in after


def test_a_deleted_question_is_gone_for_anonymous_readers_at_once(app, client, seed, thread):
    assert client.get(thread["url"]).status_code == 200
    seed.delete(thread["asker"], "question", thread["question"])
    assert _reader(app).get(thread["url"]).status_code == 404


def test_signed_in_readers_never_share_the_anonymous_page(app, client, user_client, thread):
    anonymous = html(client.get(thread["url"]))
    member = user_client()
    mine = html(member.get(thread["url"]))
    assert 'name="csrf_token"' not in anonymous and 'name="csrf_token"' in mine
    assert f'href="/users/{member.username}"' in mine
    # What a signed-in reader was shown is never served to the next anonymous one.
    again = html(_reader(app).get(thread["url"]))
    assert member.username not in again and 'name="csrf_token"' not in again


def test_a_moderator_sees_a_deleted_answer_but_anonymous_readers_never_do(
        app, client, seed, user_client, thread):
    seed.delete(thread["helper"], "answer", thread["answer"])
    moderator = user_client("moderator")
    assert "a bed for girls" in html(moderator.get(thread["url"]))
    assert "a bed for girls" not in html(client.get(thread["url"]))
    assert "a bed for girls" not in html(_reader(app).get(thread["url"]))


def test_each_language_gets_its_own_page(app, thread):
    english = app.test_client().get(thread["url"], headers={"Accept-Language": "en"})
    french = app.test_client().get(thread["url"], headers={"Accept-Language": "fr"})
    assert '<html lang="en"' in html(english) and '<html lang="fr"' in html(french)


def test_a_flash_message_is_never_served_to_someone_else(app, client, user_client, thread):
    member = user_client()
    member.post_form("/auth/logout")
    shown = html(member.get(thread["url"]))
    assert 'class="flash' in shown
    assert 'class="flash' not in html(_reader(app).get(thread["url"]))


def test_the_cache_can_be_turned_off(app, client, thread):
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        _queries(app, client, thread["url"])
        again, _ = _queries(app, _reader(app), thread["url"])
        assert again > 0
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60


def test_a_deleted_question_stays_gone_when_pages_overflow_the_cache(other_app, make_user):
    small = other_app(CACHE_THRESHOLD=20)
    seed, reader = Seed(small), _reader(small)
    asker = make_user()
    deleted = seed.question(asker, title="Where can a girl of 13 sleep tonight?")
    busy = seed.question(asker, title="Which shelters take boys under ten at night?")
    # Several addresses of the same page: pruning removes a page or two, never all of them.
    urls = [f"/questions/{deleted}", f"/questions/{deleted}/where-can-a-girl",
            f"/questions/{deleted}?from=home", f"/questions/{deleted}?from=tags",
            f"/questions/{deleted}?from=search"]
    for n in range(30):  # more pages than the cache holds
        assert reader.get(f"/questions/{busy}?n={n}").status_code == 200
    for url in urls:
        assert "girl of 13" in html(reader.get(url))
    seed.delete(asker, "question", deleted)
    for n in range(30):
        assert reader.get(f"/questions/{busy}?after={n}").status_code == 200
        assert [reader.get(url).status_code for url in urls] == [404] * len(urls), n


def test_a_generation_evicted_by_redis_counts_as_a_change(other_app, make_user):
    store = redis_or_skip()
    prefix = f"carnets-test-{uuid.uuid4().hex}:"
    shared = other_app(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    try:
        seed, reader = Seed(shared), _reader(shared)
        asker = make_user()
        question = seed.question(asker, title="Where can a girl of 13 sleep tonight?")
        url = f"/questions/{question}"
        # What Redis does to any key under maxmemory with an allkeys-* eviction policy.
        store.delete(f"{prefix}gen:question:{question}")
        assert "girl of 13" in html(reader.get(url))
        seed.delete(asker, "question", question)
        assert reader.get(url).status_code == 404
        store.delete(f"{prefix}gen:question:{question}")
        assert reader.get(url).status_code == 404
    finally:
        keys = list(store.scan_iter(f"{prefix}*"))
        if keys:
            store.delete(*keys)
        store.close()
