"""`flask search sync|rebuild|stats`: keep the index in step with the database.

A document the engine refuses never stops the others: both commands index every other one and
say how many failed. `sync` then exits with status 1, so that the cron job or worker running
it is seen failing; `rebuild` exits with 0, since the new index is live and complete but for
those documents (`make run` rebuilds before serving, and one bad post must not keep the site
down): the documents wait, counted in `stats`, for the next `sync`.
"""
import sys

import click
from flask import Blueprint, current_app
from flask_babel import gettext as _, ngettext
from sqlalchemy.orm import Session

from core.extensions import db
from search_index import concepts, indexing, registry, thesaurus

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


@bp.cli.group("thesaurus")
def thesaurus_group():
    """The thesaurus in the database: import it from a file, export it to one."""


@thesaurus_group.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Delete the concepts the file does not hold.")
@click.option("--if-empty", is_flag=True, help="Only when the database has no concept yet "
              "(make run uses it).")
def thesaurus_import(path, replace, if_empty):
    """Load concepts from PATH (default: SEARCH_THESAURUS or the shipped thesaurus.json)."""
    data = thesaurus.read_file(path or current_app.config.get("SEARCH_THESAURUS"))
    written = concepts.import_concepts(data, replace=replace, only_if_empty=if_empty)
    click.echo(_("%(n)s concepts imported.", n=written))
    if written and not if_empty:
        click.echo(_("Run `flask search rebuild` so that indexed posts carry them."))


@thesaurus_group.command("export")
@click.argument("path", required=False, type=click.Path(dir_okay=False, writable=True))
def thesaurus_export(path):
    """Write the concepts as JSON to PATH (default: standard output)."""
    text = concepts.export_concepts()
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
