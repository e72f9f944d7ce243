"""Long queries: the header's search box takes what a search reads, and an address too long
for the server gets a page of the site with a way back to search, never a bare error — in the
application (any server) and under gunicorn, which refuses long request lines itself."""
import re
import socket

import pytest

from core.long_requests import MAX_LINE
from search_index.query import MAX_QUERY
from tests.servers import Server, flask, server_env


def _query(length):
    words = ("educacion de calle primer contacto " * (length // 30 + 1))
    return "/search?q=" + words[:length].strip().replace(" ", "+")


def test_both_search_boxes_take_as_much_as_a_search_reads(client):
    page = client.get("/search?q=maraude").get_data(as_text=True)
    header = re.search(r'<input id="site-q"[^>]*>', page).group()
    results = re.search(r'<input id="q"[^>]*>', page).group()
    assert f'maxlength="{MAX_QUERY}"' in header and f'maxlength="{MAX_QUERY}"' in results


def test_an_address_too_long_gets_the_sites_page(client):
    response = client.get(_query(MAX_LINE + 100))
    body = response.get_data(as_text=True)
    assert response.status_code == 414 and response.mimetype == "text/html"
    assert "This address is too long" in body and 'class="site"' in body
    assert re.search(r'<a href="/search">Back to search</a>', body)


def test_a_long_query_below_the_bound_is_read_in_part(client):
    response = client.get(_query(6000))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"only its first {MAX_QUERY} characters were used" in body


def _raw_get(server, path, language="en"):
    """(status, body) of a GET sent byte for byte, as a browser would send it."""
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
               f"Accept-Language: {language}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), body.decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long-requests")
    env = server_env(folder)
    flask(env, "db", "upgrade")
    running = Server(env, workers=1, log=folder / "server.log")
    yield running
    running.stop()


@pytest.mark.parametrize("length", [6000, 10000])
def test_gunicorn_answers_long_queries_with_a_page_of_the_site(server, length):
    status, head, body = _raw_get(server, _query(length))
    assert "Bad Request" not in body and "URI Too Long" not in body
    assert "text/html" in head and 'class="site"' in body
    if length < MAX_LINE:
        assert status == 200
        assert f"only its first {MAX_QUERY} characters were used" in body
        assert 'action="/search"' in body
    else:
        assert status == 414
        assert "This address is too long" in body
        assert '<a href="/search">Back to search</a>' in body


def test_a_client_trickling_after_a_refused_line_does_not_hold_the_worker(server):
    # After the 414 page, the worker reads what the client still sends before closing; a
    # client sending a byte at a time must not keep the only worker from serving others.
    import threading
    import time

    stop = threading.Event()
    trickler = socket.create_connection(("127.0.0.1", server.port), timeout=30)

    def trickle():
        try:
            while not stop.is_set():
                trickler.sendall(b"X")
                time.sleep(0.2)
        except OSError:  # the server closed the connection: what it should do
            pass

    try:
        trickler.sendall(f"GET {_query(10000)} HTTP/1.1\r\n".encode())
        assert b" 414 " in trickler.recv(65536).split(b"\r\n", 1)[0]
        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        started = time.monotonic()
        status, _head, _body = _raw_get(server, "/search?q=maraude")
        assert status == 200 and time.monotonic() - started < 10
    finally:
        stop.set()
        trickler.close()
