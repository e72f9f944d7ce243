"""`flask --app wsgi knowledge export NOTEBOOK`: the offline bundle of a notebook."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core.errors import NotFound
from knowledge.services import export

knowledge_cli = AppGroup("knowledge", help="Knowledge base: offline export.")


@knowledge_cli.command("export")
@click.argument("notebook")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Where to write the zip (default: NOTEBOOK.zip in the current folder).")
def export_command(notebook, output):
    """Write NOTEBOOK (its slug) with its modules and published articles as a zip of static
    HTML pages that open without a connection."""
    try:
        pages = export.pages_of(notebook)
    except NotFound:
        raise click.ClickException(f"No notebook “{notebook}”. Notebooks: "
                                   + ", ".join(export.notebook_slugs())) from None
    # Pages render with the site's templates (language, dates): in a request context.
    with current_app.test_request_context("/"), \
            click.progressbar(length=len(pages), label="Writing pages") as bar:
        bundle = export.build(notebook, progress=bar.update, pages=pages)
    path = Path(output or bundle.filename)
    path.write_bytes(bundle.data)
    click.echo(f"{path}: {bundle.pages} pages, {len(bundle.data) / 1024:.0f} KB. Unzip it and "
               f"open {notebook}/index.html in any browser, without a connection.")
