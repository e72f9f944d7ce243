"""`flask mail send` and `flask mail digest` (filled in by the sender and digest work)."""
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Send the outbox, gather digests.")


def init_app(app):
    """Register the `mail` commands."""
    app.cli.add_command(mail_cli)
