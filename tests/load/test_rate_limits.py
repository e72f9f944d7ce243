"""The embedded default counts rate limits across workers: gunicorn with two worker processes,
no Redis, and failed sign-ins sent by many threads at once (so that both workers answer) are
refused after the limit, as with one process."""
from collections import Counter

from tests.load import Visitor, at_once, in_parallel
from tests.servers import Server, flask, server_env

LOGIN_LIMIT = 20  # core/accounts/views.py: "20 per 15 minutes" on POST /auth/login
ATTEMPTS = 40


def test_failed_sign_ins_are_counted_across_workers(tmp_path):
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'carnets.sqlite'}",
                     RATELIMIT_ENABLED="true", REDIS_URL="",
                     # The real, slow KDF keeps each worker busy long enough for the other
                     # to take the next requests.
                     PASSWORD_HASH_METHOD="scrypt")
    flask(env, "db", "upgrade")
    server = Server(env, workers=2, log=tmp_path / "server.log")
    visitors = [Visitor(server.url) for _ in range(ATTEMPTS)]
    try:
        tokens = in_parallel([visitor.csrf for visitor in visitors], workers=8)
        responses = at_once([
            lambda v=v, t=t: v.post("/auth/login", {"username": "amina", "password": "guess",
                                                    "csrf_token": t})
            for v, t in zip(visitors, tokens)])
    finally:
        for visitor in visitors:
            visitor.close()
        server.stop()
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {400: LOGIN_LIMIT, 429: ATTEMPTS - LOGIN_LIMIT}, statuses
