"""Search (its own issue): backends, analyzers, the indexing queue and the search page."""


def init_app(app):
    """Nothing to register yet: the search issue fills this package."""
