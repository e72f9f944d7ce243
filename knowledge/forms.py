"""Knowledge-base forms: validation only (the services check again and say why)."""
from wtforms import (DateField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.config import LANGUAGES
from core.forms import OPENS_ON_A_CHOICE, ActionForm, Form, IdRange, RevisionField
from core.i18n import language_name
from core.i18n import lazy_gettext as _l
from knowledge.services.editing import BODY_LENGTH, SUMMARY_LENGTH, TITLE_LENGTH
from knowledge.services.workflow import COMMENT_LENGTH


def _length(bounds):
    low, high = bounds
    return Length(min=low, max=high, message=_l("Write between %(min)d and %(max)d characters."))


class CheckboxList(SelectMultipleField):
    """Several choices as checkboxes: usable without JavaScript on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArticleForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired(), _length(TITLE_LENGTH)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), _length(SUMMARY_LENGTH)],
                            description=_l("Two or three sentences: the practice and when it "
                                           "helps."))
    body = TextAreaField(_l("Article"), validators=[InputRequired(), _length(BODY_LENGTH)],
                         description=_l("Markdown allowed. Never a child's name, address or "
                                        "phone number."))
    tags = StringField(_l("Tags"), validators=[InputRequired(), Length(max=200)],
                       description=_l("1 to 5 tags, separated by spaces or commas"))
    lang = SelectField(_l("Language of the article"), validators=[InputRequired()],
                       render_kw=OPENS_ON_A_CHOICE)
    countries = StringField(_l("Countries where it applies"),
                            validators=[Optional(), Length(max=200)],
                            description=_l("Two-letter codes separated by spaces, e.g. MA CD PE. "
                                           "Leave empty when it applies everywhere."))
    modules = CheckboxList(_l("Training modules"), coerce=int, validate_choice=False,
                           validators=[IdRange()])
    review_by = DateField(_l("Check again by"), validators=[Optional()],
                          description=_l("Laws and services change: the article is listed for "
                                         "re-verification after this date (a year after "
                                         "publication when empty)."))
    translation_of = SelectField(_l("Translation of"), coerce=int, validate_choice=False,
                                 validators=[IdRange(allow=(0,))],
                                 description=_l("The article this one translates, if any."))
    edit_summary = StringField(_l("Edit summary"), validators=[Optional(), Length(max=200)],
                               description=_l("What did you change, and why?"))

    def __init__(self, *args, modules=(), articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [(code, language_name(code)) for code in LANGUAGES]
        # Grouped by notebook (the group names it and its language): "3. Title" is enough.
        self.modules.choices = [(module.id, f"{module.position}. {module.title}")
                                for module in modules]
        self._notebooks = {}
        for module in modules:
            self._notebooks.setdefault(module.notebook, []).append(module.id)
        self.translation_of.choices = [(0, _l("None: this is an original"))] + list(articles)

    def module_groups(self):
        """([(notebook, its checkbox options)] in the article's language, [...] in the other
        languages). An article links only to modules in its own language (the service refuses
        the others); the others stay reachable, named with their language, so that an expert
        who changes the article's language in the same form still finds its modules."""
        options = {option.data: option for option in self.modules}
        own, other = [], []
        for notebook, ids in self._notebooks.items():
            group = (notebook, [options[module_id] for module_id in ids])
            (own if notebook.lang == self.lang.data else other).append(group)
        return own, other


class EditArticleForm(ArticleForm):
    # The revision the editor started from: a save from an older one is a conflict.
    base_revision = RevisionField()


class PromoteForm(Form):
    answers = CheckboxList(_l("Answers to build the article from"), coerce=int,
                           validate_choice=False, validators=[IdRange()])


class ReturnForm(Form):
    comment = TextAreaField(_l("What should change before publication?"),
                            validators=[InputRequired(), _length(COMMENT_LENGTH)])
    revision = RevisionField()


class ApproveForm(ActionForm):
    # The revision the reviewer read: approving a text they have not seen is refused.
    revision = RevisionField()


class NotebookForm(Form):
    slug = StringField(_l("Address"), validators=[Optional(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens; it cannot change "
                                      "later (links and offline copies use it)."))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(min=5, max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=60000)])
    lang = SelectField(_l("Language of the notebook"), validators=[InputRequired()],
                       render_kw=OPENS_ON_A_CHOICE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [(code, language_name(code)) for code in LANGUAGES]


class ModuleForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(min=5, max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=60000)])
    objectives = TextAreaField(_l("Objectives"), validators=[Optional(), Length(max=60000)],
                               description=_l("One per line, as a list: - …"))
    body = TextAreaField(_l("Content"), validators=[Optional(), Length(max=60000)],
                         description=_l("Markdown allowed."))
    edit_summary = StringField(_l("Edit summary"), validators=[Optional(), Length(max=200)])


class EditModuleForm(ModuleForm):
    base_revision = RevisionField()
