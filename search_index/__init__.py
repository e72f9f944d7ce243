"""Search: one backend interface, a Whoosh and a PostgreSQL engine, language analysis,
the durable indexing queue and the search page. Imports nothing from forum or knowledge:
they register document providers (search_index.registry)."""
from pathlib import Path


def make_backend(app):
    """The engine named by SEARCH_BACKEND ("whoosh", the default, or "postgres")."""
    name = app.config.get("SEARCH_BACKEND", "whoosh")
    if name == "whoosh":
        from search_index.whoosh_backend import WhooshBackend

        folder = app.config.get("SEARCH_WHOOSH_DIR") or Path(app.instance_path) / "search"
        return WhooshBackend(folder)
    if name == "postgres":
        from search_index.pg_backend import PostgresBackend

        return PostgresBackend()
    raise ValueError(f"SEARCH_BACKEND must be 'whoosh' or 'postgres', not {name!r}")


def init_app(app):
    """Choose the engine, listen for commits, register the search page and CLI."""
    from core import demo, hooks
    from core.audit import actions
    from core.i18n import lazy_gettext as _l
    from search_index import cli, indexing, models, registry, views  # noqa: F401 (models)
    from search_index import thesaurus_views
    from search_index.query import MAX_QUERY
    from search_index.thesaurus import ThesaurusStore

    app.extensions[registry.EXTENSION] = registry.SearchState(
        make_backend(app), ThesaurusStore(app.config.get("SEARCH_THESAURUS")))
    indexing.listen()
    # The demo loads hundreds of posts: indexed once, at the end of the load.
    demo.add_wrapper(app, indexing.deferred)
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    app.register_blueprint(thesaurus_views.bp)
    actions.register_action(app, "thesaurus_concept_saved", _l("changed a thesaurus concept"))
    actions.register_action(app, "thesaurus_concept_deleted", _l("deleted a thesaurus concept"))
    actions.register_target(app, "thesaurus_concept", thesaurus_views.describe_concepts)
    hooks.add_page(app, "search", "search.search")
    # The header's search box and the results page's take as much as a search reads.
    app.jinja_env.globals.update(search_max_length=MAX_QUERY)
