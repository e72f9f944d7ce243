"""Mail: an outbox table written in the transaction of the event (models.py, outbox.py), drained
by a sender command with retries (sender.py, cli.py), and the one-click unsubscribe page
(views.py)."""


def init_app(app):
    """Give `app` the mail commands and pages."""
    from core.mail import cli, models, views  # noqa: F401 (the outbox table)

    cli.init_app(app)
    app.register_blueprint(views.bp)
