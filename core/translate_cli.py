"""`flask translate`: extract, update, compile and check the message catalogs (README, "Languages")."""
import click

from core import catalogs
from core.config import LANGUAGES

group = click.Group("translate", help="Extract, update, compile and check the message catalogs.")


@group.command("update")
def update_command():
    """Extract the strings and merge them into every catalog (new ones come in empty)."""
    catalogs.update()
    click.echo(f"Updated {catalogs.TEMPLATE.name} and the catalogs of {', '.join(LANGUAGES)}.")


@group.command("compile")
def compile_command():
    """Compile every catalog into the .mo file the application reads."""
    catalogs.compile_all()
    click.echo(f"Compiled {', '.join(LANGUAGES)}.")


@group.command("check")
def check_command():
    """List what is missing, empty, fuzzy or broken in the catalogs; exit 1 if anything is."""
    template = catalogs.extract()
    found = [problem for language in LANGUAGES
             for problem in catalogs.problems(language, template)]
    for problem in found:
        click.echo(problem)
    stale = [language for language in LANGUAGES
             if catalogs.compiled(language) != catalogs.compiled_from_po(language)]
    for language in stale:
        click.echo(f"{language}: the .mo file is older than the .po: run `flask translate compile`")
    if found or stale:
        raise SystemExit(1)
    click.echo(f"{len([m for m in template if m.id])} strings, complete in {', '.join(LANGUAGES)}.")


def init_app(app):
    app.cli.add_command(group)
