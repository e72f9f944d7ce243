"""The preferences form: one choice of channel for each kind the member may choose."""
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from core.forms import Form
from core.i18n import lazy_gettext as _l
from core.notifications.models import CHANNELS

CHANNEL_LABELS = {
    "site": _l("On the site only"),
    "instant": _l("By e-mail at once"),
    "daily": _l("In a daily e-mail"),
    "weekly": _l("In a weekly e-mail"),
}
FIELD_PREFIX = "channel_"


def settings_form(choices, formdata=None):
    """A form with one radio field per (kind, channel) of `choices`, named "channel_<kind>",
    labelled by the kind's label and showing the channel in force. `formdata`: a posted
    form, where a kind left out keeps its channel (a script may post one choice)."""

    class SettingsForm(Form):
        pass

    for kind, _channel in choices:
        setattr(SettingsForm, FIELD_PREFIX + kind.name, RadioField(
            kind.label, choices=[SelectChoice(channel, CHANNEL_LABELS[channel])
                                 for channel in CHANNELS],
            validators=[InputRequired(message=_l("Choose how to hear of it."))]))
    data = {FIELD_PREFIX + kind.name: channel for kind, channel in choices}
    if formdata is not None:
        formdata = formdata.copy()
        for name, channel in data.items():
            formdata.setdefault(name, channel)
        return SettingsForm(formdata=formdata, data=data)
    return SettingsForm(data=data)


def chosen_channels(form, choices):
    """{kind name: channel} that `form` (validated) changes: only a change is written, so
    a default left as it is follows the kind's default if that ever changes."""
    return {kind.name: form[FIELD_PREFIX + kind.name].data for kind, channel in choices
            if form[FIELD_PREFIX + kind.name].data != channel}
