"""Mail: an outbox table written in the transaction of the event (models.py, outbox.py), drained
by a sender command with retries (sender.py, cli.py, transport.py, messages.py), and the
one-click unsubscribe page (views.py, unsubscribe.py)."""


def init_app(app):
    """Give `app` the mail commands and pages."""
    from core.mail import cli, models, views

    assert models.OutboxMessage.__tablename__  # the outbox table, known to db.create_all
    cli.init_app(app)
    app.register_blueprint(views.bp)
