"""Notifications: what a user should know about, with kinds registered by the package that
sends them (kinds.py), the table (models.py), sending and reading (services.py) and the page
(views.py)."""


def init_app(app):
    """Give `app` the kind registry, the notifications page and the header's unread count."""
    from core.notifications import kinds, views

    kinds.init_app(app)
    app.register_blueprint(views.bp)
    app.context_processor(views.unread_in_header)
