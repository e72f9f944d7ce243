"""One clock for the whole application: naive UTC datetimes, as stored in every table."""
from datetime import UTC, datetime


def utcnow():
    """Current time in UTC without tzinfo (the form every DateTime column stores)."""
    return datetime.now(UTC).replace(tzinfo=None)
