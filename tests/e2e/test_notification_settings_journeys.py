"""Browser journey of the notification settings (issue 16, item 3), with JavaScript on and
off: a member chooses the daily digest for answers to her questions on the settings page,
answers arrive, no mail leaves at once, `flask mail digest --period daily` queues one digest,
and opening the grouped notification empties the header's count."""
import json
import re
import sqlite3

from playwright.sync_api import expect

from tests.e2e.test_journeys import ask, register, unique
from tests.servers import flask


def _rows(live_server, sql, *args):
    """Rows of the server's own database (the SQLite file in its instance folder)."""
    connection = sqlite3.connect(live_server.folder / "carnets.sqlite", timeout=30)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def test_a_member_chooses_the_daily_digest_and_opens_the_grouped_answers(live_server,
                                                                           new_page):
    base = live_server.url
    asker, name = new_page(width=360, height=740), unique("digest")
    register(asker, base, name)

    # From her notifications, to the settings: answers to her questions by a daily e-mail.
    asker.goto(base + "/notifications")
    asker.get_by_role("link", name="Choose how you hear of each kind of news").click()
    group = asker.get_by_role("group", name="Answers to my questions")
    expect(group.get_by_label("By e-mail at once")).to_be_checked()  # the default
    group.get_by_label("In a daily e-mail").check()
    asker.get_by_role("button", name="Save").click()
    expect(asker.locator("main .flash")).to_contain_text("Your notification settings are saved.")
    expect(asker.get_by_role("group", name="Answers to my questions")
           .get_by_label("In a daily e-mail")).to_be_checked()
    # The page fits a 360 px phone: nothing wider than the screen.
    assert asker.evaluate("document.documentElement.scrollWidth") <= 360

    title = f"How do we keep in touch with a boy who sleeps at the market? {name}"
    question_id = ask(asker, base, title, tags=f"first-contact {name}")
    answer_ids = []
    for text in ("Agree on a place and an hour to meet again, and keep to it.",
                 "Leave him the centre's card and say who will be there tomorrow."):
        helper = new_page()
        register(helper, base, unique("helper"))
        helper.goto(f"{base}/questions/{question_id}")
        helper.fill("#body", text)
        helper.get_by_role("button", name="Post your answer").click()
        expect(helper.locator("article.answer", has_text=text)).to_have_count(1)
        answer_ids.append(int(helper.locator("article.answer", has_text=text)
                              .get_attribute("id").split("-")[1]))

    [(user_id,)] = _rows(live_server, "SELECT id FROM user WHERE username = ?", name)
    assert _rows(live_server, "SELECT id FROM outbox_message WHERE recipient_id = ?",
                 user_id) == []  # no mail at once

    result = flask(live_server.env, "mail", "digest", "--period", "daily")
    assert re.match(r"Queued [1-9]\d* daily digest\(s\)\.", result.stdout.strip()), result
    [(category, payload)] = _rows(
        live_server, "SELECT category, payload FROM outbox_message WHERE recipient_id = ?",
        user_id)
    assert category == "digest" and len(json.loads(payload)["ids"]) == 2
    result = flask(live_server.env, "mail", "digest", "--period", "daily")
    assert len(_rows(live_server, "SELECT id FROM outbox_message WHERE recipient_id = ?",
                     user_id)) == 1  # a second run queues nothing more for her

    # One line for both answers; opening it goes to the newest and empties the count.
    asker.goto(base + "/")
    header = asker.locator("header a[href='/notifications']")
    expect(header).to_have_text("1 notification")
    asker.goto(base + "/notifications")
    line = asker.locator("ul.notifications li", has_text=title)
    expect(line).to_have_count(1)
    expect(line).to_contain_text("2 new answers on")
    line.get_by_role("link").click()
    assert asker.url.endswith(f"/questions/{question_id}#answer-{answer_ids[-1]}"), asker.url
    expect(asker.locator("header a[href='/notifications']")).to_have_text("Notifications")
