"""Forms of the diagnosis-report pages (the baseline questionnaire itself is
``diagnostics.forms.questionnaire.QuestionnaireForm``, rendered beside these fields)."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, MoneyField, RecordField
from core.selectors import unit_list
from providers.models import Product

from ..choices import DeadlineKind


class ReportContentForm(forms.Form):
    """The report's own sections (everything but the questionnaire). Pain points are one field per
    scene (``pain_<scene code>``), added from the edition's scene table."""

    diagnosed_on = forms.DateField(label=_("Diagnosed on site on"), required=False, widget=DateInput)
    summary = forms.CharField(
        label=_("Summary of findings"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"),
        choices=[("", _("— not set —")), *[(str(n), str(n)) for n in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    target_scenes = forms.MultipleChoiceField(
        label=_("Target scenes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    proposed_work = forms.CharField(
        label=_("Proposed work"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposed_cost = MoneyField(label=_("Proposed cost (yuan)"), max_digits=14, required=False)
    software_cost = MoneyField(label=_("Of which software-type cost (yuan)"), max_digits=14, required=False)
    recommended_products = forms.ModelMultipleChoiceField(
        label=_("Recommended products and solutions"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Products recognised by the district, and your own."),
    )
    signed_pdf = forms.FileField(
        label=_("Signed report (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Optional here; replacing a file keeps the earlier one in the history."),
    )

    def __init__(self, *args, scenes, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.scene_rows = scenes
        self.fields["target_scenes"].choices = [
            (row["code"], ("★ " if row["constraint"] else "") + row["name"]) for row in scenes
        ]
        for row in scenes:
            self.fields[f"pain_{row['code']}"] = forms.CharField(
                label=row["name"], required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["recommended_products"].queryset = (
            Product.objects.filter(Q(recognised_on__isnull=False) | Q(provider=provider))
            .select_related("provider")
            .order_by("provider__name", "name")
        )

    def pain_fields(self):
        return [(row, self[f"pain_{row['code']}"]) for row in self.scene_rows]

    def content(self):
        data = self.cleaned_data
        return {
            "diagnosed_on": data.get("diagnosed_on"),
            "summary": data.get("summary") or "",
            "target_level": data.get("target_level"),
            "target_scenes": list(data.get("target_scenes") or []),
            "proposed_work": data.get("proposed_work") or "",
            "proposed_cost": data.get("proposed_cost"),
            "software_cost": data.get("software_cost"),
            "recommended_products": [p.pk for p in data.get("recommended_products") or []],
            "pain_points": {row["code"]: data.get(f"pain_{row['code']}") or "" for row in self.scene_rows},
        }

    @staticmethod
    def initial_for(diagnosis):
        initial = {
            "diagnosed_on": diagnosis.diagnosed_on,
            "summary": diagnosis.summary,
            "target_level": str(diagnosis.target_level) if diagnosis.target_level else "",
            "target_scenes": diagnosis.target_scenes,
            "proposed_work": diagnosis.proposed_work,
            "proposed_cost": diagnosis.proposed_cost,
            "software_cost": diagnosis.software_cost,
            "recommended_products": list(diagnosis.recommended_products.values_list("pk", flat=True)),
        }
        for code, text in (diagnosis.pain_points or {}).items():
            initial[f"pain_{code}"] = text
        return initial


class CreateForm(forms.Form):
    """Open a draft: the enterprise (from the work queue or the enterprise page) and, for the
    district, the provider."""

    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    provider = RecordField(label=_("Service provider"), picker="provider", required=False)
    date = forms.DateField(label=_("Opened on"), required=False, widget=DateInput)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Never an empty date on the page: a draft opens today unless the district says otherwise.
        self.fields["date"].initial = timezone.localdate
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers
            self.fields["provider"].required = True


class TransitionForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput, help_text=_("Default: today."))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignedPdfForm(forms.Form):
    file = forms.FileField(label=_("Signed report (PDF)"))


class DeadlineForm(forms.Form):
    """One deadline, or the same one for a batch: a unit's active enterprises or the ticked ones."""

    kind = forms.ChoiceField(label=_("Deadline for"), choices=DeadlineKind.choices)
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DateInput,
        help_text=_("Past dates are accepted (deadlines set before the portal are entered afterwards)."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class DeadlineBatchForm(DeadlineForm):
    unit = forms.ModelChoiceField(
        label=_("Every active enterprise of the unit"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("— the ticked enterprises instead —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list()


class DeadlineFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all")), *DeadlineKind.choices], required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    search = forms.CharField(label=_("Enterprise name or credit code"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("all")), *[(u.code, u.name) for u in unit_list()]]
