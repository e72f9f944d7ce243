"""Browser benchmark: page weight and DOMContentLoaded in Chromium on slow 3G (DESIGN §9).

Usage (from the project folder):

    .venv/bin/python bench/browser.py            # 3 runs of each page, medians printed
    .venv/bin/python bench/browser.py --runs 5

What it does:

1. Creates a fresh SQLite database in a temporary folder, migrates it (`flask db upgrade`) and
   seeds it with `python -m tests.e2e.seed`: the demo content plus a question with 20 answers
   and 40 comments (the page of DESIGN §9's budgets). Starts gunicorn (2 workers) on it.
2. Opens each page in Debian's Chromium (headless, driven by Playwright; CARNETS_CHROMIUM
   names another binary) with a 360×740 viewport and Accept-Language: fr, on DevTools'
   emulated slow 3G link (400 ms latency, 400 kbit/s = 50,000 bytes/s each way):
   - cold: a new profile with the cache disabled, as a first visit;
   - warm: the same page read after another page of the site, with the cache enabled (the
     stylesheet is fingerprinted and cached for a year; pages are revalidated every time).
   Pages: home, question list, the question with 20 answers, tags and search (`/search?q=`,
   reported as "not built yet" while it answers 404).
3. Prints, per page and load: requests that went over the link, bytes transferred (compressed
   bodies plus headers, as DevTools counts them), uncompressed bytes of the HTML and CSS,
   DOMContentLoaded and load times (medians of the runs; bytes and requests are the largest
   seen), and each first visit against the budgets: ≤ 20 KB, ≤ 2 requests, DOMContentLoaded
   ≤ 1.5 s.

DevTools' throttling delays every request by the latency and caps the throughput; it does not
model TCP handshakes or packet loss, so a real slow 3G phone sees a little more. The test
tests/e2e/test_weight.py enforces the size and request budgets; this script prints figures
and always exits 0: it is a measuring tool, not a test.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script, whatever the current folder

from tests.e2e import browser_support as weight  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import Server, flask, server_env  # noqa: E402

WORKERS = 2
HEADER = (f"{'page':44} {'load':5} {'requests':>8} {'transferred':>11} {'uncompressed':>12} "
          f"{'DCL ms':>7} {'load ms':>8}  budgets (≤ {weight.BUDGET_BYTES:,} B, "
          f"≤ {weight.BUDGET_REQUESTS} requests, DCL ≤ {weight.BUDGET_DCL_MS} ms)")


def prepare(folder):
    """Migrate and seed a fresh database in `folder`; returns (env, seed output)."""
    env = server_env(folder)
    flask(env, "db", "upgrade")
    seeded = subprocess.run([sys.executable, "-m", "tests.e2e.seed"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True, timeout=600)
    return env, json.loads(seeded.stdout.strip().splitlines()[-1])


def repeat(runs, measure):
    """Run `measure` `runs` times: the largest bytes and requests, the median timings."""
    loads = [measure() for _ in range(runs)]
    return {"requests": max(load.requests for load in loads),
            "wire": max(load.wire_bytes for load in loads),
            "body": max(load.body_bytes for load in loads),
            "dcl": statistics.median(load.dom_content_loaded_ms for load in loads),
            "load": statistics.median(load.load_ms for load in loads),
            "scripts": sorted({url for load in loads for url in load.scripts})}


def verdict(figures):
    """PASS/FAIL of a first visit against each budget of DESIGN §9."""
    def mark(ok):
        return "PASS" if ok else "FAIL"
    return (f"bytes {mark(figures['wire'] <= weight.BUDGET_BYTES)}, "
            f"requests {mark(figures['requests'] <= weight.BUDGET_REQUESTS)}, "
            f"DCL {mark(figures['dcl'] <= weight.BUDGET_DCL_MS)}, "
            f"no script {mark(not figures['scripts'])}")


def row(label, kind, figures, budgets=""):
    return (f"{label:44} {kind:5} {figures['requests']:8} {figures['wire']:11,} "
            f"{figures['body']:12,} {figures['dcl']:7.0f} {figures['load']:8.0f}  {budgets}")


def warm_up(base, page_list):
    """One plain request per page, so that the first measure does not pay for the workers'
    first template compilation."""
    for _ in range(WORKERS * 2):
        for page in page_list:
            weight.status_of(base + page.path)


def bench(browser, server, seed, runs):
    page_list = weight.pages(seed)
    warm_up(server.url, page_list)
    print(HEADER)
    for page in page_list:
        url = server.url + page.path
        status = weight.status_of(url)
        if status != 200:
            print(f"{page.label:44} {page.path}: status {status}, not measured", flush=True)
            continue
        cold = repeat(runs, lambda: weight.cold(browser, url))
        print(row(page.label, "cold", cold, verdict(cold)), flush=True)
        first = server.url + weight.first_page(page)
        warm = repeat(runs, lambda: weight.warm(browser, url, first))
        print(row("", "warm", warm, f"after {weight.first_page(page)}"), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="loads of each page and kind")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"No browser: {CHROMIUM} is missing (apt-get install chromium); nothing measured.")
        return 0
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="carnets-browser-"))
    server = None
    try:
        print("Preparing a migrated and seeded SQLite database…", flush=True)
        env, seed = prepare(folder)
        server = Server(env, workers=WORKERS, log=folder / "server.log")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                print(f"Chromium {browser.version}, headless; viewport 360×740, "
                      "Accept-Language: fr; slow 3G: 400 ms latency, 50,000 bytes/s each way")
                print(f"Server: gunicorn, {WORKERS} workers, SQLite; {args.runs} runs per "
                      "figure (timings: median; bytes and requests: largest)")
                print()
                bench(browser, server, seed, max(1, args.runs))
            finally:
                browser.close()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
