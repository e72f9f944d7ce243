"""@mentions in core.markup: "@name" becomes a link to the member's page when the lookup knows
the name (one lookup per render), never inside code or a link, never in an e-mail address,
and nothing typed around it can become markup."""
import pytest

from core.markup import render
from tests.core.htmlcheck import dangers, elements
from tests.e2e.test_xss import load_payloads

MEMBERS = {"ana": "Ana", "bob_2": "Bob_2"}


class Lookup:
    def __init__(self):
        self.calls = []

    def __call__(self, keys):
        self.calls.append(list(keys))
        return {key: (MEMBERS[key], f"/users/{MEMBERS[key]}") for key in keys if key in MEMBERS}


def links(html):
    return [attrs["href"] for tag, attrs in elements(html) if tag == "a"]


def test_members_are_linked_case_insensitively_with_one_lookup():
    lookup = Lookup()
    html = render("Thanks @ANA and @bob_2, and @ana again; @stranger is nobody.", mentions=lookup)
    assert lookup.calls == [["ana", "bob_2", "stranger"]]
    assert links(html) == ["/users/Ana", "/users/Bob_2", "/users/Ana"]
    assert ">@Ana</a>" in html and "@stranger" in html


def test_no_lookup_without_a_mention_nor_without_the_function():
    lookup = Lookup()
    render("Nothing to look up here, not even user@example.org.", mentions=lookup)
    assert lookup.calls == []
    assert links(render("Hello @ana")) == []  # render() alone stays pure text


@pytest.mark.parametrize("source", [
    "`@ana` in a code span",
    "    @ana in an indented block",
    "```\n@ana in a fenced block\n```",
    "[a link that names @ana](https://example.org)",
    "write to ana@example.org",
    "a handle @ana@example.org elsewhere",
    "not inside a word@ana",
    "too short @an",
])
def test_not_a_mention(source):
    html = render(source, mentions=Lookup())
    assert "/users/" not in html


def test_mentions_inside_emphasis_lists_and_quotes():
    html = render("- *@ana* helps\n\n> ask @bob_2.", mentions=Lookup())
    assert links(html) == ["/users/Ana", "/users/Bob_2"]


def test_the_linked_name_comes_from_the_lookup_and_text_around_stays_text():
    for payload in load_payloads():
        source = f"@ana {payload} @bob_2{payload}"
        # Mentions add no danger to what the same text renders to without them (a payload
        # such as a zero-width space before "javascript:" is a harmless relative address).
        assert dangers(render(source, mentions=Lookup())) == dangers(render(source)), payload

    def hostile(keys):
        return {key: ('"><script>alert(1)</script>', 'javascript:alert(1)') for key in keys}

    html = render("@ana", mentions=hostile)
    assert dangers(html) == [] and "<script" not in html
