"""Account services without HTTP: registration rules, authentication, profile and password."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts import services
from core.accounts.models import User
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.timeutil import utcnow

PASSWORD = "correct horse battery"


def _user(username="Amina", email="amina@example.org", password=PASSWORD, **fields):
    return services.create_user(username, email, password, **fields)


def _field_error(call):
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.field, str(caught.value.message)


# --- create_user -------------------------------------------------------------------------

def test_create_user_stores_the_account(ctx):
    _user(role="expert", display_name="Amina K.", organisation="Samu Social",
          country="CM", locale="fr")
    db.session.remove()
    stored = db.session.scalar(select(User).where(User.username == "Amina"))
    assert (stored.email, stored.role, stored.display_name, stored.organisation,
            stored.country, stored.locale) == ("amina@example.org", "expert", "Amina K.",
                                               "Samu Social", "CM", "fr")
    assert stored.has_role("member") and not stored.has_role("moderator")


def test_password_is_not_stored_in_clear(ctx):
    user = _user()
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("pbkdf2:")  # the fast method of the test settings


def test_display_name_defaults_to_the_user_name(ctx):
    assert _user(username="Bakary").name == "Bakary"


def test_user_names_are_unique_without_regard_to_case(ctx):
    _user(username="Amina")
    field, message = _field_error(lambda: _user(username="aMINA", email="other@example.org"))
    assert field == "username"
    assert message == "This user name is already taken."
    assert services.count_users() == 1


def test_email_addresses_are_unique_without_regard_to_case(ctx):
    _user(email="amina@example.org")
    field, message = _field_error(lambda: _user(username="Other", email=" Amina@Example.ORG "))
    assert field == "email"
    assert message == "This e-mail address cannot be used."
    assert services.count_users() == 1


def test_email_is_stored_lower_case(ctx):
    assert _user(email="Amina@Example.ORG").email == "amina@example.org"


@pytest.mark.parametrize("username", ["ab", "a" * 31, "with space", "amina!", "émile", "",
                                      "a-b-c", "<script>"])
def test_bad_user_names_are_refused(ctx, username):
    field, message = _field_error(lambda: _user(username=username))
    assert field == "username"
    assert message == "3 to 30 letters, digits or underscores."
    assert services.count_users() == 0


@pytest.mark.parametrize("username", ["abc", "a" * 30, "Jean_Paul2"])
def test_good_user_names_are_accepted(ctx, username):
    assert _user(username=username).username == username


def test_short_password_is_refused(ctx):
    field, message = _field_error(lambda: _user(password="1234567"))
    assert field == "password"
    assert message == "At least 8 characters."
    assert services.count_users() == 0


def test_unknown_role_is_refused(ctx):
    field, message = _field_error(lambda: _user(role="root"))
    assert field == "role"
    assert message == "Unknown role."
    assert services.count_users() == 0


def test_invalid_email_is_refused(ctx):
    field, _ = _field_error(lambda: _user(email="not-an-address"))
    assert field == "email"


# --- authenticate ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Amina", "amina", "AMINA", "  amina ", "amina@example.org",
                                  "Amina@Example.org"])
def test_authenticate_by_user_name_in_any_case_or_by_email(ctx, name):
    created = _user()
    assert services.authenticate(name, PASSWORD).id == created.id


def test_authenticate_records_last_seen(ctx):
    user = _user()
    assert user.last_seen_at is None
    before = utcnow()
    services.authenticate("amina", PASSWORD)
    db.session.remove()
    assert services.get_user_by_username("amina").last_seen_at >= before


def test_wrong_password_and_unknown_user_give_the_same_error(ctx):
    _user()
    with pytest.raises(InvalidInput) as wrong_password:
        services.authenticate("amina", "not the password")
    with pytest.raises(InvalidInput) as unknown_user:
        services.authenticate("nobody", PASSWORD)
    with pytest.raises(InvalidInput) as unknown_email:
        services.authenticate("nobody@example.org", PASSWORD)
    messages = {str(error.value.message) for error in (wrong_password, unknown_user, unknown_email)}
    assert messages == {"Unknown user name or wrong password."}
    assert {error.value.field for error in (wrong_password, unknown_user, unknown_email)} == {None}


def test_password_is_case_sensitive(ctx):
    _user()
    with pytest.raises(InvalidInput):
        services.authenticate("amina", PASSWORD.upper())


def test_suspended_user_cannot_authenticate(ctx):
    user = _user()
    user.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        services.authenticate("amina", PASSWORD)
    assert str(caught.value.message).startswith("This account is suspended until ")


def test_suspension_ends_by_itself(ctx):
    user = _user()
    user.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert services.authenticate("amina", PASSWORD).id == user.id


# --- update_profile ----------------------------------------------------------------------

def _update(user, **changes):
    fields = dict(display_name="Amina K.", organisation="", country="", locale="",
                  languages=[], bio="")
    fields.update(changes)
    return services.update_profile(user, **fields)


def test_update_profile_saves_every_field(ctx):
    user = _user()
    _update(user, display_name="  Amina Keita ", organisation="Samu Social", country="cm",
            locale="es", languages=["fr", "en", "xx"], bio="Educator in Douala.")
    db.session.remove()
    stored = services.get_user_by_username("amina")
    assert (stored.display_name, stored.email, stored.organisation, stored.country,
            stored.locale, stored.languages, stored.bio) == (
        "Amina Keita", "amina@example.org", "Samu Social", "CM", "es", "fr en",
        "Educator in Douala.")


def test_update_profile_ignores_an_unknown_locale(ctx):
    user = _user(locale="fr")
    assert _update(user, locale="de").locale is None


def test_empty_display_name_falls_back_to_the_user_name(ctx):
    assert _update(_user(), display_name="").name == "Amina"


# --- change_password ---------------------------------------------------------------------

def test_change_password(ctx):
    user = _user()
    services.change_password(user, PASSWORD, "a brand new secret")
    db.session.remove()
    assert services.authenticate("amina", "a brand new secret").username == "Amina"
    with pytest.raises(InvalidInput):
        services.authenticate("amina", PASSWORD)


def test_change_password_needs_the_current_one(ctx):
    user = _user()
    field, message = _field_error(
        lambda: services.change_password(user, "wrong current", "a brand new secret"))
    assert (field, message) == ("current_password", "The current password is wrong.")
    db.session.remove()
    assert services.authenticate("amina", PASSWORD).username == "Amina"


def test_change_password_refuses_a_short_one(ctx):
    user = _user()
    field, _ = _field_error(lambda: services.change_password(user, PASSWORD, "short"))
    assert field == "password"
    db.session.remove()
    assert services.authenticate("amina", PASSWORD).username == "Amina"


# --- roles and lookup --------------------------------------------------------------------

def test_set_role(ctx):
    user = _user()
    services.set_role(user, "moderator")
    assert services.get_user_by_username("AMINA").has_role("expert")
    with pytest.raises(InvalidInput):
        services.set_role(user, "king")


def test_get_user_by_username_raises_not_found(ctx):
    with pytest.raises(NotFound):
        services.get_user_by_username("nobody")


# --- outside a request (CLI commands, workers) ------------------------------------------

def test_domain_error_outside_a_request(ctx):
    """In an app context alone, a lazy error message is read in the default locale."""
    _user()
    with pytest.raises(InvalidInput) as caught:
        _user(email="other@example.org")
    assert str(caught.value.message) == "This user name is already taken."


# --- the slow KDF of a real deployment -----------------------------------------------------

def test_default_password_hash_is_scrypt(separate_app, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    app = separate_app(without=("PASSWORD_HASH_METHOD",))
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.app_context():
        user = _user()
        assert user.password_hash.startswith("scrypt:")
        assert services.authenticate("amina", PASSWORD).id == user.id
