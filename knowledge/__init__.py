"""Knowledge base: notebooks, training modules and curated good-practice articles."""


def init_app(app):
    """Register the knowledge blueprint and the demo command."""
    from knowledge import demo, views
    from knowledge.services import articles, redaction
    from knowledge.services import notebooks as services
    from knowledge.cli import knowledge_cli
    from knowledge.search import QUESTION_KIND, ArticleProvider, question_modules
    from search_index.registry import register_field, register_provider

    from forum.services.signals import post_deleted, question_asked

    views.register(app)
    register_provider(app, ArticleProvider())
    register_field(app, QUESTION_KIND, "modules", question_modules)
    app.jinja_env.globals.update(promoted_articles=articles.published_for_question,
                                 module_label=services.module_label)
    # A signal connected once per process: receivers are held weakly, so a module-level one.
    question_asked.connect(services.link_asked_question)
    post_deleted.connect(redaction.post_deleted)
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(knowledge_cli)
