"""Forms of the assessment pages and of the index editor (the questionnaire itself is questionnaire.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Stage


class DateInput(forms.DateInput):
    input_type = "date"


class AssessmentMetaForm(forms.Form):
    """The facts of an evaluation around the questionnaire: stage, day, who was on site, notes."""

    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput)
    evaluation_body = forms.ModelChoiceField(label=_("Evaluation body"), queryset=None, required=False)
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


class OptionForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200)
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=7, decimal_places=4)


class LevelRuleForm(forms.Form):
    """One row of the level rule table (the page shows one per level)."""

    min_score = forms.DecimalField(
        label=_("Score at least"), min_value=0, max_value=100, max_digits=7, decimal_places=3
    )
    scene_level = forms.IntegerField(label=_("Scene level counted"), min_value=1, max_value=4)
    min_scenes = forms.IntegerField(label=_("Scenes at least"), min_value=0, max_value=16)
    min_constraint_scenes = forms.IntegerField(label=_("Constraint scenes at least"), min_value=0, max_value=16)
