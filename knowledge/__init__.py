"""Knowledge base: notebooks, training modules and curated good-practice articles."""


def init_app(app):
    """Register the knowledge blueprint, notification kinds, template globals, demo part, and
    what knowledge adds to the navigation and to forum's pages."""
    from core import hooks
    from core.i18n import lazy_gettext as _l
    from knowledge import demo, forum_pages, notifications, permissions, views
    from knowledge.services import notebooks, redaction
    from knowledge.cli import knowledge_cli
    from knowledge.search import QUESTION_KIND, ArticleProvider, question_modules
    from search_index.registry import register_field, register_provider

    from forum.services.signals import post_deleted, post_hidden, post_redacted, question_asked

    views.register(app)
    notifications.init_app(app)
    register_provider(app, ArticleProvider())
    register_field(app, QUESTION_KIND, "modules", question_modules)
    app.jinja_env.globals.update(kb_perms=permissions)
    hooks.add_navigation(app, _l("Notebooks"), "knowledge.index", order=30)
    hooks.add_thread_badges(app, forum_pages.promoted_badges)
    hooks.add_thread_actions(app, forum_pages.promote_action)
    hooks.add_ask_notes(app, forum_pages.module_note)
    # A signal connected once per process: receivers are held weakly, so a module-level one.
    question_asked.connect(notebooks.link_asked_question)
    post_deleted.connect(redaction.post_deleted)
    post_redacted.connect(redaction.post_redacted)
    post_hidden.connect(redaction.post_hidden)
    demo.init_app(app)
    app.cli.add_command(knowledge_cli)
