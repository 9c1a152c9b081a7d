"""The preferences page: one choice of channel per kind of notification."""

from django import forms

from .choices import Channel


class PreferencesForm(forms.Form):
    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label, channel in rows:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Channel.choices, initial=channel)
