"""`flask search sync|rebuild|stats`: keep the index in step with the database."""
import click
from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from core.extensions import db
from search_index import indexing, registry

bp = Blueprint("search_cli", __name__, cli_group="search")


@bp.cli.command("sync")
def sync():
    """Index every queued change (after a crash, or from a worker) and purge old queue rows."""
    count = indexing.drain(wait=True)
    purged = indexing.purge_done()
    click.echo(_("%(n)s queued changes indexed, %(p)s old queue rows purged.", n=count,
                 p=purged))


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
        count = indexing.rebuild(progress=bar.update)
    click.echo(_("%(n)s documents indexed.", n=count))


@bp.cli.command("stats")
def stats():
    """Print what the index holds."""
    for name, value in registry.backend().stats().items():
        click.echo(f"{name}: {value}")
