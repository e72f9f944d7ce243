"""`flask search sync|rebuild|stats`: keep the index in step with the database.

A document the engine refuses never stops the others: both commands index every other one and
say how many failed. `sync` then exits with status 1, so that the cron job or worker running
it is seen failing; `rebuild` exits with 0, since the new index is live and complete but for
those documents (`make run` rebuilds before serving, and one bad post must not keep the site
down): the documents wait, counted in `stats`, for the next `sync`.
"""
import sys

import click
from flask import Blueprint
from flask_babel import gettext as _, ngettext
from sqlalchemy.orm import Session

from core.extensions import db
from search_index import indexing, registry

bp = Blueprint("search_cli", __name__, cli_group="search")


def _report_failures(count):
    click.echo(ngettext("%(num)s document could not be indexed: see the log, and "
                        "`flask search stats`.",
                        "%(num)s documents could not be indexed: see the log, and "
                        "`flask search stats`.", count), err=True)


@bp.cli.command("sync")
def sync():
    """Index every queued change (after a crash, or from a worker), try again the documents
    that failed, and purge old queue rows."""
    done = indexing.drain(wait=True, retry=True)
    purged = indexing.purge_done()
    click.echo(_("%(n)s queued changes indexed, %(p)s old queue rows purged.", n=done.indexed,
                 p=purged))
    if done.failed:
        _report_failures(done.failed)
        sys.exit(1)


@bp.cli.command("rebuild")
@click.option("--if-outdated", is_flag=True,
              help="Only when the index was made by an older release (make run uses it).")
def rebuild(if_outdated):
    """Re-create the index from the database; the site keeps serving meanwhile."""
    if if_outdated and registry.backend().stats().get("schema", "current") == "current":
        return
    with Session(db.engine) as session:
        total = indexing.count_documents(session)
    with click.progressbar(length=total, label=_("Indexing")) as bar:
        done = indexing.rebuild(progress=bar.update)
    click.echo(_("%(n)s documents indexed.", n=done.indexed))
    if done.failed:
        _report_failures(done.failed)


@bp.cli.command("stats")
def stats():
    """Print what the index holds, and what waits for it."""
    for name, value in registry.backend().stats().items():
        click.echo(f"{name}: {value}")
    with Session(db.engine) as session:
        for name, value in indexing.queue_stats(session).items():
            click.echo(f"{name}: {value}")
