"""Forms of the provider pages. They check shapes (types, required fields, ranges); the business
rules (codes, dates not in the future, who may do what) are the services', whose errors the views
put back on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CREDIT_CODE_HELP, CreditCodeField, DateInput, RecordField
from enterprises.choices import Sector

from .choices import SCENE_CODES, PoolStatus, PriceModel, ProviderType


class ProviderForm(forms.Form):
    """Create or edit a provider's facts (pool status and designation have their own dated actions)."""

    credit_code = CreditCodeField(help_text=CREDIT_CODE_HELP)
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=ProviderType.choices)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors served"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    scenes = forms.MultipleChoiceField(
        label=_("Scenes served"), choices=SCENE_CODES, required=False, widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.CharField(
        label=_("Qualifications"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    pool_status = forms.ChoiceField(
        label=_("Resource pool status"), choices=PoolStatus.choices, initial=PoolStatus.IN_POOL
    )
    key_provider_since = forms.DateField(
        label=_("Key provider since"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty unless the district has designated it a key provider."),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Status and designation change through their own recorded, dated actions.
            del self.fields["pool_status"]
            del self.fields["key_provider_since"]

    def facts(self):
        data = dict(self.cleaned_data)
        for key in ("qualifications", "address", "contact_name", "contact_phone"):
            data[key] = data.get(key) or ""
        return data


class PoolStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PoolStatus.choices)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput, help_text=_("Default: today."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class KeyProviderForm(forms.Form):
    date = forms.DateField(label=_("Designated on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RevokeKeyForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500)


class EvaluationBodyForm(forms.Form):
    credit_code = CreditCodeField()
    name = forms.CharField(label=_("Name"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)

    def facts(self):
        return {k: v or "" for k, v in self.cleaned_data.items()}


class ProductForm(forms.Form):
    provider = RecordField(label=_("Service provider"), picker="provider")
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    scenes = forms.MultipleChoiceField(
        label=_("Scenes covered"), choices=SCENE_CODES, required=False, widget=forms.CheckboxSelectMultiple
    )
    price_model = forms.ChoiceField(
        label=_("Price model"), choices=[("", _("— not stated —")), *PriceModel.choices], required=False
    )
    price_note = forms.CharField(label=_("Price"), max_length=200, required=False)
    deployments = forms.IntegerField(label=_("Deployments"), min_value=0, max_value=1_000_000, initial=0)
    recognised_on = forms.DateField(
        label=_("Recognised on"),
        required=False,
        widget=DateInput,
        help_text=_("The day the district selected it for the list of excellent products."),
    )

    def __init__(self, *args, providers=None, fixed_provider=None, can_recognise=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if fixed_provider is not None:
            self.fields["provider"].queryset = providers.filter(pk=fixed_provider.pk)
            self.fields["provider"].initial = fixed_provider
        if editing:
            del self.fields["provider"]
        if not can_recognise or editing:
            # Recognition is the district's own action on the product's page.
            del self.fields["recognised_on"]

    def facts(self):
        data = dict(self.cleaned_data)
        data.pop("provider", None)
        data.pop("recognised_on", None)
        for key in ("description", "price_note", "price_model"):
            data[key] = data.get(key) or ""
        return data


class RecogniseForm(forms.Form):
    date = forms.DateField(label=_("Recognised on"), required=False, widget=DateInput, help_text=_("Default: today."))


class WithdrawRecognitionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=90)


class AssignForm(forms.Form):
    """Assign the enterprises ticked in the list (``ids``) on a date."""

    assigned_on = forms.DateField(
        label=_("Assigned on"), required=False, widget=DateInput, help_text=_("Default: today.")
    )


class EndAssignmentForm(forms.Form):
    date = forms.DateField(label=_("Ended on"), required=False, widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=60)


class AssignOneForm(forms.Form):
    """From the enterprise's page: assign it to one provider or evaluation body."""

    target = RecordField(label=_("Assign to"))
    assigned_on = forms.DateField(label=_("Assigned on"), required=False, widget=DateInput)

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset


SCORE_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    """An enterprise's satisfaction with a provider assigned to it. On a provider's page the enterprise
    is chosen; on an enterprise's page the provider is."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None, empty_label=_("— choose —"))
    provider = forms.ModelChoiceField(label=_("Service provider"), queryset=None, empty_label=_("— choose —"))
    score = forms.TypedChoiceField(
        label=_("Satisfaction (5 = very satisfied)"), choices=SCORE_CHOICES, coerce=int, initial="5"
    )
    rated_on = forms.DateField(label=_("Rated on"), required=False, widget=DateInput, help_text=_("Default: today."))
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def __init__(self, *args, enterprises=None, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("A year (2025), a half (2025H1) or a quarter (2025Q3).")
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class WeightsForm(forms.Form):
    """One whole-number weight per registered metric (only the proportions matter)."""

    note = forms.CharField(label=_("Why the change"), max_length=500, required=False)

    def __init__(self, *args, metrics=(), initial_weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_weights = initial_weights or {}
        fields = {}
        for metric in metrics:
            fields[f"w_{metric.code}"] = forms.IntegerField(
                label=metric.label,
                min_value=0,
                max_value=1000,
                initial=initial_weights.get(metric.code, 0),
                help_text=metric.description,
            )
        note = self.fields.pop("note")
        self.fields.update(fields)
        self.fields["note"] = note
        self.metric_codes = [m.code for m in metrics]

    def weights(self):
        return {code: self.cleaned_data[f"w_{code}"] for code in self.metric_codes}
