"""The fund ledger: two fund sources (central grant, district matching funds) divided into budget lines
by purpose. A :class:`Commitment` (a subsidy approved for a project, an interest subsidy, or another
spend) is split over budget lines by :class:`CommitmentLine`; :class:`Disbursement` rows pay a line,
requested → approved → paid; a paid disbursement is undone by a reversal row (negative amount,
``reverses`` set), never by an edit. Money in 元 as Decimal. The services lock the budget lines
concerned (``select_for_update``, in pk order) so that no line is overdrawn, nothing is disbursed
beyond its commitment, and the central capped purposes stay within 20% of the grant, under
concurrent requests.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import enterprise_reference, user_reference

from ..choices import BudgetPurpose, CommitmentStatus, DisbursementStatus, FundSourceKind
from .common import EnterpriseMoneyQuerySet, LedgerQuerySet, money


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


class Commitment(models.Model):
    """Money the district commits: a subsidy approved for a project, an interest subsidy, or another
    spend of a budget line (a platform, an evaluation contract); split over budget lines."""

    title = models.CharField(_("title"), max_length=200)
    enterprise = enterprise_reference("commitments", null=True, blank=True)
    project = models.ForeignKey(
        "funding.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    interest_subsidy = models.ForeignKey(
        "funding.InterestSubsidy",
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
    created_by = user_reference(_("committed by"))
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
    requested_by = user_reference(_("requested by"))
    approved_by = user_reference(_("approved by"))
    paid_by = user_reference(_("paid by"))
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    rejected_by = user_reference(_("rejected by"))
    #: Written by the history back-fill from the programme's documents: exempt from the four-eyes rule,
    #: the officers who took each step are the names in the file (the portal user only uploaded it).
    backfilled = models.BooleanField(_("back-filled"), default=False)
    requested_by_name = models.CharField(_("requested by (as in the file)"), max_length=100, blank=True)
    approved_by_name = models.CharField(_("approved by (as in the file)"), max_length=100, blank=True)
    paid_by_name = models.CharField(_("paid by (as in the file)"), max_length=100, blank=True)
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
            # A voucher pays one payment; its reversal refers to the same voucher.
            models.UniqueConstraint(
                fields=["voucher_no"],
                condition=Q(reverses__isnull=True) & ~Q(voucher_no=""),
                name="fund_disbursement_voucher_unique",
                violation_error_message=_("This voucher number is already used by another payment."),
            ),
        ]

    def __str__(self):
        return f"{self.commitment_line} · {self.amount}"
