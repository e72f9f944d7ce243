"""Rate-limit counters in a SQLite file of the instance folder, shared by every worker process
of one server: the embedded default when there is no Redis (the `limits` package's memory://
keeps one count per process, so two gunicorn workers let twice the limit through).

Registered with `limits` under the scheme carnets-sqlite:///<path>; it serves Flask-Limiter's
default fixed-window strategy. Several servers still need Redis (README, deployment).
"""
import os
import sqlite3
import threading
import time

from limits.storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, hits INTEGER NOT NULL,
                                    expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS counter_expires ON counter (expires);
"""
# One statement, hence atomic however many processes write: a new window starts when the
# stored one has expired, otherwise the hit is added to it.
INCREMENT = """
INSERT INTO counter (key, hits, expires) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN expires <= :now THEN excluded.hits ELSE hits + excluded.hits END,
    expires = CASE WHEN expires <= :now THEN excluded.expires ELSE expires END
RETURNING hits
"""


class SQLiteStorage(Storage):
    """Fixed-window counters in one SQLite table."""

    STORAGE_SCHEME = ["carnets-sqlite"]

    def __init__(self, uri, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split(":///", 1)[1]  # as in SQLAlchemy's sqlite:///relative, ////absolute
        self._local = threading.local()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _db(self):
        # One connection per thread and per process: a worker forked after the parent used
        # the storage must not share the parent's connection.
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(SCHEMA)
            local.connection, local.pid = connection, os.getpid()
        return local.connection

    def incr(self, key, expiry, amount=1):
        now = time.time()
        connection = self._db()
        hits = connection.execute(INCREMENT, {"key": key, "amount": amount, "now": now,
                                              "expiry": expiry}).fetchone()[0]
        connection.execute("DELETE FROM counter WHERE expires <= ?", (now,))
        return hits

    def get(self, key):
        row = self._db().execute("SELECT hits FROM counter WHERE key = ? AND expires > ?",
                                 (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key):
        now = time.time()
        row = self._db().execute("SELECT expires FROM counter WHERE key = ? AND expires > ?",
                                 (key, now)).fetchone()
        return row[0] if row else now

    def check(self):
        try:
            self._db().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self):
        return self._db().execute("DELETE FROM counter").rowcount

    def clear(self, key):
        self._db().execute("DELETE FROM counter WHERE key = ?", (key,))
