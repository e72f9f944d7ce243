"""A moderator redacts a child's name, in the browser with JavaScript on and off: a member
names a child in a question, a peer's answer names him too, the member edits the name out but
the history keeps it; a moderator redacts the old revision and the passage of the answer; the
name is then gone from the history, the diff, the thread and search (no result, no snippet, no
suggestion), and a member who posts the form by hand is refused."""
import uuid

from playwright.sync_api import expect

from tests.e2e.browser_support import confirm_guard

from tests.e2e.test_journeys import PASSWORD, ask, register
from tests.e2e.test_search_journeys import search_from_header
from tests.servers import flask


def _letters(count=6):
    return "".join(chr(ord("a") + int(char, 16) % 26) for char in uuid.uuid4().hex[:count])


def _moderator(live_server, page):
    name = f"mod{_letters()}"
    flask(live_server.env, "create-user", name, "--email", f"{name}@example.org",
          "--password", PASSWORD, "--role", "moderator")
    page.goto(live_server.url + "/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.account")).to_contain_text(name)
    return name


def test_a_moderator_redacts_a_childs_name_from_history_diff_and_search(live_server,
                                                                        new_page):
    base = live_server.url
    child = f"Zanguebar{_letters()}".capitalize()
    author, peer, moderator, reader = new_page(), new_page(), new_page(), new_page()
    author_name, peer_name = f"red{_letters()}", f"peer{_letters()}"
    register(author, base, author_name)
    register(peer, base, peer_name)

    question_id = ask(author, base, f"A boy who sleeps near the station {author_name}",
                      tags=f"night {author_name}")
    author.goto(f"{base}/questions/{question_id}/edit")
    body = ("A boy of about 12 sleeps near the station every night and refuses the shelter. "
            "How do we start talking with him?")
    author.fill("#body", f"His name is {child}. {body}")
    author.get_by_role("button", name="Save the edit").click()
    confirm_guard(author)  # the author confirms the guard's warning: the moderator redacts later
    expect(author.locator("article.question .body").first).to_contain_text(child)
    peer.goto(f"{base}/questions/{question_id}")
    peer.fill("#body", f"We also met {child} last week: he comes to the day centre on Tuesdays.")
    peer.get_by_role("button", name="Post your answer").click()
    confirm_guard(peer)
    answer = peer.locator("article.answer").first
    expect(answer).to_contain_text(child)
    answer_id = int(answer.get_attribute("id").split("-")[1])
    # The author takes the name out; the history still shows it to anyone.
    author.goto(f"{base}/questions/{question_id}/edit")
    author.fill("#body", body)
    author.fill("#summary", "no name")
    author.get_by_role("button", name="Save the edit").click()
    confirm_guard(author)  # "near the station" is still a precise place to the guard
    expect(author.locator("article.question .body").first).not_to_contain_text(child)
    reader.goto(f"{base}/questions/{question_id}/revisions")
    expect(reader.locator("main")).to_contain_text(child)
    search_from_header(reader, base, child.lower())
    expect(reader.get_by_role("status")).to_have_text("1 result")
    expect(reader.locator("ul.results")).to_contain_text(child)

    # A member who finds the form cannot use it.
    author.goto(f"{base}/questions/{question_id}/revisions")
    expect(author.locator("main")).not_to_contain_text("Redact")
    response = author.goto(f"{base}/questions/{question_id}/redact")
    assert response.status == 403

    # The moderator redacts revision 2 (the one naming him) from the history page.
    _moderator(live_server, moderator)
    moderator.goto(f"{base}/questions/{question_id}/revisions")
    moderator.locator("#revision-2").get_by_role("link", name="Redact this revision").click()
    expect(moderator.locator("#redact-revision")).to_have_value("2")
    moderator.get_by_role("button", name="Redact this revision").click()
    expect(moderator.locator("#revision-reason-error")).to_be_visible()  # the reason first
    moderator.fill("#revision-reason", "Names a child")
    moderator.get_by_role("button", name="Redact this revision").click()
    expect(moderator.locator("h1")).to_have_text("History of the question")
    expect(moderator.locator("#revision-2")).to_contain_text("Redacted by a moderator on")
    # Then the passage of the peer's answer, after a passage the answer does not hold.
    moderator.goto(f"{base}/answers/{answer_id}/revisions")
    moderator.get_by_role("link", name="Redact a passage or a revision").click()
    moderator.fill("#redact-passage", "Somebody Else")
    moderator.fill("#passage-reason", "Names a child")
    moderator.get_by_role("button", name="Redact this passage").click()
    expect(moderator.locator("#redact-passage-error")).to_contain_text(
        "This passage is not in the post")
    moderator.fill("#redact-passage", child)
    moderator.get_by_role("button", name="Redact this passage").click()
    expect(moderator.locator("h1")).to_have_text("History of the answer")

    for url in (f"/questions/{question_id}/revisions",
                f"/questions/{question_id}/revisions/diff?from=2&to=3",
                f"/questions/{question_id}/revisions/diff?from=1&to=2",
                f"/answers/{answer_id}/revisions", f"/questions/{question_id}"):
        reader.goto(base + url)
        expect(reader.locator("main")).not_to_contain_text(child)
        expect(reader.locator("main")).not_to_contain_text(child.lower())
    reader.goto(f"{base}/questions/{question_id}")
    expect(reader.locator(f"#answer-{answer_id}")).to_contain_text("We also met [redacted]")
    for query in (child.lower(), child[:-1].lower() + "x"):
        search_from_header(reader, base, query)
        expect(reader.get_by_role("status")).to_have_text("0 results")
        expect(reader.locator("p.notice")).to_have_count(0)  # no "did you mean"
        expect(reader.locator("ul.results li.summary")).to_have_count(0)
