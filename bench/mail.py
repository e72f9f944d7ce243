"""Mail benchmark (issue 16, item 7): 50 members follow one tag and chose mail at once for its
new questions; how long a new question there takes to create its 50 notifications and 50
queued mails (one transaction), and how long the sender takes to deliver them to a local SMTP
server.

Usage (from the project folder):

    .venv/bin/python bench/mail.py                  # SQLite in a temporary folder
    .venv/bin/python bench/mail.py --followers 200
    CARNETS_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/carnets_bench \\
        .venv/bin/python bench/mail.py              # an EMPTY PostgreSQL database (its tables
                                                    # are dropped and created)

The sending figure needs `core.mail.sender.send_due` (the sender): without it, that line says
"skipped". The SMTP server is aiosmtpd on a free local port, counting what it receives and
checking that no message arrives twice. It prints figures and always exits 0.
"""
import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from core import create_app  # noqa: E402
from core.accounts import services as accounts  # noqa: E402
from core.extensions import db  # noqa: E402


class Counter:
    """An SMTP handler counting deliveries by Message-ID."""

    def __init__(self):
        self.ids = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = (envelope.original_content or envelope.content).decode("utf-8", "replace")
        message_id = next((line.split(":", 1)[1].strip() for line in content.splitlines()
                           if line.lower().startswith("message-id:")), None)
        with self.lock:
            self.ids.append(message_id)
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(app, followers):
    """The asker and `followers` members following "shelter" with mail at once."""
    from core.notifications.models import NotificationPreference
    from forum.services import follows, questions

    with app.app_context():
        db.drop_all()
        db.create_all()
        asker = accounts.create_user("asker", "asker@example.org", "correct horse battery")
        questions.ask_question(asker, "Which shelters take girls at night?",
                               "A first question, so that the tag exists: " * 3, "shelter", "en")
        for number in range(followers):
            member = accounts.create_user(f"follower{number:03d}",
                                          f"follower{number:03d}@example.org",
                                          "correct horse battery")
            follows.follow_tag(member, "shelter")
            db.session.add(NotificationPreference(user_id=member.id, kind="tag_question",
                                                  channel="instant"))
        db.session.commit()


def ask(app):
    """Seconds to ask the question that tells every follower, and the rows it made."""
    from core.mail.models import OutboxMessage
    from core.notifications.models import Notification
    from forum.services import questions

    with app.app_context():
        asker = accounts.get_user_by_username("asker")
        started = time.perf_counter()
        questions.ask_question(asker, "Where can a girl sleep tonight near the port?",
                               "Asked in the middle of the night, from a shared phone. " * 2,
                               "shelter", "en")
        elapsed = time.perf_counter() - started
        counts = (db.session.scalar(select(func.count()).select_from(Notification)),
                  db.session.scalar(select(func.count()).select_from(OutboxMessage)))
    return elapsed, counts


def send(app, expected):
    """Seconds for the sender to deliver the outbox to a local SMTP server, or why not."""
    try:
        from core.mail.sender import send_due
    except ImportError:
        return None, "skipped: core.mail.sender.send_due does not exist in this tree"
    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=port, MAIL_SECURITY="none",
                      MAIL_USERNAME="", MAIL_PASSWORD="")
    try:
        with app.app_context():
            started = time.perf_counter()
            send_due()
            deadline = time.monotonic() + 30
            while len(counter.ids) < expected and time.monotonic() < deadline:
                time.sleep(0.01)
            elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    duplicates = len(counter.ids) - len(set(counter.ids))
    return elapsed, f"{len(counter.ids)} received, {duplicates} duplicate(s)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="carnets-mail-bench-"))
    url = os.environ.get("CARNETS_BENCH_POSTGRES_URL") or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"INSTANCE_PATH": str(folder), "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "RATELIMIT_ENABLED": False, "BABEL_DEFAULT_LOCALE": "en",
                      "MAIL_DIR": str(folder / "mail")})
    build(app, args.followers)
    elapsed, (notifications, mails) = ask(app)
    backend = url.split(":", 1)[0]
    print(f"backend: {backend}; followers of the tag: {args.followers}")
    print(f"create: {elapsed * 1000:.0f} ms for the question, {notifications} notifications "
          f"and {mails} queued mails (one transaction)")
    sent, detail = send(app, mails)
    if sent is None:
        print(f"send: {detail}")
    else:
        print(f"send: {sent * 1000:.0f} ms to deliver {mails} mails to a local SMTP server "
              f"({detail})")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
