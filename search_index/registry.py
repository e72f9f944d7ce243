"""Where the search engine and the document providers of an application live.

Packages that own searchable content register a provider; search_index never imports them.
A provider has a `kind` and three methods:

    load(session, ids) -> {id: SearchDocument}   only what every reader may see; an id left
                                                 out is removed from the index
    batches(session, size) -> iterator of id lists, for a rebuild
    cards(ids, viewer) -> {id: card}             what a results page shows, for the ids the
                                                 viewer may see now (a card has .url, .title,
                                                 .tags, .score, .answer_count, .accepted, .lang)
"""
from flask import current_app

EXTENSION = "carnets_search"


class SearchState:
    """The application's backend and providers (kept in app.extensions, one per app)."""

    def __init__(self, backend, thesaurus):
        self.backend = backend
        self.thesaurus = thesaurus
        self.providers = {}


def state(app=None):
    """The SearchState of `app` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def register_provider(app, provider):
    """Make `provider`'s documents searchable in `app`."""
    state(app).providers[provider.kind] = provider


def backend(app=None):
    """The search engine of `app`."""
    return state(app).backend
