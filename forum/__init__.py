"""The community: questions, answers, comments, votes and tags."""


def init_app(app):
    """Register the forum blueprints, template helpers and notification kinds."""
    from forum.search import ThreadProvider
    from forum import links, notifications
    from forum.views import questions, tags, users
    from search_index.registry import register_provider

    app.register_blueprint(questions.bp)
    app.register_blueprint(tags.bp)
    app.register_blueprint(users.bp)
    app.jinja_env.globals.update(question_url=links.question_url)
    notifications.init_app(app)
    register_provider(app, ThreadProvider())
