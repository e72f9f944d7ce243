"""Knowledge base: notebooks, training modules and curated good-practice articles."""


def init_app(app):
    """Register the knowledge blueprint and the demo command."""
    from knowledge import articles, demo, services, views
    from knowledge.cli import knowledge_cli
    from knowledge.search import ArticleProvider
    from search_index.registry import register_provider

    from forum.services.signals import question_asked

    views.register(app)
    register_provider(app, ArticleProvider())
    app.jinja_env.globals.update(promoted_articles=articles.published_for_question,
                                 module_label=services.module_label)
    # A signal connected once per process: receivers are held weakly, so a module-level one.
    question_asked.connect(services.link_asked_question)
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(knowledge_cli)
