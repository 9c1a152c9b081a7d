"""Forms of the work-list pages. They only shape input; the services decide, and a DomainError lands on
the field it names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm, DateInput
from core.selectors import unit_list

from .choices import TaskCategory, TaskStatus
from .services import POLICY_FIELDS


class TaskForm(BootstrapForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    target = forms.CharField(label=_("What is to be achieved"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=TaskCategory.choices, initial=TaskCategory.KEY_TASK)
    responsible_departments = forms.CharField(
        label=_("Responsible departments"),
        max_length=200,
        required=False,
        help_text=_("As the work plan writes them, separated by 、 (区经委、区数据局、相关街镇（经开区）)."),
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
        help_text=_("The street/town or zone whose staff record the task's progress."),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    source = forms.CharField(label=_("Source in the work plan"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list()


class ProgressForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Progress"), choices=TaskStatus.choices)
    percent = forms.IntegerField(
        label=_("Completion (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Left empty: 0 when not started, 100 when done."),
    )
    note = forms.CharField(
        label=_("Progress note"), required=False, widget=forms.Textarea, help_text=_("What was done, what blocks it.")
    )


class PolicyForm(BootstrapForm):
    number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
    support = forms.CharField(label=_("Support content"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    window_opens = forms.DateField(label=_("Application window opens"), required=False, widget=DateInput)
    window_closes = forms.DateField(label=_("Application window closes"), required=False, widget=DateInput)
    effective_from = forms.DateField(label=_("In force from"), required=False, widget=DateInput)
    effective_to = forms.DateField(label=_("In force until"), required=False, widget=DateInput)
    repealed = forms.BooleanField(label=_("Repealed"), required=False)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)
    file = forms.FileField(
        label=_("The document (file)"), required=False, help_text=_("PDF, OFD, Word or an image; optional.")
    )

    FACT_FIELDS = POLICY_FIELDS  # the facts the service writes

    def facts(self):
        return {name: self.cleaned_data.get(name) for name in self.FACT_FIELDS}
