"""Where the lines of a member's notifications page lead: each links to
/notifications/<id>/open, which marks it read and redirects to its subject."""
import re

OPEN_RE = re.compile(r'href="(/notifications/\d+/open)"')


def open_links(page):
    """The "open" links of a notifications page's HTML, in the page's order."""
    return OPEN_RE.findall(page)


def targets(client):
    """The addresses the lines of `client`'s notifications page lead to (opening them marks
    them read)."""
    links = open_links(client.get("/notifications").get_data(as_text=True))
    return [client.get(link).headers.get("Location") for link in links]
