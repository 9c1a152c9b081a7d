"""The preferences page: one choice of channel per kind of notification."""

from django import forms

from .choices import Channel, NotificationKind

#: The kinds a person may turn off altogether (the others always reach the inbox).
MAY_TURN_OFF = {NotificationKind.WEEKLY_DIGEST}


class PreferencesForm(forms.Form):
    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label, channel in rows:
            choices = [c for c in Channel.choices if c[0] != Channel.OFF or kind in MAY_TURN_OFF]
            self.fields[kind] = forms.ChoiceField(label=label, choices=choices, initial=channel)
