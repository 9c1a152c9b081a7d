"""Forms of the projects-and-funding pages. They only shape input; the services decide (and their
DomainError lands on the field it names)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm, DateInput, DoubleEntryMixin, MoneyField, RecordField
from core.money import Sign, format_yuan
from providers.choices import SCENE_CODES

from .choices import BudgetPurpose, FundSourceKind, RecognitionKind, RecognitionLevel
from .models import BudgetLine, FinancialProduct, FundSource, SubsidyPolicy
from .services.evidence import PROJECT_EVIDENCE

#: What the evaluator checks on site (Acceptance.checklist keys).
ACCEPTANCE_CHECKLIST = {
    "contract": _("Contract matches the filing"),
    "invoices": _("Invoices match the spend list"),
    "payment_slips": _("Payment slips for the invoiced amounts"),
    "spend_list": _("Spend list (software / cloud / equipment / other)"),
    "self_evaluation": _("Before/after self-evaluation"),
    "systems_running": _("Systems running on site for the targeted scenes"),
}


def _past_or_today(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


def DateField(label, required=False, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput, validators=[_past_or_today], **kwargs)


def scene_choices():
    return list(SCENE_CODES)


# --- projects ---------------------------------------------------------------------------------


class ProjectFactsForm(BootstrapForm):
    title = forms.CharField(label=_("Project title"), max_length=200, required=False)
    contract_no = forms.CharField(label=_("Contract number"), max_length=64)
    contract_signed_on = DateField(_("Contract signed on"))
    planned_start_on = forms.DateField(label=_("Planned start"), required=False, widget=DateInput)
    planned_end_on = forms.DateField(label=_("Planned end"), required=False, widget=DateInput)
    total_investment = MoneyField(label=_("Total investment (yuan)"))
    software_amount = MoneyField(label=_("Software (yuan)"))
    cloud_amount = MoneyField(label=_("Cloud services (yuan)"), required=False)
    equipment_amount = MoneyField(label=_("Data-collection equipment (yuan)"), required=False)
    other_amount = MoneyField(
        label=_("Other eligible spend (yuan)"),
        required=False,
        help_text=_("Left empty when filing: the rest of the total investment."),
    )
    scenes = forms.MultipleChoiceField(
        label=_("Scenes targeted"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("— from the diagnosis —")), *[(n, str(n)) for n in range(1, 5)]],
    )
    is_chain_project = forms.BooleanField(
        label=_("Chain-transformation project (software-type costs at least 60%)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenes"].choices = scene_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start_on"), data.get("planned_end_on")
        if start and end and end < start:
            self.add_error("planned_end_on", _("The planned end comes after the planned start."))
        return data

    def facts(self, *, filing):
        data = dict(self.cleaned_data)
        for key in ("enterprise", "provider", "date"):
            data.pop(key, None)
        for key in ("cloud_amount", "equipment_amount"):
            if data.get(key) is None:
                data[key] = Decimal("0")
        if data.get("other_amount") is None:
            if filing:
                data.pop("other_amount")
            else:
                data["other_amount"] = Decimal("0")
        data["title"] = data.get("title") or ""
        return data


class ProjectFileForm(ProjectFactsForm):
    # Typed, not picked: the enterprises with an accepted diagnosis number tens of thousands and the pool
    # thousands of providers at 100,000 enterprises, and drop-downs of every one made the page grow with the
    # programme. What is typed is checked against the same querysets the drop-downs listed.
    enterprise = RecordField(
        label=_("Enterprise"),
        help_text=_("Credit code or exact name of an enterprise whose diagnosis report the district accepted."),
        error_messages={
            "invalid_choice": _(
                "No enterprise you can file for matches “%(value)s”: give the credit code or the exact name of "
                "an enterprise in your scope whose diagnosis report the district accepted."
            )
        },
    )
    provider = RecordField(
        label=_("Service provider"), help_text=_("Credit code or exact name of the service provider.")
    )
    date = DateField(_("Filed on"), help_text=_("The day the project was filed; today when left empty."))
    field_order = ["enterprise", "provider", "date"]

    def __init__(self, *args, enterprises, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["provider"].queryset = providers
        for name in ("enterprise", "provider"):
            self.fields[name].widget.attrs.update(maxlength="200", autocomplete="off")
        self.order_fields(["enterprise", "provider", "date"])


class ProgressForm(BootstrapForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), max_length=2000, required=False, widget=forms.Textarea)
    date = DateField(_("Date"))


class TransitionForm(BootstrapForm):
    date = DateField(_("Date"), help_text=_("The day it happened; today when left empty."))
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)
    date = DateField(_("Date"))


class EvidenceForm(BootstrapForm):
    purpose = forms.ChoiceField(label=_("What the file is"), choices=list(PROJECT_EVIDENCE.items()))
    file = forms.FileField(label=_("File"))


class FileForm(BootstrapForm):
    file = forms.FileField(label=_("File"))


class AcceptanceForm(BootstrapForm):
    accepted_on = DateField(_("Inspected on"), required=True)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Passed")), ("no", _("Failed"))],
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text=_("Required when the project fails: what must be corrected."),
    )
    post_assessment = forms.ModelChoiceField(
        label=_("Post-transformation on-site evaluation"),
        queryset=None,
        required=False,
        empty_label=_("— none yet —"),
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in ACCEPTANCE_CHECKLIST.items():
            self.fields[f"check_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"check_{code}"].widget.attrs["class"] = "form-check-input"
        self.fields["post_assessment"].queryset = assessments
        self.fields["post_assessment"].label_from_instance = lambda a: _("{date} · level {level} · {score}").format(
            date=a.evaluated_on, level=a.level if a.level is not None else "—", score=a.score or ""
        )
        self.order_fields([f"check_{c}" for c in ACCEPTANCE_CHECKLIST] + ["accepted_on", "passed", "findings"])

    def clean(self):
        data = super().clean()
        if data.get("passed") is False and not (data.get("findings") or "").strip():
            self.add_error("findings", _("Say why the project failed acceptance."))
        return data

    def checklist(self):
        return {code: bool(self.cleaned_data.get(f"check_{code}")) for code in ACCEPTANCE_CHECKLIST}


class CorrectionForm(BootstrapForm):
    passed = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("— unchanged —")), ("yes", _("Passed")), ("no", _("Failed"))],
        required=False,
    )
    accepted_on = DateField(_("Inspection date"), help_text=_("Empty: unchanged."))
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea, help_text=_("Empty: unchanged.")
    )
    reason = forms.CharField(label=_("Why the acceptance is corrected"), max_length=2000, widget=forms.Textarea)
    date = DateField(_("Date of the correction"))

    def changes(self):
        data = self.cleaned_data
        changes = {"reason": data["reason"], "date": data.get("date")}
        if data.get("passed"):
            changes["passed"] = data["passed"] == "yes"
        if data.get("accepted_on"):
            changes["accepted_on"] = data["accepted_on"]
        if (data.get("findings") or "").strip():
            changes["findings"] = data["findings"]
        return changes


# --- recognitions -----------------------------------------------------------------------------


class RecognitionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecognitionKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=RecognitionLevel.choices)
    recognised_on = DateField(_("Recognised on"), required=True)
    title = forms.CharField(label=_("Title"), max_length=255)
    issuer = forms.CharField(label=_("Recognised by"), max_length=200, required=False)
    enterprise = RecordField(
        label=_("Enterprise (the chain leader for a chain model)"), picker="enterprise", required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Member enterprises (chain models)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    platform_name = forms.CharField(label=_("Industrial internet platform used"), max_length=200, required=False)
    gongfu_lianzhu = forms.BooleanField(label=_("Shanghai 工赋链主"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["members"].queryset = enterprises

    def facts(self):
        data = dict(self.cleaned_data)
        members = list(data.pop("members") or [])
        for key in ("issuer", "platform_name", "note"):
            data[key] = data.get(key) or ""
        return data, members


# --- the ledger -------------------------------------------------------------------------------


class BudgetLineForm(DoubleEntryMixin, BootstrapForm):
    double_entry = ("amount",)

    source = forms.ModelChoiceField(label=_("Fund source"), queryset=FundSource.objects.all(), empty_label=None)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=BudgetPurpose.choices)
    amount = MoneyField(label=_("Budget (yuan)"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


def _line_label(line):
    return f"{line.source.name} · {line.name}"


class ProjectCommitmentForm(DoubleEntryMixin, BootstrapForm):
    """A project subsidy, split between the central grant and the district's funds."""

    double_entry = ("central_amount", "district_amount")

    title = forms.CharField(label=_("Title"), max_length=200)
    policy = forms.ModelChoiceField(label=_("Subsidy policy"), queryset=None, empty_label=None)
    central_line = forms.ModelChoiceField(label=_("Central budget line"), queryset=None, required=False)
    central_amount = MoneyField(label=_("From the central grant (yuan)"), required=False)
    district_line = forms.ModelChoiceField(label=_("District budget line"), queryset=None, required=False)
    district_amount = MoneyField(label=_("From the district funds (yuan)"), required=False)
    committed_on = DateField(_("Committed on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lines = BudgetLine.objects.select_related("source")
        self.fields["policy"].queryset = SubsidyPolicy.objects.filter(is_active=True)
        self.fields["central_line"].queryset = lines.filter(source__kind=FundSourceKind.CENTRAL)
        self.fields["district_line"].queryset = lines.filter(source__kind=FundSourceKind.DISTRICT)
        self.fields["central_line"].label_from_instance = _line_label
        self.fields["district_line"].label_from_instance = _line_label

    def clean(self):
        data = super().clean()
        lines = []
        for prefix in ("central", "district"):
            line, amount = data.get(f"{prefix}_line"), data.get(f"{prefix}_amount")
            if amount and not line:
                self.add_error(f"{prefix}_line", _("Choose the budget line for this amount."))
            elif line and amount:
                lines.append((line, amount))
        if not lines and not self.errors:
            raise forms.ValidationError(_("Enter an amount from at least one source."))
        data["lines"] = lines
        return data


class CommitmentForm(DoubleEntryMixin, BootstrapForm):
    """Another spend of a budget line (a platform, an evaluation contract), or an enterprise's subsidy
    outside a project."""

    double_entry = ("amount",)

    title = forms.CharField(label=_("Title"), max_length=200)
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None)
    amount = MoneyField(label=_("Amount (yuan)"), sign=Sign.POSITIVE)
    enterprise = RecordField(label=_("Enterprise (if any)"), picker="enterprise", required=False)
    committed_on = DateField(_("Committed on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.select_related("source")
        self.fields["budget_line"].label_from_instance = _line_label
        self.fields["enterprise"].queryset = enterprises


class DisbursementRequestForm(DoubleEntryMixin, BootstrapForm):
    double_entry = ("amount",)

    commitment_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None, empty_label=None)
    amount = MoneyField(label=_("Amount (yuan)"), sign=Sign.POSITIVE)
    tranche = forms.IntegerField(label=_("Tranche"), min_value=1, max_value=32767, initial=1)
    payee_account = forms.CharField(label=_("Payee account"), max_length=64, required=False)
    date = DateField(_("Requested on"))
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment_line"].queryset = commitment.lines.select_related("budget_line__source")
        self.fields["commitment_line"].label_from_instance = lambda cl: _("{line} · {amount} yuan").format(
            line=_line_label(cl.budget_line), amount=format_yuan(cl.amount, unit=False)
        )


class DateOnlyForm(BootstrapForm):
    date = DateField(_("Date"))


class PayForm(BootstrapForm):
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=64)
    date = DateField(_("Paid on"))


class PolicyForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    ratio = forms.DecimalField(
        label=_("Ratio of eligible spend"),
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        help_text=_("A fraction: 0.4 = 40%."),
    )
    cap_per_enterprise = MoneyField(label=_("Cap per enterprise (yuan)"))
    tranches = forms.CharField(
        label=_("Tranches"),
        required=False,
        widget=forms.Textarea,
        help_text=_("One per line: the share (a fraction), a space, then its label. Shares add up to 1."),
    )
    figures_are_defaults = forms.BooleanField(label=_("Figures are defaults, not official"), required=False)
    is_active = forms.BooleanField(label=_("In force"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    @staticmethod
    def tranches_text(tranches):
        return "\n".join(f"{t.get('share')} {t.get('label', '')}".strip() for t in tranches or [])

    def clean_tranches(self):
        rows = []
        for number, line in enumerate((self.cleaned_data.get("tranches") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            share, _sep, label = line.partition(" ")
            try:
                Decimal(share)
            except ArithmeticError as exc:
                raise forms.ValidationError(
                    _("Line {n}: start with the share, a fraction such as 0.5.").format(n=number)
                ) from exc
            rows.append({"share": share, "label": label.strip()})
        return rows


class FinancialProductForm(BootstrapForm):
    bank = forms.CharField(label=_("Bank"), max_length=200)
    name = forms.CharField(label=_("Product"), max_length=200)
    rate = forms.DecimalField(
        label=_("Annual rate (%)"), max_digits=6, decimal_places=3, min_value=0, max_value=100, required=False
    )
    limit = MoneyField(label=_("Limit (yuan)"), required=False)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)


class InterestSubsidyForm(BootstrapForm):
    enterprise = RecordField(label=_("Enterprise"), picker="enterprise")
    financial_product = forms.ModelChoiceField(
        label=_("Financial product"), queryset=FinancialProduct.objects.all(), required=False
    )
    loan_amount = MoneyField(label=_("Loan (yuan)"))
    loan_on = DateField(_("Loan date"), required=True)
    amount = MoneyField(label=_("Subsidy (yuan)"))
    granted_on = DateField(_("Granted on"), required=True)
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["budget_line"].queryset = BudgetLine.objects.select_related("source").filter(
            purpose=BudgetPurpose.INTEREST_SUBSIDY, source__kind=FundSourceKind.DISTRICT
        )
        self.fields["budget_line"].label_from_instance = _line_label
