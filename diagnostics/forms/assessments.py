"""Forms of the assessment pages (the questionnaire itself is ``forms.questionnaire``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, RecordField

from ..choices import Stage


class AssessmentMetaForm(forms.Form):
    """The facts of an evaluation around the questionnaire: stage, day, who was on site, notes."""

    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput)
    evaluation_body = RecordField(label=_("Evaluation body"), picker="evaluation-body", required=False)
    evaluators = forms.CharField(
        label=_("Evaluators on site"), max_length=255, required=False, help_text=_("Names, separated by commas.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is None:
            del self.fields["evaluation_body"]
        else:
            self.fields["evaluation_body"].queryset = bodies
            self.fields["evaluation_body"].required = True

    def clean_evaluated_on(self):
        value = self.cleaned_data["evaluated_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
