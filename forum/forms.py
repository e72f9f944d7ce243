"""Forum forms: validation only; field names are part of the public interface (DESIGN §7)."""
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from core.config import LANGUAGES
from core.forms import ActionForm  # noqa: F401 (forum's views import it from here)
from core.forms import OPENS_ON_A_CHOICE, Form, IdField, RevisionField
from core.i18n import language_name
from core.i18n import lazy_gettext as _l
from core.accounts.models import ROLES
from forum.services.members import DURATIONS, REASON_LENGTH, WARNING_LENGTH
from forum.services.limits import BODY_LENGTH, COMMENT_LENGTH, SUMMARY_LENGTH, TITLE_LENGTH
from forum.services.moderation_threads import CLOSE_REASONS


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
    # Optional: a form posted without it (a script) means the editor's interface language.
    lang = SelectField(_l("Language of the description"), validators=[Optional()],
                       render_kw=OPENS_ON_A_CHOICE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [(code, language_name(code)) for code in LANGUAGES]


class SynonymForm(Form):
    """A tag to declare a synonym of the tag whose page this is."""
    synonym = StringField(_l("Tag that means the same"),
                          description=_l("Its questions and followers move to this tag; posts "
                                         "typed with it get this tag."),
                          validators=[InputRequired(), Length(max=35)])


# -- thread moderation (forum.services.moderation_threads) ------------------------------------

class CloseForm(Form):
    reason = RadioField(_l("Why close this question?"),
                        validators=[InputRequired(message=_l("Choose one of the reasons."))])
    note = TextAreaField(_l("In your words (shown on the question; required for another "
                            "reason)"), validators=[Optional(), Length(max=400)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = list(CLOSE_REASONS.items())


class DuplicateForm(Form):
    original = StringField(_l("Original question: its number or its address"),
                           validators=[InputRequired(), Length(max=300)],
                           description=_l("For example 123 or /questions/123/how-to-…"))
    note = TextAreaField(_l("Note for the audit log (optional)"),
                         validators=[Optional(), Length(max=400)])


class LockForm(Form):
    reason = TextAreaField(_l("Why lock this thread?"),
                           validators=[InputRequired(), Length(max=400)],
                           description=_l("Kept in the audit log."))


class UndoForm(Form):
    """Reopen, un-mark a duplicate, unlock: an optional word for the audit log."""
    note = TextAreaField(_l("Note for the audit log (optional)"),
                         validators=[Optional(), Length(max=400)])
class SuspendForm(Form):
    """A suspension: how long, and the reason the member reads when signing in."""

    duration = SelectField(_l("For how long"), validators=[InputRequired()],
                           render_kw=OPENS_ON_A_CHOICE)
    reason = TextAreaField(
        _l("Reason"), validators=[InputRequired(), Length(max=REASON_LENGTH)],
        description=_l("The member reads it when they try to sign in. Never name a child."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duration.choices = [(key, label) for key, (label, _length) in DURATIONS.items()]


class LiftSuspensionForm(Form):
    reason = TextAreaField(_l("Reason (optional)"),
                           validators=[Optional(), Length(max=REASON_LENGTH)])


class WarnForm(Form):
    """A moderator's warning about a post: the author reads it in their notifications."""

    message = TextAreaField(
        _l("Message to the author"), validators=[InputRequired(), Length(max=WARNING_LENGTH)],
        description=_l("Only the author reads it, on their notifications page."))
    post_type = HiddenField()
    post_id = IdField()


class RoleForm(Form):
    role = SelectField(_l("Role"), validators=[InputRequired()], render_kw=OPENS_ON_A_CHOICE)
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=1000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"member": _l("Member"), "expert": _l("Expert"), "moderator": _l("Moderator"),
                  "admin": _l("Administrator")}
        self.role.choices = [(role, labels[role]) for role in ROLES]
class SafeguardingAlertForm(Form):
    """"A child may be in danger now": an optional note for the safeguarding leads."""
    note = TextAreaField(_l("What the leads should know (optional)"),
                         validators=[Optional(), Length(max=2000, message=_l(
                             "Write at most %(max)d characters."))],
                         description=_l("Where and when, what you saw or read, how to reach "
                                        "you. Only the safeguarding leads read it."))


class CloseAlertForm(Form):
    """A lead closes an alert, saying what was done."""
    action_taken = TextAreaField(_l("What was done"),
                                 validators=[InputRequired(), Length(max=2000, message=_l(
                                     "Write at most %(max)d characters."))],
                                 description=_l("Who was called or informed, and what happens "
                                                "next. Only the safeguarding leads read it."))
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
