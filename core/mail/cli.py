"""`flask mail send` (sender.py, once or `--loop`) and `flask mail digest` (digests)."""
import time

import click
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Send the outbox, gather digests.")


def _drain(limit):
    """Send until a pass finds fewer than `limit` messages due; the summed counts."""
    from core.mail.sender import OUTCOMES, send_due

    total = dict.fromkeys(OUTCOMES, 0)
    while True:
        counts = send_due(limit)
        for outcome, count in counts.items():
            total[outcome] += count
        if sum(counts.values()) < limit:
            return total


def _line(counts):
    return ", ".join(f"{outcome} {count}" for outcome, count in counts.items())


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep sending, every --interval seconds.")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(1),
              help="Seconds between two passes of --loop.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1),
              help="Messages taken at a time.")
def send_command(loop, interval, limit):
    """Send the messages due. Safe from cron every minute and on several servers at once:
    each message is taken by one sender."""
    if not loop:
        click.echo(_line(_drain(limit)))
        return
    click.echo(f"Sending every {interval} s; Ctrl-C stops.")
    try:
        while True:
            try:
                counts = _drain(limit)
                if any(counts.values()):
                    click.echo(_line(counts))
            except Exception as error:  # the database away for a moment: try again later
                from core.extensions import db

                db.session.rollback()
                click.echo(f"error: {error}", err=True)
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


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
