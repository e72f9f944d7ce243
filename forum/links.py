"""Addresses of forum pages, for views, templates, search cards and notifications."""
from flask import url_for

from core.slugs import slugify


def question_url(question, anchor=None):
    """The canonical address of a question's page (optionally at an answer's anchor)."""
    return url_for("forum.question", question_id=question.id, slug=slugify(question.title),
                   _anchor=anchor)
