"""Transformation projects, their acceptance, recognitions, and the fund ledger.

Design (the projects-and-funding issue builds the services, pages and API on these):

* A **project** (数字化改造项目) is filed by a provider for an enterprise with an accepted diagnosis,
  approved by the district, reports progress, requests acceptance, and is inspected on site by the
  assigned evaluation body: passed or failed (a failed project may request acceptance again).
  Every step is a :class:`ProjectTransition` with actor, the day it happened and a reason.
  An :class:`Acceptance` is one inspection; a mistyped one is corrected by an
  :class:`AcceptanceCorrection`, never edited.
* **Recognitions** (数字化车间, 智能工厂, 示范场景, 典型场景, 链式模式, 公共服务平台) with date and level.
* The **ledger**: two fund sources (central grant, district matching funds) divided into budget
  lines by purpose. A :class:`Commitment` (a subsidy approved for a project, or an interest subsidy,
  or another spend) is split over budget lines by :class:`CommitmentLine`; :class:`Disbursement`
  rows pay a line, requested → approved → paid; a paid disbursement is undone by a reversal row
  (negative amount, ``reverses`` set), never by an edit. Money in 元 as Decimal.
  The services lock the budget lines concerned (``select_for_update``, in pk order) so that no line
  is overdrawn, nothing is disbursed beyond its commitment, and the central capped purposes stay
  within 20% of the grant, under concurrent requests.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import GLOBAL_READ_ROLES, Role, role_of
from core.scoping import EnterpriseScopedQuerySet, ScopedQuerySet, visible_enterprise_ids

from .choices import (
    BudgetPurpose,
    CommitmentStatus,
    DisbursementStatus,
    FundSourceKind,
    ProjectAction,
    ProjectStatus,
    RecognitionKind,
    RecognitionLevel,
)


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


# --- Projects ---------------------------------------------------------------------------------


class ProjectQuerySet(EnterpriseScopedQuerySet):
    def scope_filter(self, viewer, role):
        # A provider sees its own projects, never another provider's work on the same enterprise.
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id) if viewer.provider_id else Q(pk__in=[])
        return super().scope_filter(viewer, role)


class Project(models.Model):
    """A transformation project (数字化改造项目) filed (备案) for one enterprise by its provider."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="projects"
    )
    provider = models.ForeignKey(
        "providers.Provider", verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="projects"
    )
    diagnosis = models.ForeignKey(
        "diagnostics.Diagnosis",
        verbose_name=_("diagnosis report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    contract_no = models.CharField(_("contract number"), max_length=64)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    planned_start_on = models.DateField(_("planned start"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    total_investment = money(_("total investment (yuan)"))
    software_amount = money(_("software (yuan)"), default=Decimal("0"))
    cloud_amount = money(_("cloud services (yuan)"), default=Decimal("0"))
    equipment_amount = money(_("data-collection equipment (yuan)"), default=Decimal("0"))
    other_amount = money(_("other eligible spend (yuan)"), default=Decimal("0"))
    #: Scene codes of the index the project targets.
    scenes = models.JSONField(_("scenes targeted"), default=list, blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    is_chain_project = models.BooleanField(_("chain-transformation project"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.FILED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    filed_on = models.DateField(_("filed on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    acceptance_requested_on = models.DateField(_("acceptance requested on"), null=True, blank=True)
    accepted_on = models.DateField(_("passed acceptance on"), null=True, blank=True)
    acceptance_attempts = models.PositiveSmallIntegerField(_("acceptance inspections"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("transformation project")
        verbose_name_plural = _("transformation projects")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & Q(software_amount__gte=0)
                & Q(cloud_amount__gte=0)
                & Q(equipment_amount__gte=0)
                & Q(other_amount__gte=0),
                name="fund_project_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="fund_project_progress_range",
                violation_error_message=_("Progress runs from 0 to 100%."),
            ),
        ]
        indexes = [
            # The project list's order: a page without sorting every project (bench/lists.py).
            models.Index(fields=["-filed_on", "-id"], name="fund_project_list_order"),
            # A status's projects in filing order (the home page's "projects to approve": its first
            # rows and its count from the index alone; the list filtered by status).
            models.Index(fields=["status", "filed_on", "id"], name="fund_project_status_filed"),
        ]

    def __str__(self):
        return self.title or f"{self.enterprise} · {self.contract_no}"

    @property
    def eligible_spend(self):
        return self.software_amount + self.cloud_amount + self.equipment_amount + self.other_amount

    @property
    def software_share(self):
        """Software-type share of the eligible spend, as a fraction (None without spend)."""
        spend = self.eligible_spend
        return (self.software_amount / spend) if spend else None


class ProjectTransitionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "project__enterprise"


class ProjectTransition(models.Model):
    """A step of a project's life with actor, the day it happened and a reason."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=24, choices=ProjectAction.choices)
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProjectTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")
        ordering = ["project", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.project_id} {self.action}"


class Acceptance(models.Model):
    """One on-site acceptance inspection (验收) of a project by the evaluation body assigned to it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="acceptances"
    )
    attempt = models.PositiveSmallIntegerField(_("inspection number"))
    evaluation_body = models.ForeignKey(
        "providers.EvaluationBody",
        verbose_name=_("evaluation body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_on = models.DateField(_("inspected on"))
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"), blank=True)
    #: {checklist item code: true/false}: contract, invoices, payment slips, spend list, self-evaluations …
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    post_assessment = models.ForeignKey(
        "diagnostics.Assessment",
        verbose_name=_("post-transformation evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance inspection")
        verbose_name_plural = _("acceptance inspections")
        ordering = ["project", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "attempt"],
                name="fund_acceptance_unique_attempt",
                violation_error_message=_("This project already has an inspection with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.project} #{self.attempt}"


class AcceptanceCorrectionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "acceptance__project__enterprise"


class AcceptanceCorrection(models.Model):
    """A district official's recorded correction of a mistyped acceptance (result, date or findings)."""

    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("acceptance inspection"), on_delete=models.CASCADE, related_name="corrections"
    )
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.TextField(_("reason"))
    date = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AcceptanceCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance correction")
        verbose_name_plural = _("acceptance corrections")
        ordering = ["acceptance", "recorded_at"]

    def __str__(self):
        return f"{self.acceptance} · {self.date}"


# --- Recognitions -----------------------------------------------------------------------------


class RecognitionQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        return Q(enterprise__in=visible_enterprise_ids(viewer)) | Q(enterprise__isnull=True)


class Recognition(models.Model):
    """A recognition the programme counts: workshop, smart factory, demo or typical scenario, chain
    model (a chain leader, its member enterprises and the platform used), or the public platform."""

    kind = models.CharField(_("kind"), max_length=24, choices=RecognitionKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=RecognitionLevel.choices)
    recognised_on = models.DateField(_("recognised on"))
    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("recognised by"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    #: Chain models: the member enterprises around the chain leader (``enterprise``).
    members = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("member enterprises"), blank=True, related_name="chain_memberships"
    )
    platform_name = models.CharField(_("industrial internet platform"), max_length=200, blank=True)
    gongfu_lianzhu = models.BooleanField(_("Shanghai 工赋链主"), default=False)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-recognised_on", "-pk"]

    def __str__(self):
        return self.title


# --- The ledger -------------------------------------------------------------------------------

#: Roles that read the whole ledger: fund sources, budget lines, every commitment and payment.
LEDGER_READ_ROLES = GLOBAL_READ_ROLES


class LedgerQuerySet(models.QuerySet):
    """Fund sources and budget lines: read by the ledger's readers (the district, finance officers,
    auditors, admins); by nobody else, whatever the path (page, API, export, PDF)."""

    def visible_to(self, viewer):
        return self if role_of(viewer) in LEDGER_READ_ROLES else self.none()


class EnterpriseMoneyQuerySet(EnterpriseScopedQuerySet):
    """Money granted to an enterprise (commitments, their lines, payments, interest subsidies): the
    ledger's readers see all of it; unit staff the money of their own unit's enterprises; provider
    users and evaluators none, even for the enterprises they serve."""

    def scope_filter(self, viewer, role):
        if role == Role.UNIT_STAFF:
            return super().scope_filter(viewer, role)
        return Q(pk__in=[])


class CommitmentQuerySet(EnterpriseMoneyQuerySet):
    enterprise_path = "enterprise"


class CommitmentLineQuerySet(EnterpriseMoneyQuerySet):
    enterprise_path = "commitment__enterprise"


class DisbursementQuerySet(EnterpriseMoneyQuerySet):
    enterprise_path = "commitment_line__commitment__enterprise"


class FundSource(models.Model):
    """A fund source: the central grant (1亿元) or the district's matching funds (1.02亿元)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FundSourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    amount = money(_("amount (yuan)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    history = HistoricalRecords()

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    """A budget line (预算科目): part of a fund source set aside for one purpose."""

    source = models.ForeignKey(
        FundSource, verbose_name=_("fund source"), on_delete=models.PROTECT, related_name="lines"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=BudgetPurpose.choices)
    name = models.CharField(_("name"), max_length=200)
    amount = money(_("budget (yuan)"))
    history = HistoricalRecords()

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["source", "purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "purpose"],
                name="fund_budget_line_unique",
                violation_error_message=_("This fund source already has a line for this purpose."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fund_budget_line_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.source.name} · {self.name}"


class SubsidyPolicy(models.Model):
    """How a project's subsidy is computed: a ratio of eligible spend, a cap per enterprise and the
    tranches it is paid in. No official figure was found: the seeded figures say they are defaults."""

    name = models.CharField(_("name"), max_length=200)
    ratio = models.DecimalField(_("ratio of eligible spend"), max_digits=5, decimal_places=4)
    cap_per_enterprise = money(_("cap per enterprise (yuan)"))
    #: [{"share": "0.5", "label": "…"}, …] whose shares add up to 1.
    tranches = models.JSONField(_("tranches"), default=list, blank=True)
    figures_are_defaults = models.BooleanField(_("figures are defaults, not official"), default=True)
    is_active = models.BooleanField(_("in force"), default=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["-is_active", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ratio__gte=0, ratio__lte=1) & Q(cap_per_enterprise__gte=0),
                name="fund_policy_ranges",
                violation_error_message=_("The ratio runs from 0 to 1 and the cap cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name


class FinancialProduct(models.Model):
    """A financial product of the 金融清单: a bank's loan product for transformation."""

    bank = models.CharField(_("bank"), max_length=200)
    name = models.CharField(_("product"), max_length=200)
    rate = models.DecimalField(_("annual rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    limit = money(_("limit (yuan)"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financial product")
        verbose_name_plural = _("financial products")
        ordering = ["bank", "name"]

    def __str__(self):
        return f"{self.bank} · {self.name}"


class InterestSubsidy(models.Model):
    """An interest or fee subsidy (贴息贴费) granted to an enterprise for a transformation loan."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="interest_subsidies",
    )
    financial_product = models.ForeignKey(
        FinancialProduct,
        verbose_name=_("financial product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidies",
    )
    loan_amount = money(_("loan (yuan)"))
    loan_on = models.DateField(_("loan date"))
    amount = money(_("subsidy (yuan)"))
    granted_on = models.DateField(_("granted on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = EnterpriseMoneyQuerySet.as_manager()

    class Meta:
        verbose_name = _("interest subsidy")
        verbose_name_plural = _("interest subsidies")
        ordering = ["-granted_on"]

    def __str__(self):
        return f"{self.enterprise} · {self.amount}"


class Commitment(models.Model):
    """Money the district commits: a subsidy approved for a project, an interest subsidy, or another
    spend of a budget line (a platform, an evaluation contract); split over budget lines."""

    title = models.CharField(_("title"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    interest_subsidy = models.ForeignKey(
        InterestSubsidy,
        verbose_name=_("interest subsidy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    policy = models.ForeignKey(
        SubsidyPolicy,
        verbose_name=_("subsidy policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_on = models.DateField(_("committed on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.ACTIVE
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-committed_on", "-pk"]

    def __str__(self):
        return self.title


class CommitmentLine(models.Model):
    """The part of a commitment charged to one budget line."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="lines"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="commitment_lines"
    )
    amount = money(_("amount (yuan)"))
    history = HistoricalRecords()

    objects = CommitmentLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment line")
        verbose_name_plural = _("commitment lines")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "budget_line"],
                name="fund_commitment_line_unique",
                violation_error_message=_("This commitment already charges this budget line."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fund_commitment_line_positive",
                violation_error_message=_("A committed amount must be above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.commitment} · {self.budget_line}"


class Disbursement(models.Model):
    """A payment (拨付) against a commitment line: requested → approved → paid (or rejected).
    A paid disbursement is undone by a reversal: a paid row of negative amount with ``reverses`` set."""

    commitment_line = models.ForeignKey(
        CommitmentLine, verbose_name=_("commitment line"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = money(_("amount (yuan)"))
    tranche = models.PositiveSmallIntegerField(_("tranche"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=DisbursementStatus.choices, default=DisbursementStatus.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    voucher_no = models.CharField(_("voucher number"), max_length=64, blank=True)
    payee_account = models.CharField(_("payee account"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paid by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="fund_disbursement_sign",
                violation_error_message=_("A payment is above zero; only a reversal is below zero."),
            ),
        ]

    def __str__(self):
        return f"{self.commitment_line} · {self.amount}"


# The history back-fill's upload record lives in its own module (funding/backfill.py uses it).
from .backfill_models import BackfillBatch  # noqa: E402, F401
