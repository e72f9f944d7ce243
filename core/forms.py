"""The base of every form and helpers shared by every form."""
from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

from core.i18n import lazy_gettext as _l
from core.ids import MAX_ID, id_number

NUL_MESSAGE = _l("This field held an invisible character that cannot be stored (a NUL byte). "
                 "It was removed: check the text and send it again.")
# render_kw of a <select> that opens on a real choice (a language): HTML wants a required select
# to open on an empty placeholder, so the page does not say "required"; the server still does.
OPENS_ON_A_CHOICE = {"required": False}
OUT_OF_DATE_MESSAGE = _l("This form is out of date: reload the page and make your change again.")
ID_MESSAGE = _l("This form pointed to something that does not exist. The link was removed: "
                "send the form again.")


# Flask-WTF writes its CSRF errors in English only: each gets our translated sentence.
CSRF_MESSAGES = {
    "The CSRF token is missing.": _l("This form lacks its security token. Reload the page and "
                                     "send it again."),
    "The CSRF session token is missing.": _l("Your session ended while the form was open. "
                                             "Reload the page and send it again."),
    "The CSRF token has expired.": _l("This form was open too long and has expired. Reload the "
                                      "page and send it again."),
    "The CSRF token is invalid.": _l("This form's security token is not valid. Reload the page "
                                     "and send it again."),
    "The CSRF tokens do not match.": _l("This form's security token is not valid. Reload the "
                                        "page and send it again."),
}


class _CatalogTranslations:
    """WTForms' own messages ("This field is required.") through Carnets' catalogs, which
    carry them in all six languages (core.catalogs.extract adds them). WTForms fills the
    placeholders itself: Flask-Babel's ngettext would fill `%(num)s` and fail on the others."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


CATALOG_TRANSLATIONS = _CatalogTranslations()


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class Form(FlaskForm):
    """Every form of the application: a NUL byte in any field (PostgreSQL refuses it in text,
    no keyboard types it) is a field error, and the field comes back without it."""

    class Meta:
        def get_translations(self, form):
            return CATALOG_TRANSLATIONS

    def validate(self, extra_validators=None):
        holding = [field for field in self
                   if any("\x00" in str(value) for value in field.raw_data or ())]
        for field in holding:
            field.raw_data = _without_nul(field.raw_data)
            field.data = _without_nul(field.data)
        valid = super().validate(extra_validators)
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and csrf_field.errors:
            self.form_errors.extend(str(CSRF_MESSAGES.get(str(error), CSRF_MESSAGES[
                "The CSRF token is invalid."])) for error in csrf_field.errors)
        for field in holding:
            field.errors = list(field.errors) + [str(NUL_MESSAGE)]
        # A hidden field has no place to show its error: the top of the form shows it.
        for field in self:
            if field.type in ("IdField", "HiddenField", "RevisionField") and field.errors:
                self.form_errors.extend(str(error) for error in field.errors)
        return valid and not holding


class ActionForm(Form):
    """Buttons that change state (vote, accept, delete, restore): a CSRF token and nothing else."""


class IdField(HiddenField):
    """A hidden id or number (a parent comment, a module, a revision): empty, or a number in
    1..MAX_ID; anything else is a form error and the field comes back empty."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = id_number(valuelist[0])
            except ValueError:
                raise ValueError(str(ID_MESSAGE)) from None

    def _value(self):
        return "" if self.data is None else str(self.data)


class IdRange:
    """Validator of a field whose data is an id or a list of ids (select boxes, checkboxes):
    each within 1..MAX_ID, or `allow` (such as 0 for "none")."""

    def __init__(self, allow=()):
        self.allow = tuple(allow)

    def __call__(self, form, field):
        values = field.data if isinstance(field.data, (list, tuple)) else [field.data]
        for value in values:
            if value is None or value in self.allow:
                continue
            if not isinstance(value, int) or not 1 <= value <= MAX_ID:
                raise ValidationError(str(ID_MESSAGE))


def attach_error(form, error):
    """Show a domain error beside the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def form_status(form):
    """The status of a page showing this form: 400 when it holds errors, so that nothing
    reading the response takes a refused submission for a success."""
    return 400 if form.errors or form.form_errors else 200


# Revision numbers a form may carry: anything else is a forged or broken form.
REVISION_RANGE = (0, 2 ** 31 - 1)


class RevisionField(HiddenField):
    """The hidden number of the revision a form was opened on (or read, for a review): 0 when
    there is none yet. Required: without it a stale edit or decision would go through
    unchecked, so a missing or malformed one is a form error and the field comes back empty.
    `minimum` 1 where the text always has a first revision (forum posts)."""

    def __init__(self, *args, minimum=REVISION_RANGE[0], **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum = minimum

    def process_formdata(self, valuelist):
        self.data = None
        text = str(valuelist[0]).strip() if valuelist else ""
        if (text.isascii() and text.isdigit() and len(text) <= 10
                and self.minimum <= int(text) <= REVISION_RANGE[1]):
            self.data = int(text)

    def pre_validate(self, form):
        if self.data is None:
            raise ValidationError(str(OUT_OF_DATE_MESSAGE))

    def _value(self):
        return "" if self.data is None else str(self.data)
