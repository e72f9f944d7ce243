"""gunicorn's settings for Carnets, read by `gunicorn wsgi:app` started from the project folder
(gunicorn reads ./gunicorn.conf.py; elsewhere pass `-c /path/to/gunicorn.conf.py`). Options
given on the command line (workers, bind...) still win over these."""

# The longest request line gunicorn allows (its default is 4,094): the application answers
# long addresses itself, with a page of the site (core.long_requests).
limit_request_line = 8190


def post_worker_init(worker):
    """A request line longer still gets the site's page too, not gunicorn's bare error."""
    from core import long_requests

    long_requests.install(worker)
