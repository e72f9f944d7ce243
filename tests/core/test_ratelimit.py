"""The embedded rate-limit storage: counters in one SQLite file, shared by every process that
opens it (the gunicorn test in tests/load/test_rate_limits.py drives it through HTTP)."""
import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter


def _limiter(path):
    return FixedWindowRateLimiter(storage_from_string(f"carnets-sqlite:///{path}"))


def test_two_workers_opening_the_file_share_the_count(tmp_path):
    first, second = _limiter(tmp_path / "limits.sqlite"), _limiter(tmp_path / "limits.sqlite")
    three_a_minute = RateLimitItemPerSecond(3, 60)
    assert [first.hit(three_a_minute, "10.0.0.1"), second.hit(three_a_minute, "10.0.0.1"),
            first.hit(three_a_minute, "10.0.0.1"), second.hit(three_a_minute, "10.0.0.1")] == \
        [True, True, True, False]
    assert second.hit(three_a_minute, "10.0.0.2")  # another address has its own count
    assert first.get_window_stats(three_a_minute, "10.0.0.1").remaining == 0


def test_a_new_window_starts_when_the_old_one_ends(tmp_path):
    limiter = _limiter(tmp_path / "limits.sqlite")
    once_a_second = RateLimitItemPerSecond(1, 1)
    assert limiter.hit(once_a_second, "a") and not limiter.hit(once_a_second, "a")
    time.sleep(1.1)
    assert limiter.hit(once_a_second, "a")


def test_clear_and_reset(tmp_path):
    limiter = _limiter(tmp_path / "limits.sqlite")
    once = RateLimitItemPerSecond(1, 60)
    limiter.hit(once, "a")
    limiter.hit(once, "b")
    limiter.clear(once, "a")
    assert limiter.hit(once, "a") and not limiter.hit(once, "b")
    assert limiter.storage.reset() == 2
    assert limiter.storage.check()
    assert limiter.hit(once, "b")
