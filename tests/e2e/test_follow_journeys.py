"""Browser journeys of follows and mentions, with JavaScript on and off: a member follows a
tag and a question from their pages, another member posts, and the first finds the new
question, the new answer and the mention of their name on /notifications, each linked to the
post."""
import re

from playwright.sync_api import expect

from tests.e2e.browser_support import confirm_guard
from tests.e2e.test_journeys import ask, register, unique


def answer(page, base, question_id, body):
    page.goto(f"{base}/questions/{question_id}")
    page.fill("#body", body)
    page.get_by_role("button", name="Post your answer").click()
    confirm_guard(page)
    expect(page.locator("article.answer").last).to_contain_text(body.split("@")[0][:20])


def test_follow_a_tag_and_a_question_then_hear_of_posts_and_mentions(live_server, new_page):
    base = live_server.url
    poster, follower = new_page(), new_page()
    poster_name, follower_name = unique("post"), unique("fol")
    register(poster, base, poster_name)
    register(follower, base, follower_name)
    tag = unique("night-shelter-")
    first_id = ask(poster, base, f"Which shelters take girls at night? {poster_name}",
                   tags=tag)

    # The follower follows the tag from its page, and the question from its page.
    follower.goto(f"{base}/tags/{tag}")
    follower.get_by_role("button", name="Follow").click()
    expect(follower.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(follower.locator("div.follow")).to_contain_text("1 follower")
    follower.goto(f"{base}/questions/{first_id}")
    follower.get_by_role("button", name="Follow").click()
    expect(follower.get_by_role("button", name="Unfollow")).to_be_visible()
    follower.goto(f"{base}/users/{follower_name}")
    expect(follower.locator("main")).to_contain_text("Tags you follow")
    expect(follower.get_by_role("link", name=tag)).to_be_visible()

    # The other member posts: an answer in the followed thread, one naming the follower,
    # and a new question in the followed tag.
    answer(poster, base, first_id, "Ask the social services' night line, they keep a list "
                                   "of the shelters that are open.")
    answer(poster, base, first_id, f"@{follower_name} you visited them last month: which "
                                   "ones still take girls?")
    mention = poster.get_by_role("link", name=f"@{follower_name}")
    expect(mention).to_have_attribute("href", f"/users/{follower_name}")
    second_title = f"Is there a shelter that takes a mother and her children? {poster_name}"
    second_id = ask(poster, base, second_title, tags=tag)

    # The follower sees the three notifications, each linked to its post.
    follower.goto(f"{base}/notifications")
    main = follower.locator("main")
    expect(main).to_contain_text(second_title)
    hrefs = [follower.locator("main a").nth(i).get_attribute("href")
             for i in range(follower.locator("main a").count())]
    # Each line opens through /notifications/<id>/open (which marks it read): where it leads.
    links = []
    for href in hrefs:
        if href and re.fullmatch(r"/notifications/\d+/open", href):
            opened = follower.request.get(base + href, max_redirects=0)
            links.append(opened.headers.get("location", "").removeprefix(base))
    assert any(re.fullmatch(rf"/questions/{second_id}(/[^#]*)?", href or "") for href in links)
    assert any(re.match(rf"/questions/{first_id}(/[^#]*)?#answer-\d+", href or "")
               for href in links), links
    assert any(re.fullmatch(rf"/questions/{first_id}(/[^#]*)?", href or "") for href in links)
    expect(main).to_contain_text("You were mentioned in")
    follower.goto(f"{base}/notifications")
    follower.locator("main a", has_text="Which shelters take girls at night?").first.click()
    expect(follower.locator("h1")).to_contain_text("Which shelters take girls at night?")
