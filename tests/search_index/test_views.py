"""The search page and the similar threads shown while asking, through HTTP."""
import re

import pytest
from markupsafe import escape

from tests.core.htmlcheck import elements

RESULT_RE = re.compile(r'<h3><a href="/questions/(\d+)/')


@pytest.fixture
def threads(seed, make_user):
    author = make_user(username="amina")
    return {
        "trust": seed.question(author, "How to build trust with a boy who sleeps in the market",
                               "He runs away when we come closer; the outreach team tries "
                               "to come back at the same hour.", tags="trust"),
        "school": seed.question(author, "Going back to school after two years in the street",
                                tags="schooling"),
    }


def test_search_page_lists_results_with_highlight(client, threads):
    page = client.get("/search?q=market").get_data(as_text=True)
    assert RESULT_RE.findall(page) == [str(threads["trust"])]
    assert "<mark>market</mark>" in page
    assert "1 result" in page


def test_every_page_has_a_search_box_that_works_without_javascript(client, threads):
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<form method="get" action="/search" role="search"', home)
    assert 'name="q"' in home


def test_empty_search_explains_the_query_language(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert "tag:maraude" in response.get_data(as_text=True)


def test_no_result_offers_to_ask(client, threads):
    page = client.get("/search?q=volcano").get_data(as_text=True)
    assert "0 results" in page and 'href="/questions/ask"' in page


@pytest.mark.parametrize("query", ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>",
                                   "javascript:alert(1)"])
def test_query_text_is_escaped_everywhere(client, threads, query):
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    # Shown back, escaped: in the box and in the page title.
    assert f'name="q" type="search" value="{escape(query)}"' in page
    assert f"<title>Search: {escape(query)} · " in page


REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example">'
# Without quotation marks inside, it stays one value after an operator: is:"<meta …>".
REFRESH_PHRASE = '"<meta http-equiv=refresh content=0;url=https://evil.example>"'
BREAKOUT = '"><b>x</b>'
OPERATORS = ["", "-", "tag:", "-tag:", "lang:", "user:", "module:", "is:", "-is:", "sort:"]


def _planted(page):
    """The elements a payload would have planted in the page, as a browser parses it."""
    return [(tag, attrs) for tag, attrs in elements(page)
            if tag == "b" or (tag == "meta" and not ("charset" in attrs or "name" in attrs))]


def _notices(page):
    return re.findall(r'<p class="notice">(.*?)</p>', page, flags=re.S)


@pytest.mark.parametrize("operator", OPERATORS)
def test_every_operator_shows_its_value_escaped(client, threads, operator):
    for payload in (REFRESH, REFRESH_PHRASE, BREAKOUT):
        for query in (operator + payload, f"trust {operator}{payload}",
                      f"{operator}{payload} market"):
            page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
            assert _planted(page) == [], query
            assert "<meta http" not in page and "<b>x" not in page, query
            assert f'value="{escape(query)}"' in page, query
            notices = _notices(page)
            assert not any("<meta" in notice or "<b>" in notice for notice in notices), notices
            if operator in ("lang:", "is:", "-is:"):
                # The message explaining the unknown value quotes it, escaped.
                assert any("&lt;meta" in notice or "&lt;b&gt;x&lt;/b&gt;" in notice
                           for notice in notices), (query, notices)


@pytest.mark.parametrize("typed, shown", [
    ("markte <b>x</b>", "market <b>x</b>"),
    ("markte <meta http-equiv=refresh content=0;url=https://evil.example>",
     "market <meta http-equiv=refresh content=0;url=https://evil.example>"),
])
def test_a_corrected_query_is_shown_back_escaped(client, threads, typed, shown):
    page = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert _planted(page) == []
    notice = (f"Nothing was found for “<bdi>{escape(typed)}</bdi>”: showing results for "
              f"“<bdi>{escape(shown)}</bdi>”.")
    assert notice in page
    assert f'value="{escape(shown)}"' in page


def test_did_you_mean_is_shown_back_escaped(client, threads):
    page = client.get("/search", query_string={"q": "trust <b>x</b> markte"}).get_data(
        as_text=True)
    assert _planted(page) == []
    assert re.search(r'Did you mean: <a href="/search\?q=trust\+%3Cb%3Ex%3C/b%3E\+market"'
                     r' dir="auto">'
                     + re.escape(str(escape("trust <b>x</b> market"))) + "</a>", page), page


@pytest.mark.parametrize("args", ["q=trust&page=abc", "q=trust&page=-4", "q=trust&page=99999",
                                  "q=trust&sort=sideways", "q=%00%01", "q=" + "a" * 5000,
                                  'q="trust', "q=tag:", "q=is:nothing"])
def test_odd_parameters_never_fail(client, threads, args):
    assert client.get(f"/search?{args}").status_code == 200


def test_sort_links_keep_the_query(client, threads):
    page = client.get("/search?q=trust").get_data(as_text=True)
    assert 'href="/search?q=trust&amp;sort=newest"' in page


def test_pages_link_to_each_other(client, seed, make_user):
    author = make_user()
    for n in range(12):
        seed.question(author, f"Outreach evening number {n} in the old town")
    first = client.get("/search?q=outreach&sort=newest").get_data(as_text=True)
    assert 'rel="next"' in first
    second = client.get("/search?q=outreach&sort=newest&page=2").get_data(as_text=True)
    assert len(RESULT_RE.findall(second)) == 2 and 'rel="prev"' in second


def _ask(client, title, **extra):
    data = {"title": title, "body": "The situation in detail, with what we tried already.",
            "tags": "trust", "lang": "en", **extra}
    return client.post_form("/questions/ask", data)


def test_asking_shows_similar_threads_before_posting(user_client, threads, app):
    client = user_client()
    response = _ask(client, "How can we build trust with a boy sleeping at the market?")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "may already answer your question" in page
    assert f'href="/questions/{threads["trust"]}/' in page
    assert "<mark>" in page
    # Nothing is posted yet; the asker's text is kept in the form.
    assert "sleeping at the market" in page
    assert re.search(r'name="similar_checked"[^>]*value="1"', page)
    posted = _ask(client, "How can we build trust with a boy sleeping at the market?",
                  similar_checked="1")
    assert posted.status_code == 302 and "/questions/" in posted.headers["Location"]


def test_a_question_unlike_any_other_is_posted_at_once(user_client, threads):
    response = _ask(user_client(), "Which vaccines does a shelter check on arrival?")
    assert response.status_code == 302


def test_one_shared_common_word_is_not_similar(user_client, threads):
    # "school" alone, among five meaningful words, is not enough to hold the question back.
    response = _ask(user_client(), "Vaccination records lost between school and clinic")
    assert response.status_code == 302
