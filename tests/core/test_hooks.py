"""core.hooks: what packages register for pages they do not own, and the layout that shows it."""
import re

import pytest
from flask import Flask

from core import hooks


@pytest.fixture
def bare():
    """An application with the hooks and a few pages, nothing else."""
    app = Flask(__name__)
    hooks.init_app(app)
    for rule, endpoint in (("/", "home"), ("/a", "a"), ("/b", "b"), ("/c", "c"),
                           ("/tags/<name>", "tag")):
        app.add_url_rule(rule, endpoint, lambda **_: "")
    return app


def test_navigation_is_in_order_and_shows_each_entry_to_whom_it_names(bare):
    hooks.add_navigation(bare, "C", "c", order=30, css_class="button")
    hooks.add_navigation(bare, "A", "a", order=10)
    hooks.add_navigation(bare, "B", "b", order=20, condition=lambda user: user == "expert")
    with bare.test_request_context():
        assert [(link.label, link.url, link.css_class) for link in hooks.navigation("expert")] \
            == [("A", "/a", None), ("B", "/b", None), ("C", "/c", "button")]
        assert [link.label for link in hooks.navigation("member")] == ["A", "C"]


def test_a_page_is_reached_by_its_name_and_served_by_one_endpoint(bare):
    hooks.add_page(bare, "home", "home")
    hooks.add_page(bare, "tag", "tag")
    hooks.add_page(bare, "tag", "tag")  # the same registration twice is harmless
    with pytest.raises(ValueError):
        hooks.add_page(bare, "home", "a")
    with bare.test_request_context():
        assert hooks.page_url("home") == "/"
        assert hooks.page_url("tag", name="trust") == "/tags/trust"


def test_thread_badges_actions_and_ask_notes_come_from_every_provider(bare):
    hooks.add_thread_badges(bare, lambda question, answers, viewer: [f"badge of {question}"])
    hooks.add_thread_badges(bare, lambda question, answers, viewer: [])
    hooks.add_thread_actions(bare, lambda question, answers, viewer: [viewer, len(answers)])
    hooks.add_ask_notes(bare, lambda context: [context["module"]])
    with bare.app_context():
        assert hooks.thread_badges("q1", [], "me") == ["badge of q1"]
        assert hooks.thread_actions("q1", ["a1", "a2"], "me") == ["me", 2]
        assert hooks.ask_notes({"module": 3}) == [3]


def test_the_header_shows_the_sections_the_packages_registered(client):
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    sections = header.split('<nav aria-label="Sections">')[1].split("</nav>")[0]
    assert re.findall(r'<a(?: class="(\w+)")? href="([^"]+)">([^<]+)</a>', sections) == [
        ("", "/questions", "Questions"), ("", "/tags", "Tags"), ("", "/kb", "Notebooks"),
        ("button", "/questions/ask", "Ask")]
    assert '<a class="brand" href="/">' in header
    assert '<form method="get" action="/search" role="search"' in header


def test_the_error_page_links_home(client):
    page = client.get("/no/such/page").get_data(as_text=True)
    assert '<p><a href="/">Back to the home page</a></p>' in page
