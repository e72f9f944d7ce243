"""Forum forms: validation only; field names are part of the public interface (DESIGN §7)."""
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from core.config import LANGUAGES
from core.forms import ActionForm  # noqa: F401 (forum's views import it from here)
from core.forms import OPENS_ON_A_CHOICE, Form, IdField, RevisionField
from core.i18n import language_name
from core.i18n import lazy_gettext as _l
from forum.services.limits import BODY_LENGTH, COMMENT_LENGTH, SUMMARY_LENGTH, TITLE_LENGTH


def _length(bounds):
    low, high = bounds
    return Length(min=low, max=high, message=_l("Write between %(min)d and %(max)d characters."))


class AskForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired(), _length(TITLE_LENGTH)],
                        description=_l("Your question in one sentence, as you would ask a colleague."))
    body = TextAreaField(_l("Details"), validators=[InputRequired(), _length(BODY_LENGTH)],
                         description=_l("The situation and what you have tried. Never write a "
                                        "child's name, address or phone number. Markdown allowed."))
    tags = StringField(_l("Tags"), validators=[InputRequired(), Length(max=200)],
                       description=_l("1 to 5 tags, separated by spaces or commas, e.g. "
                                      "first-contact trust"))
    lang = SelectField(_l("Language of the question"), validators=[InputRequired()],
                       render_kw=OPENS_ON_A_CHOICE)
    # Set once the asker has been shown the similar threads: the next submit posts.
    similar_checked = HiddenField()
    # A training module the question is about ("Ask a question about this module").
    module = IdField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [(code, language_name(code)) for code in LANGUAGES]


class EditQuestionForm(AskForm):
    summary = StringField(_l("Edit summary"), validators=[Optional(), Length(max=SUMMARY_LENGTH)],
                          description=_l("What did you change, and why?"))
    # The revision the editor started from: a save from an older one is a conflict.
    base_revision = RevisionField(minimum=1)


class AnswerForm(Form):
    body = TextAreaField(_l("Your answer"), validators=[InputRequired(), _length(BODY_LENGTH)],
                         description=_l("Share what worked for you. Markdown allowed."))


class EditAnswerForm(AnswerForm):
    summary = StringField(_l("Edit summary"), validators=[Optional(), Length(max=SUMMARY_LENGTH)])
    base_revision = RevisionField(minimum=1)


class CommentForm(Form):
    body = TextAreaField(_l("Comment"), validators=[InputRequired(), _length(COMMENT_LENGTH)])
    parent_id = IdField()


class TagForm(Form):
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])



# -- redaction (forum.views.redaction): two forms on one page, hence their fields' ids --------

REVISION_NUMBER_MESSAGE = _l("Give the number of a revision of this post, as the history "
                             "shows it.")


class RedactRevisionForm(Form):
    revision = StringField(_l("Revision number"), id="redact-revision",
                           validators=[InputRequired(message=REVISION_NUMBER_MESSAGE),
                                       Regexp(r"^\s*[0-9]{1,10}\s*$",
                                              message=REVISION_NUMBER_MESSAGE)],
                           render_kw={"inputmode": "numeric", "autocomplete": "off"})
    reason = TextAreaField(_l("Why (kept in the moderation log)"), id="revision-reason",
                           validators=[InputRequired(), Length(max=500)])


class RedactPassageForm(Form):
    passage = TextAreaField(_l("Passage to redact"), id="redact-passage",
                            validators=[InputRequired(), Length(max=2000)],
                            description=_l("Type or paste it exactly as the post writes it "
                                           "(a name, a phone number, a sentence)."))
    reason = TextAreaField(_l("Why (kept in the moderation log)"), id="passage-reason",
                           validators=[InputRequired(), Length(max=500)])
