"""Browser journey of mail, with JavaScript on and off: Bob answers Alice's question in the
browser, `flask mail send` (run as cron would, on the server's database) hands Alice's mail to
a real SMTP server, Alice reads the notification on the site, then follows the mail's
unsubscribe link and stops these e-mails in one click: Bob's next answer sends her none."""
from playwright.sync_api import expect

from tests.e2e.browser_support import confirm_guard
from tests.e2e.test_journeys import ask, register, unique
from tests.servers import flask

ANSWER = ("Sit at her level, offer a drink and talk about something else first. "
          "Let her choose when to talk about herself.")


def answer(page, base, question_id, body=ANSWER):
    page.goto(f"{base}/questions/{question_id}")
    page.fill("#body", body)
    page.get_by_role("button", name="Post your answer").click()
    confirm_guard(page)
    expect(page.locator("article.answer").last).to_contain_text(body[:40])


def send_mail(live_server, smtp_server):
    """`flask mail send` against the server's database, through the SMTP server."""
    env = {**live_server.env, **smtp_server.env(), "CARNETS_BASE_URL": live_server.url}
    result = flask(env, "mail", "send")
    assert result.stdout.startswith("sent "), result.stdout + result.stderr
    return result.stdout


def test_alice_hears_of_bobs_answer_by_mail_and_unsubscribes_in_one_click(
        live_server, smtp_server, new_page):
    base = live_server.url
    alice, bob = new_page(), new_page()
    alice_name, bob_name = unique("alice"), unique("bob")
    register(alice, base, alice_name)
    register(bob, base, bob_name)
    title = f"How do we keep in touch with a boy who moves every week? {alice_name}"
    question_id = ask(alice, base, title, tags=f"follow-up {alice_name}")
    answer(bob, base, question_id)

    smtp_server.clear()
    send_mail(live_server, smtp_server)
    address = f"{alice_name}@example.org"
    [mail] = smtp_server.to(address)
    assert title in mail["Subject"] and mail["Subject"].startswith("New answer to your question")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        assert title in part and bob_name in part and f"{base}/questions/{question_id}#answer-" in part
        assert "offer a drink" not in part  # the answer's words stay on the site
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith(base + "/mail/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The same news waits on the site.
    alice.goto(base + "/notifications")
    notice = alice.locator("ul.notifications li").first
    expect(notice).to_contain_text("New answer to your question:")
    expect(notice).to_contain_text(title)
    notice.locator("a").click()
    expect(alice.locator("h1")).to_have_text(title)

    # The mail's link, opened on the phone where she reads her mail (no session there).
    phone = new_page()
    phone.goto(link)
    expect(phone.locator("main")).to_contain_text("Answers to my questions")
    phone.get_by_role("button", name="Stop these e-mails").click()
    expect(phone.locator("main [role=status]")).to_contain_text(
        "will no longer receive e-mails about")

    # Bob answers again: the notification is on the site, and no mail leaves for Alice.
    answer(bob, base, question_id, ANSWER.replace("a drink", "some tea"))
    smtp_server.clear()
    send_mail(live_server, smtp_server)
    assert smtp_server.to(address) == []
    alice.goto(base + "/notifications")
    expect(alice.locator("ul.notifications li")).to_have_count(2)
