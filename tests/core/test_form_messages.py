"""Form errors reach the reader in their language: WTForms' own messages and the CSRF errors
go through Carnets' catalogs."""
from flask_babel import force_locale, gettext

from core.accounts.forms import RegisterForm


def _french(app, msgid):
    with app.test_request_context(), force_locale("fr"):
        return gettext(msgid)


def test_wtforms_messages_are_shown_in_the_readers_language(app, client):
    client.set_cookie("carnets_locale", "fr")
    page = client.post_form("/auth/register", {"username": "", "email": "not-an-address",
                                                "password": "short", "confirm": "short"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    required = _french(app, "This field is required.")
    invalid_email = _french(app, "Invalid email address.")
    assert required != "This field is required."
    assert required in html and "This field is required." not in html
    assert invalid_email in html and "Invalid email address." not in html


def test_a_form_csrf_error_is_translated(app):
    # CSRFProtect refuses such a post before any view (core/errors.py); a form validated on its
    # own (a test, a future API) still says it in the reader's language.
    with app.test_request_context("/auth/register", method="POST", data={"csrf_token": "x"},
                                  headers={"Accept-Language": "fr"}):
        form = RegisterForm()
        assert not form.validate()
        assert form.form_errors
        assert all("CSRF" not in error for error in form.form_errors)
        with force_locale("fr"):
            expected = gettext("This form's security token is not valid. Reload the page and "
                               "send it again.")
        assert expected in form.form_errors


def test_a_wtforms_plural_message_keeps_its_own_placeholders(app, user_client):
    # "'%(value)s' are not valid choices…": WTForms fills `value` after translation; filling
    # `num` first (as Flask-Babel's ngettext does) raised a KeyError, a 500 page.
    member = user_client()
    member.set_cookie("carnets_locale", "fr")
    page = member.post_form("/auth/profile", {
        "display_name": "Amina", "email": f"{member.username}@example.org", "country": "ZZZ",
        "locale": "", "languages": ["xx", "yy"], "bio": ""})
    assert page.status_code == 400
    assert "xx" in page.get_data(as_text=True)
