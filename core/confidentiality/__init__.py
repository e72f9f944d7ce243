"""Confidentiality guard: finds what in a post could identify a child (issue 15).

`find(text, lang)` returns the matches; the patterns, one table per language, are in
`patterns.py`.
"""
from core.confidentiality.detector import KINDS, Match, find

__all__ = ["KINDS", "Match", "find"]


def init_app(_app):
    """Register the decision table (the guard's form flow is in guard.py)."""
    from core.confidentiality import models  # noqa: F401
