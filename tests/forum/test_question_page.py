"""The question page: what a reader sees (question, tags, answers with the accepted one first,
threaded comments, vote and accept buttons for those who may use them) and its SQL budget —
the same number of queries with 2 answers as with 20 answers and 40 comments, at most 8
(DESIGN §9), for an anonymous reader and for a signed-in member."""
import re

import pytest

from tests.forum.conftest import comment_parents, counted_queries, html

MAX_QUERIES = 8


def test_question_page_shows_the_question(client, seed, make_user):
    asker = make_user()
    question_id = seed.question(asker, title="How do I build trust with a child at night?",
                                body="We meet him **every night** near the station, he runs.",
                                tags="trust, night", lang="fr")
    for url in (f"/questions/{question_id}",
                f"/questions/{question_id}/how-do-i-build-trust-with-a-child-at-night",
                f"/questions/{question_id}/any-old-slug"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = html(response)
    assert '<h1 lang="fr" dir="auto">How do I build trust with a child at night?</h1>' in page
    assert "<strong>every night</strong>" in page
    assert 'href="/tags/night"' in page and 'href="/tags/trust"' in page
    assert f'href="/users/{asker}"' in page
    assert '<div class="body" lang="fr" dir="auto"><p>We meet him' in page
    assert (f'rel="canonical" href="http://localhost/questions/{question_id}/'
            'how-do-i-build-trust-with-a-child-at-night"') in page
    assert client.get("/questions/98765").status_code == 404


def test_times_are_machine_readable_and_the_language_picker_valid(client, seed, make_user,
                                                                  user_client):
    # The Nu HTML checker refuses a datetime with microseconds, and a required <select> that
    # opens on a real choice instead of an empty placeholder.
    question_id = seed.question(make_user())
    stamps = re.findall(r'<time datetime="([^"]+)"', html(client.get(f"/questions/{question_id}")))
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)
    ask = html(user_client().get("/questions/ask"))
    assert re.search(r'<select[^>]*name="lang"', ask)
    assert not re.search(r'<select[^>]*name="lang"[^>]*required', ask)


def test_markup_in_posts_is_sanitised(client, seed, make_user):
    question_id = seed.question(
        make_user(), body="Look: <script>alert(1)</script> [site](javascript:alert(1)) and "
                          "[good](https://example.org) for more.")
    page = html(client.get(f"/questions/{question_id}"))
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page
    assert 'rel="nofollow ugc noopener"' in page


def test_answers_are_shown_with_the_accepted_one_first(client, seed, make_user):
    asker = make_user()
    question_id = seed.question(asker)
    first = seed.answer(make_user(), question_id, body="First answer, written early on.")
    second = seed.answer(make_user(), question_id, body="Second answer, the one that worked.")
    seed.vote(make_user(), "answer", first, 1)
    page = html(client.get(f"/questions/{question_id}"))
    assert page.index(f'id="answer-{first}"') < page.index(f'id="answer-{second}"')
    assert "2 answers" in page
    seed.accept(asker, second)
    page = html(client.get(f"/questions/{question_id}"))
    assert page.index(f'id="answer-{second}"') < page.index(f'id="answer-{first}"')
    assert f'<article class="answer accepted" id="answer-{second}"' in page
    assert page.count("Accepted answer") == 1


def test_comments_are_threaded_under_their_post_and_parent(client, seed, make_user):
    question_id = seed.question(make_user())
    answer_id = seed.answer(make_user(), question_id)
    on_question = seed.comment(make_user(), "Which city is this in?", question_id=question_id)
    reply = seed.comment(make_user(), "Douala, near the port.", parent_id=on_question)
    on_answer = seed.comment(make_user(), "Did he come back?", answer_id=answer_id)
    reply_to_reply = seed.comment(make_user(), "Yes, after two nights.", parent_id=reply)
    answer_reply = seed.comment(make_user(), "Yes he did.", parent_id=on_answer)
    parents = comment_parents(html(client.get(f"/questions/{question_id}")))
    assert parents == {
        on_question: "question",
        reply: on_question,
        reply_to_reply: reply,
        on_answer: f"answer-{answer_id}",
        answer_reply: on_answer,
    }


def test_vote_buttons_show_the_readers_own_vote(client, seed, make_user, user_client):
    asker = user_client()
    question_id = seed.question(asker.username)
    answer_id = seed.answer(make_user(), question_id)
    assert 'name="value"' not in html(client.get(f"/questions/{question_id}"))
    voter = user_client()
    voter.post_form(f"/answers/{answer_id}/vote", {"value": "up"})
    page = html(voter.get(f"/questions/{question_id}"))
    answer_part = page.split(f'id="answer-{answer_id}"')[1]
    assert 'value="up" aria-pressed="true"' in answer_part
    assert 'value="down" aria-pressed="false"' in answer_part
    assert '<span class="score"><bdi>1</bdi></span>' in answer_part
    own = html(asker.get(f"/questions/{question_id}")).split('id="answers-title"')[0]
    assert 'name="value"' not in own            # no vote buttons on one's own question


def test_only_the_asker_and_moderators_see_the_accept_button(client, seed, user_client):
    asker = user_client()
    question_id = seed.question(asker.username)
    seed.answer(user_client().username, question_id)
    assert "Accept this answer" in html(asker.get(f"/questions/{question_id}"))
    assert "Accept this answer" in html(user_client("moderator").get(f"/questions/{question_id}"))
    assert "Accept this answer" not in html(user_client("expert").get(f"/questions/{question_id}"))
    assert "Accept this answer" not in html(client.get(f"/questions/{question_id}"))


def test_anonymous_readers_are_invited_to_sign_in_to_answer(client, seed, make_user):
    question_id = seed.question(make_user())
    page = html(client.get(f"/questions/{question_id}"))
    assert "Sign in to answer" in page and 'action="/questions/' not in page


# -- SQL budget --------------------------------------------------------------------------------

def build_thread(seed, make_user, answers, comments):
    """A question with `answers` answers and `comments` comments spread over the question and
    the answers, one in three of them a reply to the previous comment; authors all differ."""
    question_id = seed.question(make_user())
    answer_ids = [seed.answer(make_user(), question_id) for _ in range(answers)]
    previous = None
    for n in range(comments):
        if previous is not None and n % 3 == 2:
            previous = seed.comment(make_user(), f"Reply number {n} here.", parent_id=previous)
        elif n % 2 or not answer_ids:
            previous = seed.comment(make_user(), f"Comment number {n}.", question_id=question_id)
        else:
            previous = seed.comment(make_user(), f"Comment number {n}.",
                                    answer_id=answer_ids[n % len(answer_ids)])
    return question_id, answer_ids


def queries_for(app, client, url):
    client.get(url)                     # warm up (static fingerprint, first connection)
    with counted_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_question_page_query_count_does_not_grow_with_answers_and_comments(
        app, seed, make_user, client, user_client, reader):
    small, _ = build_thread(seed, make_user, answers=2, comments=0)
    large, large_answers = build_thread(seed, make_user, answers=20, comments=40)
    browser = client if reader == "anonymous" else user_client()
    if reader == "member":       # the member has voted on the large page: votes are loaded too
        seed.vote(browser.username, "answer", large_answers[3], 1)
        seed.vote(browser.username, "question", large, -1)
        # and on the small one: a member who took part in neither would share a page rendered
        # once for all members (forum.shared_pages; tests/forum/test_shared_member_page.py).
        seed.vote(browser.username, "question", small, 1)
    small_statements = queries_for(app, browser, f"/questions/{small}")
    large_statements = queries_for(app, browser, f"/questions/{large}")
    page = html(browser.get(f"/questions/{large}"))
    assert page.count('<article class="answer') == 20
    assert len(comment_parents(page)) == 40
    assert len(small_statements) == len(large_statements), large_statements
    assert len(large_statements) <= MAX_QUERIES, large_statements
