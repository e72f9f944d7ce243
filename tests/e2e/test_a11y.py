"""Accessibility: axe-core run on every page of the journeys, anonymous and signed in (member,
asker of the big question, expert), with forms shown empty and with their errors: no violation
of impact "serious" or "critical".

axe-core is bundled by axe-playwright-python and injected into the page as a script, so it
works offline; the contexts here enable JavaScript for that reason only (the pages never need
it). Violations of impact "minor" and "moderate" are printed for information, not failed on.
"""
import re
import uuid
from collections import Counter
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.servers import flask

BLOCKING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")
# axe's default rules (WCAG 2.0/2.1 A and AA, best practices) plus WCAG 2.2's target size,
# which matters on a phone; only violations are returned.
OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}
PASSWORD = "a11y-check-password"
TAG = "street-outreach"
NOTEBOOK = "children-in-street-situations"
# A question body with what markdown can produce: a link, a table, a code block, a quote.
BODY = """A boy of 14 sleeps at the station and refuses the shelter because he fears being sent
back. How do other teams build enough trust to talk about a safe place? The leaflet we use is at
https://www.example.org/outreach/leaflets/shelter-rules-explained-for-young-people-2024.pdf

| evening | who went | what happened |
|---|---|---|
| Monday | two educators | he took a drink, no talk |
| Thursday | the same two | he asked about the food |

    night round: 21:00-23:30, station, north market

> "I will come if nobody asks for my papers."
"""


@contextmanager
def context_for(browser):
    """One browser profile per role (its own cookies), JavaScript on so that axe can run."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                  extra_http_headers={"Accept-Language": "en"})
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        yield page
    finally:
        context.close()


class Audit:
    """Runs axe on pages and keeps every violation with the page it was found on."""

    def __init__(self, base):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.base = base
        self.pages = []
        self.violations = []  # (page label, url, violation dict)

    def check(self, page, label):
        results = self.axe.run(page, options=OPTIONS)
        self.pages.append((label, page.url))
        for violation in results.response["violations"]:
            self.violations.append((label, page.url, violation))

    def visit(self, page, path, label, status=200):
        response = page.goto(self.base + path)
        assert response.status == status, f"{label}: {path} answered {response.status}"
        self.check(page, label)

    def blocking(self):
        return [entry for entry in self.violations if entry[2]["impact"] in BLOCKING]

    def report(self, entries):
        lines = []
        for label, url, violation in entries:
            targets = "; ".join(", ".join(node["target"]) if isinstance(node["target"], list)
                                else str(node["target"]) for node in violation["nodes"][:5])
            more = len(violation["nodes"]) - 5
            lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}\n"
                         f"    page: {label} ({url})\n"
                         f"    nodes: {targets}{f' (+{more} more)' if more > 0 else ''}\n"
                         f"    see {violation['helpUrl']}")
        return "\n".join(lines)

    def summary(self):
        by_impact = Counter(violation["impact"] for _, _, violation in self.violations)
        rules = Counter(f"{violation['id']} ({violation['impact']})"
                        for _, _, violation in self.violations)
        lines = [f"axe-core: {len(self.pages)} pages checked; violations by impact: "
                 + ", ".join(f"{impact} {by_impact.get(impact, 0)}" for impact in IMPACTS)]
        for rule, count in sorted(rules.items()):
            lines.append(f"  {rule}: on {count} page(s)")
        return "\n".join(lines)


def sign_in(page, base, username, password):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    # The sign-out form, whatever the language the account chose (the demo expert's is French).
    expect(page.locator("nav.account form[action='/auth/logout']")).to_have_count(1)


def question_id_of(page):
    return int(re.search(r"/questions/(\d+)", page.url).group(1))


def test_axe_finds_no_serious_or_critical_violation(browser, live_server, capsys):
    base = live_server.url
    big = live_server.seed["big_question"]
    audit = Audit(base)

    # --- Anonymous reader ---------------------------------------------------------------------
    with context_for(browser) as page:
        audit.visit(page, "/", "home (anonymous)")
        audit.visit(page, "/questions", "question list")
        audit.visit(page, "/questions?sort=votes", "question list sorted by votes")
        audit.visit(page, f"/questions?tag={TAG}&lang=en", "question list filtered by tag")
        audit.visit(page, "/questions?page=2", "question list, page 2")
        expect(page.locator(".pager")).to_contain_text("Page 2")
        audit.visit(page, f"/questions/{big}", "big question (anonymous)")
        audit.visit(page, f"/questions/{big}/revisions", "history (anonymous)")
        audit.visit(page, "/tags", "tag index")
        audit.visit(page, "/tags?sort=name", "tag index by name")
        audit.visit(page, f"/tags/{TAG}", "tag page")
        audit.visit(page, "/users/peer01", "user page")
        audit.visit(page, "/users/helene_morel", "user page (demo admin)")
        audit.visit(page, "/kb", "notebooks")
        audit.visit(page, f"/kb/notebooks/{NOTEBOOK}", "notebook")
        audit.visit(page, f"/kb/notebooks/{NOTEBOOK}/modules/1", "module")
        audit.visit(page, "/no/such/page", "404 page", status=404)
        audit.visit(page, "/questions/99999999", "404 question", status=404)
        audit.visit(page, "/auth/login", "sign in")
        page.fill("#username", "peer01")
        page.fill("#password", "not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("main")).to_contain_text("wrong password")
        audit.check(page, "sign in with an error")
        audit.visit(page, "/auth/forgot", "forgot your password")
        audit.visit(page, "/auth/forgot/sent", "forgot: look in your mailbox")
        audit.visit(page, "/auth/reset/no-such-token", "expired reset link", status=404)
        audit.visit(page, "/auth/register", "register")
        page.fill("#username", "x")
        page.fill("#email", "not-an-address")
        page.fill("#password", "short")
        page.fill("#confirm", "different")
        page.get_by_role("button", name="Create the account").click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "register with errors")

    # --- A new member: asks, answers, edits, comments, deletes ------------------------------------
    with context_for(browser) as page:
        name = f"a11y{uuid.uuid4().hex[:8]}"
        page.goto(base + "/auth/register")
        page.fill("#username", name)
        page.fill("#email", f"{name}@example.org")
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.get_by_role("button", name="Create the account").click()
        expect(page.locator("nav.account")).to_contain_text(name)
        audit.check(page, "home (signed in, after a flash message)")
        audit.visit(page, "/questions", "question list (signed in)")
        audit.visit(page, f"/questions/{big}", "big question (member: votes, comment forms)")
        page.locator("article.answer details.add-comment summary").first.click()
        audit.check(page, "big question with a comment form open")
        flagged = page.locator("article.answer").first.get_attribute("id").split("-")[1]
        audit.visit(page, f"/answers/{flagged}/flag", "flag an answer")
        page.get_by_role("button", name="Send to the moderators").click()
        expect(page.locator("#reason-error")).to_be_visible()
        audit.check(page, "flag form with an error")
        page.get_by_role("radio", name="Spam").check()
        page.get_by_role("button", name="Send to the moderators").click()
        expect(page.locator("main")).to_contain_text("the moderators will look at it")
        comment_id = page.locator("article.answer ul.comments > li").first.get_attribute("id")
        audit.visit(page, f"/comments/{comment_id.split('-')[1]}/reply", "reply to a comment")
        page.get_by_role("button", name="Add comment").click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "reply with an error")

        audit.visit(page, "/questions/ask", "ask (empty)")
        page.get_by_role("button", name="Post your question").click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "ask with errors")
        page.fill("#title", f"How do we earn the trust of a boy who refuses the shelter? {name}")
        page.fill("#body", BODY)
        page.fill("#tags", f"trust {TAG}")
        page.select_option("#lang", "en")
        page.get_by_role("button", name="Post your question").click()
        # The seeded threads about trust are listed before the question is posted.
        expect(page.locator("section.similar")).to_be_visible()
        audit.check(page, "ask: similar discussions before posting")
        page.get_by_role("button", name="Post my question anyway").click()
        expect(page.locator("article.question h1")).to_contain_text(name)
        question_id = question_id_of(page)
        audit.check(page, "own question (no answer yet)")

        page.locator("article.question details.add-comment summary").click()
        page.fill(f"#comment-question-{question_id}", "Does he have a phone we could call?")
        page.locator("article.question details.add-comment button").click()
        expect(page.locator("article.question ul.comments")).to_contain_text("a phone")
        page.get_by_role("button", name="Post your answer").click()
        expect(page.locator("#body-error")).to_be_visible()
        audit.check(page, "answer form with an error")
        page.fill("#body", "We met him with the same two educators every evening for two weeks "
                           "before even mentioning the shelter.")
        page.get_by_role("button", name="Post your answer").click()
        expect(page.locator("article.answer")).to_have_count(1)
        answer_id = int(page.locator("article.answer").first.get_attribute("id").split("-")[1])
        audit.check(page, "own question with an answer and a comment")

        audit.visit(page, f"/answers/{answer_id}/edit", "answer edit")
        page.fill("#body", "")
        page.get_by_role("button", name="Save the edit").click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "answer edit with an error")
        audit.visit(page, f"/questions/{question_id}/edit", "question edit")
        page.fill("#body", BODY + " He is 14 and speaks some French.")
        page.fill("#summary", "age and language")
        page.get_by_role("button", name="Save the edit").click()
        expect(page.locator("article.question .body").first).to_contain_text("speaks some French")
        audit.check(page, "edited question")
        audit.visit(page, f"/questions/{question_id}/revisions", "question history")
        page.locator("ol.revisions details summary").first.click()
        audit.check(page, "question history with a revision open")
        audit.visit(page, f"/questions/{question_id}/revisions/diff?from=1&to=2", "diff")
        audit.visit(page, f"/answers/{answer_id}/revisions", "answer history")

        # The confidentiality guard's warning: the form again, the matches highlighted.
        audit.visit(page, "/questions/ask", "ask (a child's details)")
        page.fill("#title", f"How do we help a boy who sleeps at the market? {name}")
        page.fill("#body", "Moussa Diallo, 12 years old, sleeps behind the central market. "
                           "His uncle answers on 06 12 34 56 78.")
        page.fill("#tags", "trust")
        page.get_by_role("button", name="Post your question").click()
        if page.get_by_role("button", name="Post my question anyway").count():
            page.get_by_role("button", name="Post my question anyway").click()
        expect(page.locator("section.guard mark").first).to_be_visible()
        audit.check(page, "ask: the confidentiality guard's warning")

        audit.visit(page, "/questions/ask", "ask (second question)")
        page.fill("#title", f"A question its author deletes {name}")
        page.fill("#body", BODY)
        page.fill("#tags", "trust")
        page.get_by_role("button", name="Post your question").click()
        if page.get_by_role("button", name="Post my question anyway").count():
            page.get_by_role("button", name="Post my question anyway").click()
        page.locator("article.question").get_by_role("button", name="Delete", exact=True).click()
        expect(page.locator("article.question .notice")).to_contain_text("deleted")
        audit.check(page, "deleted question seen by its author")

        audit.visit(page, f"/users/{name}", "own user page (with a deleted question)")
        audit.visit(page, f"/tags/{TAG}", "tag page (signed in)")
        audit.visit(page, "/auth/profile", "profile edit")
        page.fill("#current_password", "not the password")
        page.fill("#password", "short")
        page.fill("#confirm", "other")
        page.get_by_role("button", name="Change the password").click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "password change with errors")
        audit.visit(page, "/questions/99999999/edit", "404 (signed in)", status=404)

    # --- The asker of the big question: accept / withdraw buttons --------------------------------
    with context_for(browser) as page:
        sign_in(page, base, "peer01", "peer-password")
        audit.visit(page, f"/questions/{big}", "big question (its asker: accept buttons)")
        expect(page.locator("button.accept").first).to_be_visible()

    # --- A moderator: the queue of flagged posts (the member above flagged an answer) ------------
    with context_for(browser) as page:
        name = f"a11ymod{uuid.uuid4().hex[:8]}"
        flask(live_server.env, "create-user", name, "--email", f"{name}@example.org",
              "--password", PASSWORD, "--role", "moderator")
        sign_in(page, base, name, PASSWORD)
        audit.visit(page, "/moderation", "moderation queue with flags")
        expect(page.locator("li.flag-group").first).to_be_visible()

    # --- An expert: tag description editing -------------------------------------------------------
    with context_for(browser) as page:
        sign_in(page, base, "fara_rasoanaivo", "demo-fara_rasoanaivo-2026")
        audit.visit(page, f"/tags/{TAG}/edit", "tag description edit (expert)")
        audit.visit(page, "/kb/curation", "curation dashboard")
        promote = page.locator("a[href^='/kb/promote/']").first.get_attribute("href")
        audit.visit(page, promote, "promote a thread")
        audit.visit(page, "/kb/articles/new", "new article")
        page.locator("main form button").click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "new article with errors")
        audit.visit(page, "/kb", "knowledge base (expert)")
        article = page.locator("main ul.articles a").first.get_attribute("href")
        audit.visit(page, article, "published article (expert: curation buttons)")
        audit.visit(page, article + "/edit", "article edit")
        audit.visit(page, article + "/revisions", "article history")
        audit.visit(page, article + "/print", "article print view")
        audit.visit(page, f"/kb/notebooks/{NOTEBOOK}/modules/1/print", "module print view")
        audit.visit(page, f"/kb/notebooks/{NOTEBOOK}/modules/1/edit", "module edit")
        audit.visit(page, "/notifications", "notifications")
        audit.visit(page, "/notifications/settings", "notification settings")

    # --- A moderator: the thread moderation pages and a closed, locked question -----------------
    with context_for(browser) as page:
        name = f"a11ymod{uuid.uuid4().hex[:8]}"
        flask(live_server.env, "create-user", name, "--email", f"{name}@example.org",
              "--password", PASSWORD, "--role", "moderator")
        sign_in(page, base, name, PASSWORD)
        page.goto(base + "/questions/ask")
        page.fill("#title", f"A thread a moderator closes and locks {name}")
        page.fill("#body", BODY)
        page.fill("#tags", "trust")
        page.select_option("#lang", "en")
        page.get_by_role("button", name="Post your question").click()
        if page.get_by_role("button", name="Post my question anyway").count():
            page.get_by_role("button", name="Post my question anyway").click()
        closed = question_id_of(page)
        audit.visit(page, f"/questions/{closed}/moderate/close", "close a question")
        page.get_by_role("button", name="Close this question").click()
        expect(page.locator("#reason-error")).to_be_visible()
        audit.check(page, "close a question with an error")
        page.locator("input[value=off_topic]").check()
        page.get_by_role("button", name="Close this question").click()
        expect(page.locator("#thread-closed")).to_be_visible()
        audit.check(page, "closed question (moderator)")
        audit.visit(page, f"/questions/{closed}/moderate/duplicate", "mark as duplicate")
        page.fill("#original", "abc")
        page.get_by_role("button", name="Mark this question as a duplicate").click()
        expect(page.locator("#original-error")).to_be_visible()
        audit.check(page, "mark as duplicate with an error")
        audit.visit(page, f"/questions/{closed}/moderate/lock", "lock a thread")
        page.fill("#reason", "Checked by the team")
        page.get_by_role("button", name="Lock this thread").click()
        expect(page.locator("#thread-locked")).to_be_visible()
        audit.visit(page, f"/questions/{closed}/moderate/close", "reopen a question")
    with context_for(browser) as page:
        audit.visit(page, f"/questions/{closed}", "closed and locked question (anonymous)")
    # --- The demo administrator: account moderation and the audit log -----------------------------
    # Forms shown empty and with their errors only: nothing here changes an account that other
    # checks read.
    with context_for(browser) as page:
        sign_in(page, base, "helene_morel", "demo-helene_morel-2026")
        audit.visit(page, "/users/peer20", "user page (admin: moderation and role forms)")
        audit.visit(page, "/moderation/users/peer20/suspend", "suspend a member")
        page.locator("main form button").last.click()
        expect(page.locator("ul.errors").first).to_be_visible()
        audit.check(page, "suspend a member, with errors")
        audit.visit(page, "/moderation/users/peer20/warn", "warn a member")
        audit.visit(page, "/moderation/users/peer20/role", "change a role")
        audit.visit(page, "/moderation", "moderation (admin)")
        audit.visit(page, "/moderation/log", "audit log")
        audit.visit(page, "/moderation/log?action=role_change&actor=nobody", "audit log, filtered")
        audit.visit(page, "/admin/users", "users (admin)")
        audit.visit(page, "/admin/users?q=peer2&status=active", "users, searched and filtered")
        account = page.locator("ul.accounts li a").first.get_attribute("href")
        audit.visit(page, account, "an account's page (admin)")
        page.locator("form[action$='/suspend'] button").click()
        expect(page.locator("#reason-error")).to_be_visible()
        audit.check(page, "an account's page, suspension refused")
    # --- Safeguarding: a member's alert form, then the demo lead's /moderation and alert page ---
    with context_for(browser) as page:
        sign_in(page, base, "peer02", "peer-password")
        page.goto(f"{base}/questions/{big}")
        form = page.locator("article.answer .actions a.alert-link").first.get_attribute("href")
        audit.visit(page, form, "safeguarding alert form")
        page.fill("#note", "He told us tonight that a man at the garage threatens him.")
        page.locator("main form button").click()
        expect(page.locator("main .flash")).to_be_visible()
    with context_for(browser) as page:
        sign_in(page, base, "grace_mukendi", "demo-grace_mukendi-2026")
        audit.visit(page, "/moderation", "moderation (safeguarding lead, open alerts)")
        alert = page.locator("article.alert h3 a").first.get_attribute("href")
        audit.visit(page, alert, "safeguarding alert (lead)")
        page.locator("form[action$='/close'] button").click()
        expect(page.locator("#action_taken-error")).to_be_visible()
        audit.check(page, "closing an alert without saying what was done")
    # --- A moderator: the redaction page, and its forms with errors ------------------------------
    with context_for(browser) as page:
        moderator = f"a11ymod{uuid.uuid4().hex[:8]}"
        flask(live_server.env, "create-user", moderator, "--email", f"{moderator}@example.org",
              "--password", PASSWORD, "--role", "moderator")
        sign_in(page, base, moderator, PASSWORD)
        audit.visit(page, f"/questions/{question_id}/revisions", "question history (moderator)")
        audit.visit(page, f"/questions/{question_id}/redact?revision=1", "redaction page")
        page.get_by_role("button", name="Redact this passage").click()
        expect(page.locator("#redact-passage-error")).to_be_visible()
        audit.check(page, "redaction page with errors")

    with capsys.disabled():
        print("\n" + audit.summary())
    blocking = audit.blocking()
    assert not blocking, (f"{len(blocking)} serious or critical accessibility violation(s):\n"
                          + audit.report(blocking))
