"""Browser journeys of the knowledge base, with JavaScript on and off: an expert promotes an
accepted answer into an article linked to a module, a second expert publishes it, a reader finds
it from the module page and from search; the offline bundle opened with the network cut."""
import io
import re
import urllib.request
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from core.demo import demo_password

CURATOR, REVIEWER = "fara_rasoanaivo", "giulia_ferraro"
NOTEBOOK = "children-in-street-situations"


def sign_in(page, base, username):
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", demo_password(username))
    page.locator("main form button").click()
    expect(page.locator("nav.account")).to_contain_text(re.compile(r"\w"))
    assert "/auth/login" not in page.url


def test_from_an_accepted_answer_to_a_published_article_found_by_readers(live_server,
                                                                           new_page):
    base = live_server.url
    curator = new_page()
    sign_in(curator, base, CURATOR)
    curator.goto(base + "/kb/curation")
    curator.locator("a[href^='/kb/promote/']").first.click()
    # The accepted answer is preselected; the draft starts from the thread.
    expect(curator.locator("input[name=answers]:checked")).to_have_count(1)
    curator.locator("main form button").click()
    assert re.search(r"/kb/articles/[^/]+/edit$", curator.url), curator.url
    slug = curator.url.split("/")[-2]
    title = f"Good practice {slug[:20]} from the field"
    curator.fill("#title", title)
    curator.fill("#summary", "What the thread taught us, in two sentences.")
    curator.fill("#countries", "CM CD")
    # The draft leaves its "Good practice" section empty: publishing waits until it is written.
    curator.fill("#body", curator.input_value("#body") + "\n\nCome back at the same hour.")
    # A module of a notebook in the article's language (listed first, not folded away).
    module = curator.locator("#modules > fieldset input[name=modules]").first
    module_id = module.get_attribute("value")
    module.check()
    curator.locator("main form button").click()
    expect(curator.locator("h1")).to_contain_text(title)
    curator.locator("form[action$='/submit'] button").click()
    expect(curator.locator("form[action$='/approve']")).to_have_count(0)

    reviewer = new_page()
    sign_in(reviewer, base, REVIEWER)
    reviewer.goto(f"{base}/kb/articles/{slug}")
    reviewer.locator("form[action$='/approve'] button").click()
    expect(reviewer.locator("form[action$='/obsolete']")).to_have_count(1)

    reader = new_page()
    reader.goto(f"{base}/kb/articles/{slug}")
    expect(reader.locator("h1")).to_contain_text(title)
    expect(reader.locator("main")).to_contain_text("Cameroon")
    # From the module page the article links to...
    reader.locator(f"main a[href*='/kb/notebooks/'][href*='/modules/']").first.click()
    expect(reader.locator(f"a[href='/kb/articles/{slug}']")).to_have_count(1)
    # ...and from search, with the article filter and the module filter.
    for query in (f"{title} is:article", f"module:{module_id}"):
        reader.goto(f"{base}/search?q={urllib.request.quote(query)}")
        expect(reader.locator(f"a[href='/kb/articles/{slug}']").first).to_be_visible()
    # The thread says where it went.
    reader.goto(f"{base}/kb/articles/{slug}")
    reader.locator("main p.meta a[href^='/questions/']").click()
    expect(reader.locator("p.promoted")).to_contain_text(title)


def test_offline_bundle_works_with_the_network_cut(live_server, browser, js, tmp_path):
    with urllib.request.urlopen(f"{live_server.url}/kb/notebooks/{NOTEBOOK}/offline.zip") as r:
        data = r.read()
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    folder = tmp_path / NOTEBOOK
    pages = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    assert "index.html" in pages and any(p.startswith("articles/") for p in pages)

    context = browser.new_context(java_script_enabled=js, offline=True)
    leaving = []

    def guard(route):
        if not route.request.url.startswith("file://"):
            leaving.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    loaded = []
    page.on("requestfailed", lambda request: leaving.append(request.url)
            if not request.url.startswith("file://") else loaded.append(("failed", request.url)))
    visited, queue = set(), ["index.html"]
    while queue:
        name = queue.pop()
        if name in visited:
            continue
        visited.add(name)
        response = page.goto((folder / name).as_uri())
        assert response is None or response.ok, name
        expect(page.locator("h1")).not_to_be_empty()
        # The stylesheet applies: the page is laid out by it, not the browser's defaults.
        assert page.evaluate("document.styleSheets.length") == 1, name
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith("file://"):
                target = Path(urllib.request.url2pathname(href.split("#")[0][len("file://"):]))
                assert target.exists(), (name, href)
                queue.append(target.relative_to(folder).as_posix())
    context.close()
    assert visited == set(pages)
    assert leaving == [] and loaded == []
