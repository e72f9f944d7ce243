"""Addresses of forum pages, for views, templates, search cards and notifications."""
from flask import url_for

from core.slugs import slugify


def question_url(question, anchor=None):
    """The canonical address of a question's page (optionally at an answer's anchor)."""
    return url_for("forum.question", question_id=question.id, slug=slugify(question.title),
                   _anchor=anchor)


def post_url(post):
    """The address of a question, answer or comment, on its question's page."""
    from core.extensions import db
    from forum.models import Question

    if post.post_type == "question":
        return question_url(post)
    if post.post_type == "answer":
        return question_url(post.question, f"answer-{post.id}")
    return question_url(db.session.get(Question, post.thread_id), f"comment-{post.id}")
