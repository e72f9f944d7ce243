"""Account forms: they validate input and never write to the database."""
from flask import current_app
from flask_babel import ngettext
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional
from wtforms.validators import Regexp

from core.config import LANGUAGES
from core.forms import Form
from core.i18n import language_name
from core.i18n import lazy_gettext as _l


def _language_choices(blank=None):
    choices = [(code, language_name(code)) for code in LANGUAGES]
    return ([("", blank)] if blank else []) + choices


class RegisterForm(Form):
    username = StringField(_l("User name"), validators=[
        InputRequired(), Regexp(r"^[A-Za-z0-9_]{3,30}$",
                                message=_l("3 to 30 letters, digits or underscores."))])
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(min=8, max=200)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class LoginForm(Form):
    username = StringField(_l("User name or e-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay signed in on this device"))
    shared_device = BooleanField(_l("This is a shared device"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = current_app.config["CARNETS_SHARED_SESSION_MINUTES"]
        self.shared_device.description = ngettext(
            "Signs you out after %(num)s minute without use and keeps no page on this device "
            "(\"Stay signed in\" is then ignored).",
            "Signs you out after %(num)s minutes without use and keeps no page on this device "
            "(\"Stay signed in\" is then ignored).", minutes)


class ProfileForm(Form):
    display_name = StringField(_l("Display name"), validators=[InputRequired(), Length(max=80)])
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=120)])
    country = StringField(_l("Country (two-letter code)"), validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. CM or PE."))])
    locale = SelectField(_l("Interface language"), description=_l(
        "The language menu at the top of every page changes it too."))
    languages = SelectMultipleField(_l("Languages you speak"))
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=2000)])
    # Its own id: the password form of the same page has a "current_password" too.
    current_password = PasswordField(
        _l("Current password"), id="email_current_password",
        validators=[Optional(), Length(max=200)],
        description=_l("Needed only to change your e-mail address. We then send a link to the "
                       "new address; the change is made when you open it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = _language_choices(blank=_l("As my browser says"))
        self.languages.choices = _language_choices()


class PasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(min=8, max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ForgotForm(Form):
    login = StringField(_l("E-mail or user name"), validators=[DataRequired(), Length(max=254)])


class ResetForm(Form):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(min=8, max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])
