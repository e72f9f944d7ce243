"""Confidentiality guard: finds what in a post could identify a child (issue 15).

`find(text, lang)` returns the matches; the patterns, one table per language, are in
`patterns.py`.
"""
from core.confidentiality.detector import KINDS, Match, find

__all__ = ["KINDS", "Match", "find"]
