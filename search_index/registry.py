"""Where the search engine and the document providers of an application live.

Packages that own searchable content register a provider; search_index never imports them.
A provider has a `kind` and four methods:

    load(session, ids) -> {id: SearchDocument}   only what every reader may see; an id left
                                                 out is removed from the index
    batches(session, size) -> iterator of id lists, for a rebuild
    count(session) -> int                        how many documents a rebuild writes
    cards(ids, viewer) -> {id: card}             what a results page shows, for the ids the
                                                 viewer may see now (a card has .url, .title,
                                                 .tags, .score, .answer_count, .accepted, .lang)

search_index.providers.ModelProvider gives `batches`, `count` and the visible rows `load` and
`cards` read, for a provider over one model. A package may also add to the documents of a kind
it does not own (register_field): the knowledge package puts the training modules a question
links to into the forum's thread documents, so that forum never reads knowledge's tables.
"""
from flask import current_app

EXTENSION = "carnets_search"


class SearchState:
    """The application's backend and providers (kept in app.extensions, one per app)."""

    def __init__(self, backend, thesaurus):
        self.backend = backend
        self.thesaurus = thesaurus
        self.providers = {}
        # kind -> [(field, lookup)]: see register_field.
        self.fields = {}


def state(app=None):
    """The SearchState of `app` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def register_provider(app, provider):
    """Make `provider`'s documents searchable in `app`."""
    state(app).providers[provider.kind] = provider


def register_field(app, kind, field, lookup):
    """Add values to the list field `field` of every `kind` document `app` indexes:
    lookup(session, ids) -> {id: [values]}, called with the ids of the documents loaded."""
    state(app).fields.setdefault(kind, []).append((field, lookup))


def backend(app=None):
    """The search engine of `app`."""
    return state(app).backend
