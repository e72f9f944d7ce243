"""The thesaurus form: one concept, its names in each content language, its tags."""
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.config import LANGUAGES
from core.forms import Form
from core.i18n import language_name
from core.i18n import lazy_gettext as _l
from search_index.concepts import MAX_NAME, MAX_NAMES, MAX_SLUG, MAX_TAG, MAX_TAGS

# A language's names, one a line: the most lines of the longest names, with their newlines.
NAMES_LENGTH = MAX_NAMES * (MAX_NAME + 2)
TAGS_LENGTH = MAX_TAGS * (MAX_TAG + 1)


class ConceptForm(Form):
    """A concept; the names fields are added per content language (names_fr, names_en...)."""

    slug = StringField(_l("Identifier"), validators=[
        InputRequired(), Length(max=MAX_SLUG, message=_l("At most %(max)d characters."))],
        description=_l("Lower-case letters, digits and hyphens, e.g. street-outreach."))
    tags = StringField(_l("Tags"), validators=[
        Length(max=TAGS_LENGTH, message=_l("At most %(max)d characters."))],
        description=_l("Tags that stand for this concept, separated by spaces or commas."))

    def names(self):
        """{lang: [name, ...]} as typed, one name a line."""
        return {lang: (getattr(self, "names_" + lang).data or "").splitlines()
                for lang in LANGUAGES}

    def name_fields(self):
        """The names fields, in the order of the content languages."""
        return [getattr(self, "names_" + lang) for lang in LANGUAGES]

    def tag_list(self):
        """The tags typed, split on spaces and commas."""
        return (self.tags.data or "").replace(",", " ").split()


for _lang in LANGUAGES:
    setattr(ConceptForm, "names_" + _lang, TextAreaField(
        _l("Names in %(language)s", language=language_name(_lang)),
        validators=[Length(max=NAMES_LENGTH, message=_l("At most %(max)d characters."))],
        description=_l("One name a line, as practitioners say it."),
        render_kw={"lang": _lang, "rows": 3}))
