"""Confidentiality guard: finds what in a post could identify a child (issue 15).

`find(text, lang)` returns the matches; the patterns, one table per language, are in
`patterns.py`; the form flow (check a form, highlight, confirm, record) is in `guard.py`.
"""
from core.confidentiality.detector import KINDS, Match, find

__all__ = ["KINDS", "Match", "find"]


def init_app(_app):
    """Register the decision table and the hooks that record a decision with its post."""
    from core.confidentiality import guard, models  # noqa: F401
    from core.extensions import db
    guard.listen(db.session)
