"""Page weight in a real browser under an emulated slow 3G link (DESIGN §9), shared by
tests/e2e/test_weight.py and bench/browser.py.

Figures come from the Chrome DevTools Protocol, as the Network panel shows them: requests
from `Network.requestWillBeSent`, bytes on the wire (compressed bodies plus headers) from
`Network.loadingFinished`, and DOMContentLoaded from the Navigation Timing entry.
"""
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import NamedTuple

# DevTools' "Slow 3G" as DESIGN §9 defines it: 400 ms latency, 400 kbit/s each way.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50_000,
           "uploadThroughput": 50_000}
BUDGET_BYTES = 20 * 1024
BUDGET_REQUESTS = 2
BUDGET_DCL_MS = 1500
VIEWPORT = {"width": 360, "height": 740}
# A word of the seeded demo posts, so that the search page shows results.
SEARCH_QUERY = "confiance"


class Page(NamedTuple):
    """A page to weigh: `key` names it in tests, `path` is relative to the site."""
    key: str
    label: str
    path: str
    shows: str = ""  # HTML the page must contain for its weight to mean anything


def pages(seed):
    """The pages DESIGN §9 budgets, on the seeded site of tests/e2e/seed.py."""
    return [Page("home", "home", "/"),
            Page("questions", "question list", "/questions"),
            Page("question", f"question ({seed['answers']} answers, {seed['comments']} comments)",
                 f"/questions/{seed['big_question']}"),
            Page("tags", "tags", "/tags"),
            Page("search", "search results", f"/search?q={SEARCH_QUERY}",
                 shows='<li class="summary')]


def first_page(page):
    """Another page of the site, read before `page` in a warm load."""
    return "/questions" if page.path == "/" else "/"


def status_of(url):
    """HTTP status of a plain GET."""
    return fetch(url)[0]


def fetch(url):
    """(HTTP status, page text) of a plain GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, ""


@dataclass
class Resource:
    """One network request of a page load."""
    url: str
    type: str = ""
    status: int = 0
    mime: str = ""
    from_cache: bool = False
    wire_bytes: int = 0
    body_bytes: int = 0
    finished: bool = False


@dataclass
class Load:
    """What loading one page cost: network requests, bytes and timings."""
    url: str
    resources: list = field(default_factory=list)
    dom_content_loaded_ms: float = 0.0
    load_ms: float = 0.0

    @property
    def network(self):
        """Requests that went to the network (not answered by the browser cache)."""
        return [item for item in self.resources if not item.from_cache]

    @property
    def requests(self):
        return len(self.network)

    @property
    def wire_bytes(self):
        return sum(item.wire_bytes for item in self.resources)

    @property
    def body_bytes(self):
        """Uncompressed size of everything the page used, cached stylesheet included."""
        return sum(item.body_bytes for item in self.resources)

    @property
    def unfinished(self):
        """Requests still loading when measured: their bytes would be missing."""
        return [item.url for item in self.resources if not item.finished]

    @property
    def scripts(self):
        return [item.url for item in self.resources
                if item.type == "Script" or "javascript" in item.mime]

    def describe(self):
        return ", ".join(f"{item.type} {item.url} {item.status} {item.wire_bytes} B"
                         + (" (cache)" if item.from_cache else "") for item in self.resources)


class Recorder:
    """Collects the CDP network events of one page load into a Load."""

    EVENTS = ("requestWillBeSent", "requestServedFromCache", "responseReceived",
              "dataReceived", "loadingFinished", "loadingFailed")

    def __init__(self, cdp, url):
        self.cdp = cdp
        self.load = Load(url)
        self.by_id = {}
        self.handlers = {name: getattr(self, "_" + name) for name in self.EVENTS}

    def __enter__(self):
        for name, handler in self.handlers.items():
            self.cdp.on("Network." + name, handler)
        return self

    def __exit__(self, *exc):
        for name, handler in self.handlers.items():
            self.cdp.remove_listener("Network." + name, handler)

    def _requestWillBeSent(self, event):
        if event["request"]["url"].startswith("data:"):
            return  # The empty favicon (href="data:,") never leaves the browser.
        redirect = event.get("redirectResponse")
        if redirect and event["requestId"] in self.by_id:
            # A redirect is a request of its own: keep it, with the bytes of its response.
            previous = self.by_id[event["requestId"]]
            previous.status, previous.finished = redirect["status"], True
            previous.wire_bytes = int(redirect.get("encodedDataLength", 0))
        resource = Resource(event["request"]["url"], type=event.get("type", ""))
        self.by_id[event["requestId"]] = resource
        self.load.resources.append(resource)

    def _requestServedFromCache(self, event):
        if event["requestId"] in self.by_id:
            self.by_id[event["requestId"]].from_cache = True

    def _responseReceived(self, event):
        resource = self.by_id.get(event["requestId"])
        if resource:
            response = event["response"]
            resource.status, resource.mime = response["status"], response.get("mimeType", "")
            resource.type = event.get("type", resource.type)
            if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                resource.from_cache = True

    def _dataReceived(self, event):
        resource = self.by_id.get(event["requestId"])
        if resource:
            resource.body_bytes += event["dataLength"]  # decoded (uncompressed) bytes

    def _loadingFinished(self, event):
        resource = self.by_id.get(event["requestId"])
        if resource:
            resource.wire_bytes, resource.finished = int(event["encodedDataLength"]), True

    def _loadingFailed(self, event):
        resource = self.by_id.get(event["requestId"])
        if resource:
            resource.finished = True


def open_page(browser, cache=False):
    """A fresh profile on the slow 3G link: (context, page, CDP session). With cache=False,
    every load is a cold one, as for a first visit."""
    context = browser.new_context(java_script_enabled=True, viewport=VIEWPORT,
                                  extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    page.set_default_timeout(30000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    return context, page, cdp


def measure(page, cdp, url, settle_ms=5000):
    """Load `url` and return its Load once every request has finished."""
    with Recorder(cdp, url) as recorder:
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            raise AssertionError(f"{url} answered {response and response.status}")
        # loadingFinished events can arrive after the load event: wait for them (bounded).
        waited = 0
        while recorder.load.unfinished and waited < settle_ms:
            page.wait_for_timeout(50)
            waited += 50
        page.wait_for_timeout(100)  # late requests would show up here
        timing = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0];
            return [nav.domContentLoadedEventEnd, nav.loadEventEnd];
        }""")
    load = recorder.load
    load.dom_content_loaded_ms, load.load_ms = timing
    return load


def cold(browser, url):
    """First visit: an empty cache, everything comes over the slow link."""
    context, page, cdp = open_page(browser, cache=False)
    try:
        return measure(page, cdp, url)
    finally:
        context.close()


def warm(browser, url, first_url):
    """A page read after another page of the site (`first_url`), the cache enabled: the
    fingerprinted stylesheet should come from the cache, not over the link."""
    context, page, cdp = open_page(browser, cache=True)
    try:
        measure(page, cdp, first_url)
        return measure(page, cdp, url)
    finally:
        context.close()


def confirm_guard(page):
    """Confirm the confidentiality guard's warning when the last submit raised one: for
    journeys about something else whose text names a place or a person on purpose (the guard's
    own journeys are in test_guard_journeys.py)."""
    button = page.locator("button[name=guard_confirm]")
    if button.count():
        button.first.click()
