from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CREDIT_CODE_HELP, CreditCodeField, DateInput, MoneyField, RecordField
from core.selectors import unit_list

from .choices import Scale, Sector, Size, Tier, WithdrawalReason


class EnterpriseForm(forms.Form):
    """Create or edit an enterprise's facts (一企一档)."""

    credit_code = CreditCodeField(help_text=CREDIT_CODE_HELP)
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=_("— choose —"))
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    scale = forms.ChoiceField(label=_("Statistical scale"), choices=Scale.choices)
    size = forms.ChoiceField(label=_("Enterprise size"), choices=Size.choices)
    tier = forms.ChoiceField(label=_("Quality-SME tier"), choices=Tier.choices, initial=Tier.NONE)
    pilot_year = forms.IntegerField(label=_("Pilot year"), min_value=2024, max_value=2030, required=False)
    pilot_batch = forms.CharField(label=_("Pilot batch"), max_length=32, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    registered_address = forms.CharField(label=_("Registered address"), max_length=255, required=False)
    production_address = forms.CharField(label=_("Production address"), max_length=255, required=False)
    founded_on = forms.DateField(label=_("Founding date"), required=False, widget=DateInput)
    main_products = forms.CharField(label=_("Main products"), max_length=500, required=False)
    stats_year = forms.IntegerField(label=_("Statistics year"), min_value=2000, max_value=2100, required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    employees_previous = forms.IntegerField(label=_("Employees, previous year"), min_value=0, required=False)
    revenue = MoneyField(label=_("Revenue (10k yuan)"), in_wan=True, max_digits=14, required=False)
    revenue_previous = MoneyField(
        label=_("Revenue, previous year (10k yuan)"), in_wan=True, max_digits=14, required=False
    )
    cloud_verified_on = forms.DateField(label=_("Cloud adoption verified on"), required=False, widget=DateInput)
    cloud_services = forms.CharField(label=_("Cloud services used"), max_length=500, required=False)

    def __init__(self, *args, editing=False, fixed_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list()
        if fixed_unit is not None:
            self.fields["unit"].queryset = unit_list().filter(pk=fixed_unit.pk)
            self.fields["unit"].initial = fixed_unit
        if editing:
            # Code and unit change through their own recorded actions.
            del self.fields["credit_code"]
            del self.fields["unit"]

    def facts(self):
        data = dict(self.cleaned_data)
        data.pop("credit_code", None)
        data.pop("unit", None)
        for key in (
            "contact_name",
            "contact_phone",
            "registered_address",
            "production_address",
            "main_products",
            "cloud_services",
            "pilot_batch",
        ):
            data[key] = data.get(key) or ""
        return data


class WithdrawForm(forms.Form):
    # No reason is chosen for the clerk: the first choice used to be pre-selected and one click withdrew.
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("— choose the reason —")), *WithdrawalReason.choices])
    date = forms.DateField(label=_("Date"), widget=DateInput)
    replacement = RecordField(
        label=_("Replacement enterprise"),
        picker="enterprise",
        required=False,
        help_text=_("The enterprise that takes its place, so that the total does not fall."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = enterprises


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput)


class MoveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("New unit"), queryset=None)
    note = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list()


class CodeForm(forms.Form):
    credit_code = CreditCodeField()
    credit_code_override_reason = forms.CharField(
        label=_("Reason for accepting a failing check character"),
        max_length=255,
        required=False,
        help_text=_("Only when the code is right but was issued before GB 32100-2015 and fails its check character."),
    )


class QuotaForm(forms.Form):
    required = forms.IntegerField(label=_("Pilot enterprises to keep"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
