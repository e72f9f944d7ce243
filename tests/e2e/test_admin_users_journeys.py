"""Browser journeys of /admin/users and of a member's data download, with JavaScript on and
off: an administrator finds a member by searching, makes her an expert (the audit log shows
it), suspends her with a reason (she cannot sign in and reads the reason), lifts the
suspension; the member downloads her data from her profile and finds her question in it as
Markdown."""
import io
import json
import re
import zipfile

from playwright.sync_api import expect

from core.demo import demo_password
from tests.e2e.languages import translate, translate_plural
from tests.e2e.test_account_moderation_journeys import sign_in, signed_in
from tests.e2e.test_journeys import PASSWORD, ask, register, unique

ADMIN = "helene_morel"
ADMIN_LANGUAGE = "fr"  # her profile's choice


def t(msgid, **values):
    """What the administrator's pages say."""
    return translate(ADMIN_LANGUAGE, msgid, **values)


def test_an_admin_finds_a_member_changes_her_role_suspends_and_lifts(live_server, new_page):
    base = live_server.url
    member, name = new_page(), unique("found")
    register(member, base, name)

    admin = new_page()
    sign_in(admin, base, ADMIN, demo_password(ADMIN))
    signed_in(admin)
    # From the moderation page to the list of users; the header links it too.
    admin.goto(base + "/moderation")
    expect(admin.locator("header a[href='/admin/users']")).to_have_count(1)
    admin.locator("main a[href='/admin/users']").click()
    admin.fill("#users-q", name.upper())
    admin.select_option("#users-status", "active")
    admin.locator("main form.filters button").click()
    assert f"q={name.upper()}" in admin.url, admin.url
    rows = admin.locator("ul.accounts li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{name}@example.org")
    expect(rows.first).to_contain_text(t("Member"))
    expect(rows.first).to_contain_text(t("Active account"))
    expect(rows.first).to_contain_text(
        translate_plural(ADMIN_LANGUAGE, "%(num)s question", "%(num)s questions", 0))
    rows.first.locator("a").first.click()
    assert re.search(r"/admin/users/\d+$", admin.url), admin.url
    account_url = admin.url

    # She becomes an expert.
    admin.select_option("#role-role", "expert")
    admin.fill("#role-reason", "Ten years of <street> outreach.")
    admin.get_by_role("button", name=t("Change the role")).click()
    assert admin.url == account_url, admin.url
    expect(admin.locator("main p.meta").first).to_contain_text(t("Expert"))
    admin.goto(base + "/moderation/log")
    entry = admin.locator("ul.audit-log li").filter(
        has=admin.locator(f"a[href='/users/{name}']")).first
    expect(entry).to_contain_text("Ten years of <street> outreach.")

    # Suspended for 7 days with a reason: empty first, refused with the field named.
    admin.goto(account_url)
    admin.get_by_role("button", name=t("Suspend"), exact=True).click()
    expect(admin.locator("#reason-error")).to_have_count(1)
    admin.select_option("#duration", "7d")
    admin.fill("#reason", "Posted a child's <photo> description.")
    admin.get_by_role("button", name=t("Suspend"), exact=True).click()
    assert admin.url == account_url, admin.url
    # The page now offers to lift it.
    expect(admin.locator("#lift-reason")).to_have_count(1)

    # She is signed out, and reads the reason when she signs in.
    member.goto(base + "/auth/profile")
    assert "/auth/login" in member.url, member.url
    sign_in(member, base, name, PASSWORD)
    error = member.locator("main .errors")
    expect(error).to_contain_text("This account is suspended until")
    expect(error).to_contain_text("Posted a child's <photo> description.")

    # The list shows her among the suspended accounts; the suspension is lifted.
    admin.goto(base + f"/admin/users?status=suspended&q={name}")
    expect(admin.locator("ul.accounts li")).to_have_count(1)
    admin.goto(account_url)
    admin.fill("#lift-reason", "Talked it through.")
    admin.get_by_role("button", name=t("Lift the suspension")).click()
    assert admin.url == account_url, admin.url
    expect(admin.locator("#lift-reason")).to_have_count(0)
    sign_in(member, base, name, PASSWORD)
    signed_in(member)


def test_a_member_downloads_her_writing_from_her_profile(live_server, new_page):
    base = live_server.url
    page, name = new_page(), unique("writer")
    register(page, base, name)
    title = f"How do we keep in touch with a girl who moves every night? {name}"
    question_id = ask(page, base, title, tags=f"follow-up {name}")
    page.goto(f"{base}/users/{name}")
    with page.expect_download() as started:
        page.get_by_role("button", name="Download everything I wrote").click()
    download = started.value
    assert re.fullmatch(rf"carnets-{name}-\d{{4}}-\d{{2}}-\d{{2}}\.zip",
                        download.suggested_filename)
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    markdown = [item for item in archive.namelist()
                if item.startswith(f"questions/{question_id}-") and item.endswith(".md")]
    assert len(markdown) == 1, archive.namelist()
    text = archive.read(markdown[0]).decode()
    assert text.startswith(f"# {title}\n")
    assert "A girl of about 12 comes to the drop-in centre" in text
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["username"] == name and "password_hash" not in data["profile"]
    # The page stays usable after the download, and nobody else's profile offers it.
    expect(page.locator("h1")).to_have_text(name)
    page.goto(f"{base}/users/{ADMIN}")
    expect(page.get_by_role("button", name="Download everything I wrote")).to_have_count(0)
