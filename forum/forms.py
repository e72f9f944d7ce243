"""Forum forms: validation only; field names are part of the public interface (DESIGN §7)."""
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

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



# The reasons of a flag, in the order the form lists them, with what each means.
FLAG_CHOICES = (
    ("identifies_child", _l("It identifies a child"),
     _l("A name, a face, a phone number, an address, a school or a place where a child can be "
        "found. The post is hidden as soon as another member or a moderator confirms it.")),
    ("spam", _l("Spam"), _l("Advertising, or a message that has nothing to do with the forum.")),
    ("offensive", _l("Offensive"), _l("Insults, threats, or words that hurt a person or a group.")),
    ("other", _l("Something else"), _l("Say what is wrong below.")),
)


class FlagForm(Form):
    reason = RadioField(_l("Why should the moderators look at this post?"),
                        choices=[SelectChoice(value, label)
                                 for value, label, _help in FLAG_CHOICES],
                        validators=[InputRequired(message=_l("Choose a reason."))])
    text = TextAreaField(_l("What is wrong (required for \u201csomething else\u201d)"),
                         validators=[Optional(), Length(max=500, message=_l(
                             "Write at most %(max)d characters."))],
                         description=_l("Only the moderators read it. Do not copy the "
                                        "child's details here."))

    def validate_text(self, field):
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Say what is wrong with this post."))


class DecisionForm(Form):
    """A moderator's decision on a flagged post: the button pressed, and an optional note for
    the audit log."""

    decision = HiddenField(validators=[InputRequired(), AnyOf(
        ("dismiss", "hide", "unhide", "delete"), message=_l("Choose one of the decisions."))])
    reason = StringField(_l("Note for the log (optional)"), validators=[Optional(), Length(
        max=500, message=_l("Write at most %(max)d characters."))])
