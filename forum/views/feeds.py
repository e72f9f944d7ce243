"""Atom feeds of the forum under /feeds: the newest questions, a tag's, a question's answers.

Feed readers fetch them without cookies: the title is in the language of Accept-Language, or
the site's default, as for any page. Anonymous fetches are served from the page cache, which
every change to a thread clears (forum.services.threads.thread_changed)."""
from flask import Blueprint

from core import feeds, pagecache
from forum.services import feeds as feed_service
from forum.services import threads

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/questions")
@pagecache.anonymous_page(lambda: threads.QUESTION_LISTS)
def questions():
    return feeds.response(feed_service.newest_questions())


@bp.get("/tags/<name>")
@pagecache.anonymous_page(lambda name: threads.QUESTION_LISTS)
def tag(name):
    return feeds.response(feed_service.tagged_questions(name))


@bp.get("/questions/<int:question_id>")
@pagecache.anonymous_page(lambda question_id: threads.thread_scope(question_id))
def question(question_id):
    return feeds.response(feed_service.question_answers(question_id))
