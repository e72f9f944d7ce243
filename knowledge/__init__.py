"""Knowledge base: notebooks, training modules and curated good-practice articles."""


def init_app(app):
    """Register the knowledge blueprint, template globals, search provider and demo part."""
    from knowledge import demo, permissions, views
    from knowledge.services import articles, notebooks, redaction
    from knowledge.cli import knowledge_cli
    from knowledge.search import QUESTION_KIND, ArticleProvider, question_modules
    from search_index.registry import register_field, register_provider

    from forum.services.signals import post_deleted, question_asked

    views.register(app)
    register_provider(app, ArticleProvider())
    register_field(app, QUESTION_KIND, "modules", question_modules)
    app.jinja_env.globals.update(promoted_articles=articles.published_for_question,
                                 module_label=notebooks.module_label, kb_perms=permissions)
    app.jinja_env.globals["perms"] = _PermsWithCurator(app.jinja_env.globals["perms"])
    # A signal connected once per process: receivers are held weakly, so a module-level one.
    question_asked.connect(notebooks.link_asked_question)
    post_deleted.connect(redaction.post_deleted)
    demo.init_app(app)
    app.cli.add_command(knowledge_cli)


class _PermsWithCurator:
    """Core's `perms` template global, and the `perms.is_curator(me)` that
    templates/forum/question.html still asks for its "Promote" link (knowledge's rule now:
    kb_perms.can_curate). To drop once that page takes the link from a knowledge hook."""

    def __init__(self, perms):
        self._perms = perms

    def __getattr__(self, name):
        return getattr(self._perms, name)

    @staticmethod
    def is_curator(user):
        from knowledge.permissions import can_curate

        return can_curate(user)
