"""HTML input of unit reports → the services' arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm, DateInput
from reports.models import ReportingPeriod

from .choices import Cadence
from .models import SECTIONS


class RoundForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=16, help_text=_("For example 2026-03 or 2026-Q1."))
    name = forms.CharField(label=_("Name"), max_length=64)
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    indicator_period = forms.ModelChoiceField(
        label=_("Indicator period"), queryset=ReportingPeriod.objects.filter(end__isnull=False).order_by("order")
    )


class ReportForm(BootstrapForm):
    work_done = forms.CharField(label=_("Work done"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    dynamic_management = forms.CharField(
        label=_("Dynamic management of pilot enterprises"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Enterprises that moved out, stopped or were withdrawn, and what was done about them."),
    )
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def sections(self):
        return {name: self.cleaned_data.get(name, "") for name in SECTIONS}


class ReturnForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}))
