"""Question lists as readers browse them: /questions sorted by newest, active, votes and
unanswered; tag and language filters; pagination (20 a page); the tag index and tag pages;
the home page; user pages."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.timeutil import utcnow
from forum.models import Question, Tag
from tests.forum.conftest import html, listed_question_ids, row


def titled(n):
    return f"Question number {n:02d} from the field work"


@pytest.fixture
def four(seed, make_user):
    """Four questions a, b, c, d asked one day apart (d newest), with distinct activity,
    scores, answers, tags and languages."""
    asker, helper = make_user(), make_user()
    voters = [make_user() for _ in range(3)]
    now = utcnow()
    ids = {}
    for offset, (name, tags, lang) in enumerate([("a", "trust night", "fr"),
                                                 ("b", "trust", "en"),
                                                 ("c", "papers", "fr"),
                                                 ("d", "night", "es")]):
        ids[name] = seed.question(asker, title=titled(offset), tags=tags, lang=lang)
        moment = now - timedelta(days=4 - offset)
        seed.update(Question, ids[name], created_at=moment, last_activity_at=moment)
    # a gets the latest activity (an answer), b the most votes, c an answer and a down vote
    seed.answer(helper, ids["a"])
    seed.answer(helper, ids["c"])
    for voter in voters:
        seed.vote(voter, "question", ids["b"], 1)
    seed.vote(voters[0], "question", ids["c"], -1)
    seed.update(Question, ids["c"], last_activity_at=now - timedelta(hours=5))
    return ids


def order(client, query):
    response = client.get(f"/questions{query}")
    assert response.status_code == 200
    return listed_question_ids(response)


def test_newest_first_by_default(client, four):
    expected = [four[k] for k in "dcba"]
    assert order(client, "") == expected
    assert order(client, "?sort=newest") == expected
    assert order(client, "?sort=nonsense") == expected


def test_active_sort_puts_the_latest_activity_first(client, four):
    # a: answered just now; c: activity 5 hours ago; d: asked 1 day ago; b: 3 days ago
    assert order(client, "?sort=active") == [four[k] for k in "acdb"]


def test_votes_sort_puts_the_highest_score_first(client, four):
    # b +3, then a and d at 0 (ties: newest first), c -1
    assert order(client, "?sort=votes") == [four[k] for k in "bdac"]


def test_unanswered_lists_only_questions_without_answers(client, four):
    assert order(client, "?sort=unanswered") == [four["d"], four["b"]]


def test_an_answer_removes_a_question_from_unanswered_and_its_deletion_brings_it_back(
        client, seed, make_user, four):
    helper = make_user()
    answer_id = seed.answer(helper, four["b"])
    assert four["b"] not in order(client, "?sort=unanswered")
    seed.delete(helper, "answer", answer_id)
    assert four["b"] in order(client, "?sort=unanswered")


def test_tag_filter(client, four):
    assert order(client, "?tag=trust") == [four["b"], four["a"]]
    assert order(client, "?tag=night&sort=active") == [four["a"], four["d"]]
    assert order(client, "?tag=NIGHT") == [four["d"], four["a"]]
    assert order(client, "?tag=night&sort=unanswered") == [four["d"]]


def test_language_filter(client, four):
    assert order(client, "?lang=fr") == [four["c"], four["a"]]
    assert order(client, "?lang=es") == [four["d"]]
    assert order(client, "?lang=km") == []
    assert order(client, "?lang=&sort=newest") == [four[k] for k in "dcba"]


def test_tag_and_language_filters_combine(client, four):
    assert order(client, "?tag=night&lang=fr") == [four["a"]]
    assert order(client, "?tag=trust&lang=en&sort=votes") == [four["b"]]


def test_sort_links_keep_the_filters(client, four):
    page = html(client.get("/questions?tag=night&lang=fr"))
    assert 'href="/questions?sort=votes&amp;tag=night&amp;lang=fr"' in page


def test_pages_of_twenty_without_duplicates(app, client, seed, make_user):
    assert app.config["QUESTIONS_PER_PAGE"] == 20
    asker = make_user()
    created = [seed.question(asker, title=titled(n), tags=f"tag{n % 3}") for n in range(45)]
    pages = [order(client, f"?page={number}") for number in (1, 2, 3)]
    assert [len(page) for page in pages] == [20, 20, 5]
    seen = pages[0] + pages[1] + pages[2]
    assert len(set(seen)) == 45
    assert seen == sorted(created, reverse=True)        # newest first across the pages
    assert order(client, "?page=4") == []
    first = html(client.get("/questions"))
    assert 'rel="next" href="/questions?sort=newest&amp;page=2"' in first
    assert 'rel="prev"' not in first
    third = html(client.get("/questions?page=3"))
    assert 'rel="prev"' in third and 'rel="next"' not in third
    assert order(client, "?page=0") == pages[0]
    assert order(client, "?page=-3") == pages[0]
    assert order(client, "?page=abc") == pages[0]


def test_pages_walk_a_sort_and_a_filter_together(client, seed, make_user):
    asker = make_user()
    for n in range(25):
        seed.question(asker, title=titled(n), tags="night" if n % 2 else "day",
                      lang="fr" if n % 4 < 2 else "en")
    # 12 odd numbers are tagged night; half of them (n % 4 == 1) are in French
    first = order(client, "?tag=night&page=1")
    assert len(first) == 12 and order(client, "?tag=night&page=2") == []
    assert len(order(client, "?tag=night&lang=fr")) == 6


def test_tag_index_lists_used_tags_with_their_counts(client, four):
    page = html(client.get("/tags"))
    for name in ("trust", "night", "papers"):
        assert f'href="/tags/{name}"' in page
    assert page.index('href="/tags/night"') < page.index('href="/tags/papers"')
    by_name = html(client.get("/tags?sort=name"))
    assert (by_name.index('href="/tags/night"') < by_name.index('href="/tags/papers"')
            < by_name.index('href="/tags/trust"'))
    assert "2 questions" in page and "1 question" in page


def test_tag_page_lists_the_questions_of_the_tag(client, four):
    response = client.get("/tags/trust")
    assert response.status_code == 200
    assert listed_question_ids(response) == [four["b"], four["a"]]
    assert "2 questions" in html(response)
    assert listed_question_ids(client.get("/tags/trust?sort=votes")) == [four["b"], four["a"]]
    assert client.get("/tags/no-such-tag").status_code == 404


def test_tag_page_shows_the_tag_description(app, client, seed, four):
    with app.app_context():
        tag_id = db.session.scalar(select(Tag.id).where(Tag.name == "trust"))
    seed.update(Tag, tag_id, description="Building a relationship with a child.")
    assert "Building a relationship with a child." in html(client.get("/tags/trust"))
    assert "Building a relationship with a child." in html(client.get("/tags"))


def test_home_shows_recent_activity_and_latest_answers(client, four):
    response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    recent = listed_question_ids(response)
    assert recent == [four[k] for k in "acdb"]
    assert f'href="/questions/{four["a"]}/' in page.split('id="answers-title"')[1]


def test_user_page_lists_their_questions_and_answers(app, client, seed, make_user):
    asker, answerer = make_user(), make_user()
    question_id = seed.question(asker, title="How to talk about going home?")
    answer_id = seed.answer(answerer, question_id)
    seed.accept(asker, answer_id)
    page = html(client.get(f"/users/{asker}"))
    assert "How to talk about going home?" in page
    answers_part = html(client.get(f"/users/{answerer}")).split('id="answers-title"')[1]
    assert f"#answer-{answer_id}" in answers_part and "accepted" in answers_part
    assert client.get(f"/users/{asker.upper()}").status_code == 200
    assert client.get("/users/nobody_here").status_code == 404
    assert row(app, Question, question_id)["accepted_answer_id"] == answer_id


def test_an_unknown_tag_filter_lists_nothing(client, four):
    assert order(client, "?tag=no-such-tag") == []


def test_latest_answers_on_home_skip_a_deleted_busy_question(client, seed, make_user):
    asker, helper = make_user(), make_user()
    kept = seed.question(asker, title="A question that keeps its answer")
    kept_answer = seed.answer(helper, kept)
    busy = seed.question(asker, title="A question with many answers, then deleted")
    for _ in range(40):
        seed.answer(helper, busy)
    seed.delete(asker, "question", busy)
    latest = html(client.get("/")).split('id="answers-title"')[1]
    assert f"#answer-{kept_answer}" in latest
