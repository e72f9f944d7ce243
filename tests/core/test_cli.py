"""`flask create-user`: the command that makes the first administrator and the experts."""
import pytest
from sqlalchemy import func, select

from core.accounts import services
from core.accounts.models import User
from core.extensions import db

SECRET = "a long enough secret"


def _invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["create-user", *args], input=input)


def _users(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_create_user_with_a_role(app, login):
    result = _invoke(app, "Amina", "--email", "Amina@Example.org", "--password", SECRET,
                     "--role", "expert", "--display-name", "Amina Keita")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created expert Amina <amina@example.org>."
    with app.app_context():
        user = services.get_user_by_username("amina")
        assert (user.role, user.display_name) == ("expert", "Amina Keita")
    login(app.test_client(), "Amina", SECRET)


def test_create_user_defaults_to_member(app):
    result = _invoke(app, "Bakary", "--email", "bakary@example.org", "--password", SECRET)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert services.get_user_by_username("bakary").role == "member"


def test_create_user_asks_for_the_password_twice(app):
    result = _invoke(app, "Fara", "--email", "fara@example.org", "--role", "admin",
                     input=f"{SECRET}\n{SECRET}\n")
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output  # typed without echo
    with app.app_context():
        assert services.authenticate("fara", SECRET).role == "admin"


@pytest.mark.parametrize("args, message", [
    (["amina", "--email", "other@example.org"], "username: This user name is already taken."),
    (["Other", "--email", "AMINA@example.org"],
     "email: This e-mail address cannot be used."),
])
def test_a_duplicate_gives_a_clear_error(app, args, message):
    assert _invoke(app, "Amina", "--email", "amina@example.org", "--password", SECRET
                   ).exit_code == 0
    result = _invoke(app, *args, "--password", SECRET, "--role", "admin")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}"
    assert "Traceback" not in result.output
    assert _users(app) == 1


def test_a_short_password_is_refused(app):
    result = _invoke(app, "Amina", "--email", "amina@example.org", "--password", "short")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: password: At least 8 characters."
    assert _users(app) == 0


def test_a_bad_user_name_is_refused(app):
    result = _invoke(app, "a b", "--email", "amina@example.org", "--password", SECRET)
    assert result.exit_code == 1
    assert "username: 3 to 30 letters, digits or underscores." in result.output
    assert _users(app) == 0


def test_an_unknown_role_is_refused(app):
    result = _invoke(app, "Amina", "--email", "amina@example.org", "--password", SECRET,
                     "--role", "root")
    assert result.exit_code == 2
    assert "'root' is not one of" in result.output
    assert _users(app) == 0


def test_the_email_is_required(app):
    result = _invoke(app, "Amina", "--password", SECRET)
    assert result.exit_code == 2
    assert "--email" in result.output
    assert _users(app) == 0
