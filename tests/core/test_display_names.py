"""Nobody can pass for someone else: a display name may not equal another account's display
name or user name, whatever the case, the accents, the spacing or invisible characters."""
import pytest

from core.accounts import services
from core.errors import InvalidInput
from core.extensions import db
from tests.core.forms_html import field_errors

NAME_TAKEN = "Another account already goes by this name."


def _profile(user, display_name):
    return services.update_profile(user, display_name, "", "", "", [], "")


@pytest.fixture
def people(ctx):
    """An admin "Fara" shown as "Fara Rakoto", and a member "Bakary" who wants a new name."""
    services.create_user("Fara", "fara@example.org", "correct horse battery", role="admin",
                         display_name="Fara Rakotoarisoa")
    return services.create_user("Bakary", "bakary@example.org", "correct horse battery")


@pytest.mark.parametrize("name", [
    "Fara Rakotoarisoa", "fara rakotoarisoa", "FARA RAKOTOARISOA",
    "Fára Rakotoarisoá", "  Fara   Rakotoarisoa ", "Fara\u00a0Rakotoarisoa",
    "Fara\u200bRakotoarisoa", "Fara Rako\u200dtoarisoa\ufeff", "Fara\tRakotoarisoa",
    "ＦＡＲＡ Rakotoarisoa", "FaraRakotoarisoa", "Fara Rakotoarisoa\u0301",
])
def test_another_accounts_display_name_is_refused(people, name):
    with pytest.raises(InvalidInput) as caught:
        _profile(people, name)
    assert (caught.value.field, caught.value.message) == ("display_name", NAME_TAKEN)
    db.session.rollback()
    assert services.get_user_by_username("Bakary").display_name == "Bakary"


@pytest.mark.parametrize("name", ["Fara", "fara", "FÁRA", "F\u200bara", " f a r a "])
def test_another_accounts_user_name_is_refused(people, name):
    with pytest.raises(InvalidInput) as caught:
        _profile(people, name)
    assert caught.value.field == "display_name"


@pytest.mark.parametrize("name", ["Bakary", "BAKARY", "Bakary Traoré", "Fara R.",
                                  "Rakotoarisoa Fara"])
def test_own_user_name_and_new_names_are_accepted(people, name):
    assert _profile(people, name).display_name == name


def test_khmer_names_differing_by_a_vowel_sign_are_different_people(people):
    # U+17B7 and U+17BB are combining vowel signs: letters of a Khmer name, not accents.
    _profile(people, "\u179f\u17bb\u1781")
    other = services.create_user("Dara", "dara@example.org", "correct horse battery")
    assert _profile(other, "\u179f\u17b7\u1781").display_name == "\u179f\u17b7\u1781"
    with pytest.raises(InvalidInput):
        _profile(other, "\u179f\u17bb\u1781")


def test_keeping_ones_own_display_name_is_accepted(people):
    _profile(people, "Bakary Traoré")
    assert _profile(people, "bakary traore").display_name == "bakary traore"


def test_registration_refuses_a_user_name_that_is_someone_elses_display_name(people):
    with pytest.raises(InvalidInput) as caught:
        services.create_user("FaraRakotoarisoa", "x@example.org", "correct horse battery")
    assert caught.value.field == "username"


def test_create_user_refuses_a_taken_display_name(people):
    with pytest.raises(InvalidInput) as caught:
        services.create_user("Moussa", "moussa@example.org", "correct horse battery",
                             display_name="BAKARY")
    assert caught.value.field == "display_name"


def test_profile_page_refuses_an_admins_name_and_keeps_what_was_typed(app, make_user,
                                                                      user_client):
    make_user("admin", username="Fara", display_name="Fara Rakotoarisoa")
    client = user_client()
    response = client.post_form("/auth/profile", {
        "display_name": "fara rakotoarisóa", "email": f"{client.username}@example.org",
        "organisation": "Samu Social", "country": "", "locale": "", "bio": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(page, "display_name") == [NAME_TAKEN]
    assert 'value="fara rakotoarisóa"' in page and 'value="Samu Social"' in page
    with app.app_context():
        assert services.get_user_by_username(client.username).display_name == client.username
        db.session.remove()
