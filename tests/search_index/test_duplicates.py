"""Search shows the original of a duplicate (issue 15, item 4), on both engines: a duplicate
that matches a query is marked as such and links to its original; a closed question is
marked; an original no reader may see is never linked."""
import re

from core.accounts.services import get_user_by_username
from forum.services import moderation_threads

RESULT_RE = re.compile(r'<h3><a href="/questions/(\d+)/')
RELATED_RE = re.compile(r'<p class="related">Same subject as: <a href="/questions/(\d+)/')


def _threads(app, seed, make_user):
    author, moderator = make_user(username="amina"), make_user("moderator")
    original = seed.question(author, "How to build trust with a boy who sleeps in the market",
                             "He runs away when we come closer; the outreach team comes back "
                             "at the same hour every evening.")
    duplicate = seed.question(author, "Approaching a runaway teenager near the bus station",
                              "Every time the educators approach, the teenager disappears "
                              "between the buses before we can talk.")
    with app.app_context():
        moderation_threads.mark_duplicate(get_user_by_username(moderator), duplicate, original)
    return author, moderator, original, duplicate


def test_the_duplicates_words_lead_to_its_original(app, client, seed, make_user):
    _author, _moderator, original, duplicate = _threads(app, seed, make_user)
    page = client.get("/search", query_string={"q": "teenager buses"}).get_data(as_text=True)
    assert [int(found) for found in RESULT_RE.findall(page)] == [duplicate]
    assert '<span class="badge">duplicate</span>' in page
    assert [int(found) for found in RELATED_RE.findall(page)] == [original]
    # The original's own words find it, with no mark.
    page = client.get("/search", query_string={"q": "market trust"}).get_data(as_text=True)
    assert [int(found) for found in RESULT_RE.findall(page)] == [original]
    assert "badge" not in page.split('class="questions results"')[1]


def test_an_unmarked_duplicate_is_a_plain_result_again(app, client, seed, make_user):
    _author, moderator, _original, duplicate = _threads(app, seed, make_user)
    with app.app_context():
        moderation_threads.unmark_duplicate(get_user_by_username(moderator), duplicate)
    page = client.get("/search", query_string={"q": "teenager buses"}).get_data(as_text=True)
    assert [int(found) for found in RESULT_RE.findall(page)] == [duplicate]
    assert "Same subject as" not in page


def test_a_deleted_original_is_never_linked(app, client, seed, make_user):
    author, _moderator, original, _duplicate = _threads(app, seed, make_user)
    seed.delete(author, "question", original)
    page = client.get("/search", query_string={"q": "teenager buses"}).get_data(as_text=True)
    assert "Same subject as" not in page and "market" not in page


def test_a_closed_question_is_marked_in_the_results(app, client, seed, make_user):
    _author, moderator, original, _duplicate = _threads(app, seed, make_user)
    with app.app_context():
        moderation_threads.close_question(get_user_by_username(moderator), original,
                                          "off_topic")
    page = client.get("/search", query_string={"q": "market trust"}).get_data(as_text=True)
    assert '<span class="badge">closed</span>' in page


def test_the_service_finds_the_same_cards(app, seed, make_user, find):
    _author, _moderator, original, duplicate = _threads(app, seed, make_user)
    assert find("teenager buses") == [duplicate]
    card = find.last.items[0].card
    assert card.related.url.startswith(f"/questions/{original}/")
