"""The community: questions, answers, comments, votes and tags."""


def init_app(app):
    """Register the forum blueprints and template helpers."""
    from forum.search import ThreadProvider
    from forum.services.notifications import unread_count
    from forum import demo, links
    from forum.views import notifications, questions, tags, users
    from search_index.registry import register_provider

    app.register_blueprint(questions.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(tags.bp)
    app.register_blueprint(users.bp)
    demo.init_app(app)
    app.jinja_env.globals.update(question_url=links.question_url,
                                 unread_notifications=unread_count)
    register_provider(app, ThreadProvider())
