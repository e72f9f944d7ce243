"""`flask mail send` and `flask mail digest` (filled in by the sender and digest work)."""
import click
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Send the outbox, gather digests.")


@mail_cli.command("digest")
@click.option("--period", type=click.Choice(["daily", "weekly"]), required=True,
              help="Which digest to gather: run daily from cron, or weekly.")
def digest_command(period):
    """Queue one digest mail per member who chose that period for some kind of notification
    (unread notifications not mailed yet). Safe to run twice or from several servers."""
    # Imported here: core.notifications queues mail through core.mail.
    from core.notifications import digest

    queued = digest.gather(period)
    click.echo(f"Queued {queued} {period} digest(s).")


def init_app(app):
    """Register the `mail` commands."""
    app.cli.add_command(mail_cli)
