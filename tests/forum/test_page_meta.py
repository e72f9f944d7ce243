"""What pages tell search engines and machines (issue 13, items 4 and 8): a meta description on
every page, an absolute rel=canonical that a client's Host header cannot plant in a cached
page, `<time datetime>` values to the second, and dates and counts in the reader's locale."""
import re
from datetime import timedelta
from html import unescape

import pytest

from core.extensions import db
from core.timeutil import utcnow
from forum.models import Question

SITE_DESCRIPTION = ("Social workers and educators who care for children in street situations "
                    "and unaccompanied minors ask, answer and share what worked.")
DESCRIPTION_RE = re.compile(r'<meta name="description" content="([^"]*)">')
CANONICAL_RE = re.compile(r'<link rel="canonical" href="([^"]*)">')
TIME_RE = re.compile(r'<time datetime="([^"]*)">')
LONG_BODY = ("**Context.** A girl of 13 arrived at the night shelter after the \"police\" "
             "brought her <back> from the station. [The leaflet](https://example.org/leaflet) "
             "did not help. " + "She speaks only Tigrinya and we have no interpreter at night. " * 6)


def description(page):
    found = DESCRIPTION_RE.findall(page)
    assert len(found) == 1, found
    return unescape(found[0])


@pytest.fixture
def question_id(seed, make_user):
    asker = make_user(username="asker")
    question_id = seed.question(asker, title="Who interprets for a girl at night?", body=LONG_BODY)
    answer_id = seed.answer(make_user(), question_id)
    seed.comment(asker, answer_id=answer_id)
    return question_id


@pytest.mark.parametrize("path", ["/", "/questions", "/tags", "/search?q=trust", "/kb",
                                  "/auth/login", "/auth/register", "/users/asker",
                                  "/no/such/page"])
def test_every_page_has_the_site_description(client, question_id, path):
    page = client.get(path).get_data(as_text=True)
    assert description(page) == SITE_DESCRIPTION


def test_the_ask_page_has_the_site_description(user_client):
    page = user_client().get("/questions/ask").get_data(as_text=True)
    assert description(page) == SITE_DESCRIPTION


def test_a_question_is_described_by_a_short_plain_excerpt_of_its_body(client, question_id):
    text = description(client.get(f"/questions/{question_id}").get_data(as_text=True))
    assert text.startswith('Context. A girl of 13 arrived at the night shelter after the '
                           '"police" brought her <back> from the station. The leaflet did not')
    assert len(text) <= 160 and text.endswith("…")
    assert "**" not in text and "https://" not in text and "<strong>" not in text


def test_the_excerpt_is_escaped_in_the_attribute(client, question_id):
    page = client.get(f"/questions/{question_id}").get_data(as_text=True)
    raw = DESCRIPTION_RE.search(page).group(1)
    assert "&#34;police&#34;" in raw and "&lt;back&gt;" in raw


def test_a_deleted_question_never_lends_its_text_to_the_description(client, seed, question_id,
                                                                   login):
    seed.delete("asker", "question", question_id)
    page = login(client, "asker").get(f"/questions/{question_id}").get_data(as_text=True)
    assert "This question is deleted" in page  # the author still sees it…
    assert description(page) == SITE_DESCRIPTION  # …but the description is not its text
    assert "Tigrinya" not in page.split("</head>")[0]


def test_the_canonical_address_is_absolute(client, question_id):
    page = client.get(f"/questions/{question_id}").get_data(as_text=True)
    assert CANONICAL_RE.findall(page) == [
        f"http://localhost/questions/{question_id}/who-interprets-for-a-girl-at-night"]
    # Any other spelling of the address names the same canonical page.
    other = client.get(f"/questions/{question_id}/old-title").get_data(as_text=True)
    assert CANONICAL_RE.findall(other) == CANONICAL_RE.findall(page)


def test_the_canonical_address_uses_the_configured_base_url(app, client, question_id,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "CARNETS_BASE_URL", "https://carnets.example.org")
    page = client.get(f"/questions/{question_id}", base_url="http://10.0.0.7:8000").get_data(
        as_text=True)
    assert CANONICAL_RE.findall(page) == [
        f"https://carnets.example.org/questions/{question_id}/who-interprets-for-a-girl-at-night"]


def test_a_host_header_never_reaches_another_readers_cached_page(app, question_id):
    url = f"/questions/{question_id}/who-interprets-for-a-girl-at-night"
    attacker, reader = app.test_client(), app.test_client()
    planted = attacker.get(url, base_url="http://evil.example").get_data(as_text=True)
    assert CANONICAL_RE.findall(planted) == [f"http://evil.example{url}"]
    page = reader.get(url).get_data(as_text=True)
    assert CANONICAL_RE.findall(page) == [f"http://localhost{url}"]


def test_times_for_machines_are_utc_to_the_second(app, client, question_id):
    page = client.get(f"/questions/{question_id}").get_data(as_text=True)
    values = TIME_RE.findall(page)
    assert len(values) == 3  # the question, the answer, the comment
    for value in values:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), value
    with app.app_context():
        created = db.session.get(Question, question_id).created_at
        db.session.remove()
    assert created.strftime("%Y-%m-%dT%H:%M:%SZ") in values


def test_a_profile_says_member_since_a_date_without_seconds(client, question_id):
    page = client.get("/users/asker").get_data(as_text=True)
    day = utcnow()
    assert f"member since {day:%b} {day.day}, {day.year}</p>" in page
    assert not re.search(r"member since [^<]*\d\d:\d\d", page)


def test_counts_are_written_in_the_readers_locale(client, seed, question_id):
    seed.update(Question, question_id, score=1234)
    assert "1,234 votes" in client.get("/questions").get_data(as_text=True)
    french = client.get("/questions", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "1\u202f234" in french and "1234" not in french
    question = client.get(f"/questions/{question_id}").get_data(as_text=True)
    assert '<span class="score" title="Score"><bdi>1,234</bdi></span>' in question


def test_malagasy_pages_never_read_a_signed_amount_of_time(client, seed, question_id):
    three_minutes_ago = utcnow() - timedelta(minutes=3)
    seed.update(Question, question_id, created_at=three_minutes_ago,
                last_activity_at=three_minutes_ago)
    page = client.get("/questions", headers={"Accept-Language": "mg"}).get_data(as_text=True)
    assert "-3 min" not in page and not re.search(r">[-+]\d+ \w+</time>", page)
    times = re.findall(r'<time datetime="[^"]*">([^<]*)</time>', page)
    assert times and all(re.match(r"\d", text) for text in times), times
