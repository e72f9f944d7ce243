"""End-to-end fixtures: a seeded gunicorn server and Debian's Chromium driven by Playwright.

The browser tests are skipped with a visible reason where no Chromium is installed, and fail
instead when CARNETS_REQUIRE_BROWSER=1 (as CI sets it).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.languages import new_context
from tests.servers import ROOT, Server, flask, server_env

CHROMIUM = os.environ.get("CARNETS_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("CARNETS_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(os.environ.get("CARNETS_SCREENSHOTS", ROOT / "tests" / "e2e" / "screenshots"))
# Flags for a closed network: no background connections, no component updates.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def chromium_or_skip():
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if REQUIRE_BROWSER:
        pytest.fail(f"CARNETS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    pytest.skip(f"No browser: {CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A gunicorn server on a fresh, migrated and seeded SQLite database."""
    chromium_or_skip()
    folder = tmp_path_factory.mktemp("e2e-instance")
    env = server_env(folder)
    flask(env, "db", "upgrade")
    seeded = subprocess.run([sys.executable, "-m", "tests.e2e.seed"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True, timeout=600)
    server = Server(env, workers=2, log=folder / "server.log")
    server.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    server.folder = folder
    server.env = env  # for `flask` commands on the server's database (create-user…)
    yield server
    server.stop()


@pytest.fixture(params=["js", "nojs"])
def js(request):
    """Every journey runs twice: with JavaScript and without it."""
    return request.param == "js"


@pytest.fixture
def phone_page(browser):
    """phone_page(language, js=True, width=360, height=740): a page in a fresh browser profile
    (its own cookies) of a phone set to `language`; closed after the test."""
    contexts = []

    def factory(language="en", js=True, width=360, height=740):
        context = new_context(browser, js, width, height, language)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(phone_page, js):
    """Open a fresh browser profile (its own cookies): new_page(width=390, language="fr")."""

    def factory(width=390, height=844, language="en"):
        return phone_page(language, js, width, height)

    return factory


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
