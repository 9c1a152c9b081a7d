"""HTML input of the self-evaluation pages → the services' arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm, DateInput

from .choices import Section, Stage
from .services import MAX_TEXT


class StartForm(BootstrapForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())


class NarrativeForm(BootstrapForm):
    section = forms.ChoiceField(choices=Section.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
