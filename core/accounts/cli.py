"""`flask create-user`: make an account from the command line (first admin, experts)."""
import click
from flask.cli import with_appcontext

from core.accounts import services
from core.accounts.models import ROLES
from core.errors import InvalidInput


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--email", required=True, help="E-mail address of the account.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Password (asked for when omitted).")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--display-name", default=None, help="Name shown on pages (default: USERNAME).")
def create_user_command(username, email, password, role, display_name):
    """Create an account with the given role."""
    try:
        user = services.create_user(username, email, password, role=role,
                                    display_name=display_name)
    except InvalidInput as error:
        raise click.ClickException(f"{error.field or 'error'}: {error.message}") from None
    click.echo(f"Created {user.role} {user.username} <{user.email}>.")


def init_app(app):
    app.cli.add_command(create_user_command)
