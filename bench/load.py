"""Throughput benchmark: requests per second of the question page under gunicorn (DESIGN §9).

Usage (from the project folder):

    .venv/bin/python bench/load.py              # wrk when installed, else the Python client
    .venv/bin/python bench/load.py --python     # force the Python client
    .venv/bin/python bench/load.py --duration 5 # shorter runs

What it does:

1. Creates a fresh SQLite database in a temporary folder, migrates it (`flask db upgrade`) and
   seeds it with `python -m tests.e2e.seed`: the demo content plus a question with 20 answers
   and 40 comments (the page of DESIGN §9's budgets). Adds a plain member with `create-user`.
2. Starts gunicorn with 2 sync workers on a free port of 127.0.0.1 (as the FlaskBB and Askbot
   figures of DESIGN §9 were measured).
3. Measures, one after the other in the same run, the requests per second of the stylesheet
   (a static file: the unit of the ratios below), of /healthz (no database, no template), of
   the question page for an anonymous reader (served from the page cache), of the same page
   for an anonymous reader the page cache does not serve (a session cookie that names no
   session, as a visitor whose session ended sends: every request is rendered) and of the
   same page for a signed-in member (with the session cookie of a real sign-in). Requests carry a browser's Accept-Encoding and Accept-Language, so the page is
   rendered in French and compressed, as in production.
   With `wrk` on the PATH: `wrk -t2 -c8 -d10s`. Without it: 8 Python threads, each keeping
   its connection open where the server allows it (gunicorn's sync workers close it after
   every response, so each thread reconnects), for 10 s. The client used is printed; the
   Python client costs CPU of its own, so its figures are lower than wrk's on a small machine.
4. Prints each figure, its ratio to the static file, the member's page against its target
   (ratio ≥ 0.085, issue 17: five times FlaskBB's anonymous heavy page, 0.017), the size on
   the wire of the member's page and of the stylesheet (target: 20 KB together), and the
   anonymous page against its own target (five times FlaskBB 2.2's 36.9 requests/s).

Client and server share the machine, as in the reference measurements. It always exits 0: it
is a measuring tool, not a test.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script, whatever the current folder

import requests  # noqa: E402

from tests.servers import Server, flask, server_env  # noqa: E402

WORKERS = 2
THREADS = 2
CONNECTIONS = 8
FLASKBB_RPS = 36.9
TARGET_RPS = 5 * FLASKBB_RPS
# The signed-in member's heavy page over the static file, in the same run (issue 17).
MEMBER_RATIO_TARGET = 0.085
MEMBER_BYTES_TARGET = 20 * 1024
# A session cookie with no valid signature: the reader is anonymous, but the page cache
# serves only requests without a session cookie, so every request renders the page.
UNCACHED_COOKIE = "session=bench-no-session"
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br",
                   "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MEMBER = ("bench_member", "bench.member@example.org", "bench-password-1")


def prepare(folder):
    """Migrate and seed a fresh database in `folder`; returns (env, seed output)."""
    env = server_env(folder)
    flask(env, "db", "upgrade")
    seeded = subprocess.run([sys.executable, "-m", "tests.e2e.seed"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True, timeout=600)
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    username, email, password = MEMBER
    flask(env, "create-user", username, "--email", email, "--password", password)
    return env, seed


def sign_in(base_url):
    """The session cookie of the bench member, from a real sign-in over HTTP."""
    with requests.Session() as session:
        page = session.get(base_url + "/auth/login", timeout=30).text
        token = CSRF_RE.search(page).group(1)
        response = session.post(base_url + "/auth/login", allow_redirects=False, timeout=30,
                                data={"username": MEMBER[0], "password": MEMBER[2],
                                      "csrf_token": token})
        if response.status_code != 302:
            raise RuntimeError(f"sign-in refused ({response.status_code})")
        return "session=" + session.cookies["session"]


def static_path(base_url):
    """The fingerprinted address of the stylesheet, as the question page links it."""
    page = requests.get(base_url + "/", timeout=30).text
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def report(results, sizes, labels):
    """Each figure over the static file's, and the targets of issue 17 and DESIGN §9."""
    static = results.get("static")
    if static:
        for key in ("health", "cached", "uncached", "member"):
            if key in results:
                print(f"ratio {labels[key]:60} / static: {results[key] / static:.3f}")
    member = results.get("member")
    if static and member:
        ratio = member / static
        mark = "PASS" if ratio >= MEMBER_RATIO_TARGET else "MISS"
        print(f"signed-in member's page / static file: {ratio:.3f}, target ≥ "
              f"{MEMBER_RATIO_TARGET} {mark}")
    if "uncached" in results and member:
        print(f"signed-in member / anonymous uncached: {member / results['uncached']:.2f}")
    if "member" in sizes and "static" in sizes:
        total = sizes["member"] + sizes["static"]
        mark = "PASS" if total <= MEMBER_BYTES_TARGET else "MISS"
        print(f"member's page + stylesheet on the wire: {sizes['member']:,} + "
              f"{sizes['static']:,} = {total:,} bytes, target ≤ {MEMBER_BYTES_TARGET:,} {mark}")
    anonymous = results.get("cached")
    if anonymous:
        mark = "PASS" if anonymous >= TARGET_RPS else "FAIL"
        print(f"anonymous question page vs target: {anonymous:.1f} requests/s, target ≥ "
              f"{TARGET_RPS:.1f} (5 × FlaskBB 2.2's {FLASKBB_RPS}) {mark}")


def check(url, headers):
    """Warm the workers up and return (status, bytes on the wire, Content-Encoding)."""
    for _ in range(10):
        response = requests.get(url, headers=headers, timeout=30, stream=True)
        raw = response.raw.read(decode_content=False)
    return response.status_code, len(raw), response.headers.get("Content-Encoding", "none")


def run_wrk(url, headers, duration):
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True,
                            timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:(.*)", output)
    median = re.search(r"\s50%\s+(\S+)", output)
    p99 = re.search(r"\s99%\s+(\S+)", output)
    notes = [f"median {median.group(1)}, p99 {p99.group(1)}" if median and p99 else ""]
    if bad:
        notes.append(f"{bad.group(1)} non-2xx responses")
    if errors:
        notes.append("socket errors:" + errors.group(1))
    return rps, "; ".join(note for note in notes if note)


def run_python(url, headers, duration):
    """CONNECTIONS threads, each with one http.client connection (reopened when the server
    closes it), sending requests back to back for `duration` seconds."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    counts = {"ok": 0, "bad": 0, "errors": 0}
    latencies = []
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + duration

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        ok = bad = errors = 0
        mine = []
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                continue
            mine.append(time.perf_counter() - sent)
            if 200 <= response.status < 400:
                ok += 1
            else:
                bad += 1
        connection.close()
        with lock:
            counts["ok"] += ok
            counts["bad"] += bad
            counts["errors"] += errors
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    notes = []
    if latencies:
        notes.append(f"median {latencies[len(latencies) // 2] * 1000:.2f}ms, "
                     f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.2f}ms")
    if counts["bad"]:
        notes.append(f"{counts['bad']} non-2xx responses")
    if counts["errors"]:
        notes.append(f"{counts['errors']} connection errors")
    return counts["ok"] / elapsed, "; ".join(notes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--python", action="store_true", help="use the Python client even "
                                                              "when wrk is installed")
    parser.add_argument("--no-member", action="store_true",
                        help="skip the signed-in member's measurement")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None and not args.python
    client = (f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.duration}s" if use_wrk else
              f"Python fallback: {CONNECTIONS} threads with keep-alive connections, "
              f"{args.duration} s" + ("" if args.python else " (wrk not found)"))
    measure = run_wrk if use_wrk else run_python

    folder = Path(tempfile.mkdtemp(prefix="carnets-load-"))
    server = None
    try:
        print("Preparing a migrated and seeded SQLite database…", flush=True)
        env, seed = prepare(folder)
        server = Server(env, workers=WORKERS, log=folder / "server.log")
        page = f"{server.url}/questions/{seed['big_question']}"
        stylesheet = server.url + static_path(server.url)
        labels = {"static": "static file (the stylesheet)",
                  "health": "/healthz",
                  "cached": f"question page ({seed['answers']} answers, {seed['comments']} "
                            "comments), anonymous, page cache",
                  "uncached": "same page, anonymous, not from the page cache",
                  "member": "same page, signed-in member"}
        cases = [("static", stylesheet, BROWSER_HEADERS),
                 ("health", server.url + "/healthz", BROWSER_HEADERS),
                 ("cached", page, BROWSER_HEADERS),
                 ("uncached", page, dict(BROWSER_HEADERS, Cookie=UNCACHED_COOKIE))]
        if not args.no_member:
            cases.append(("member", page, dict(BROWSER_HEADERS, Cookie=sign_in(server.url))))
        print(f"Server: gunicorn, {WORKERS} sync workers, SQLite; {os.cpu_count()} CPU cores "
              "shared with the client")
        seconds = os.environ.get("PAGE_CACHE_SECONDS") or "60"
        print("Page cache: "
              + (f"on, {seconds} s (PAGE_CACHE_SECONDS)" if seconds != "0" else
                 "off (PAGE_CACHE_SECONDS=0): every page is rendered"))
        print(f"Client: {client}")
        print(f"Headers: Accept-Encoding: {BROWSER_HEADERS['Accept-Encoding']}; "
              f"Accept-Language: {BROWSER_HEADERS['Accept-Language']}")
        print()
        results, sizes = {}, {}
        for key, url, headers in cases:
            label = labels[key]
            status, size, encoding = check(url, headers)
            if status != 200:
                print(f"{label:66} status {status}: not measured")
                continue
            rps, notes = measure(url, headers, args.duration)
            results[key], sizes[key] = rps, size
            print(f"{label:66} {rps:9.1f} requests/s  ({size:,} bytes {encoding}; {notes})",
                  flush=True)
        print()
        report(results, sizes, labels)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
