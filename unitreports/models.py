"""Unit reports (定期上报): the district's schedule of reporting rounds and each street's, town's or zone's
report for a round, with the steps taken on it (docs/domain.md "The reporting rhythm")."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EditedRecord, RecordedEvent, user_reference
from core.roles import Role, role_of
from core.scoping import ScopedQuerySet

from .choices import Cadence, ReportAction, ReportStatus

#: Who reads unit reports besides a unit's own staff (finance officers, providers and evaluators do not).
READER_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR})

#: The narrative sections of a report; a report is complete when every one is filled.
SECTIONS = ("work_done", "dynamic_management", "problems", "next_steps")


class ReportRoundQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The schedule is read by the district's readers and by every unit's staff."""
        role = role_of(viewer)
        if role in READER_ROLES or role == Role.UNIT_STAFF:
            return self
        return self.none()


class ReportRound(EditedRecord):
    """One reporting round the district sets: the period a report covers (a month, a quarter…), the day by which
    every street, town and zone must submit it, and the indicator period (§6: 2025, 2026) it counts in."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices, default=Cadence.MONTHLY)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    indicator_period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("indicator period"),
        on_delete=models.PROTECT,
        related_name="unit_report_rounds",
    )
    history = HistoricalRecords()

    objects = ReportRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["period_start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="unitreports_round_period_order",
                violation_error_message=_("A period ends on or after its first day."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("period_start")),
                name="unitreports_round_due_after_start",
                violation_error_message=_("A report cannot be due before its period begins."),
            ),
        ]

    def __str__(self):
        return self.name


class UnitReportQuerySet(ScopedQuerySet):
    def visible_to(self, viewer):
        role = role_of(viewer)
        if role in READER_ROLES:
            return self
        if role == Role.UNIT_STAFF and viewer.unit_id:
            return self.filter(unit_id=viewer.unit_id)
        return self.none()

    def scope_filter(self, viewer, role):
        return Q(unit_id=getattr(viewer, "unit_id", None)) if role == Role.UNIT_STAFF else Q(pk__in=[])


class UnitReport(EditedRecord):
    """A street's, town's or zone's report for one round: its figures as the indicator engine counted them for
    the unit (filled in when the draft is made, refreshed on every save, frozen at submission), the work done,
    the dynamic management of its pilot enterprises (动态管理), the problems met and the next steps. The unit's
    staff draft and submit it; the district accepts it or returns it with a reason."""

    round = models.ForeignKey(ReportRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="unit_reports"
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_as_of = models.DateField(_("figures as of"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    dynamic_management = models.TextField(_("dynamic management of pilot enterprises"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_reference(_("submitted by"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = user_reference(_("reviewed by"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    history = HistoricalRecords()

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["round__period_start", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"],
                name="unitreports_one_per_round_and_unit",
                violation_error_message=_("This unit already has a report for this round."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.round}"

    @property
    def complete(self):
        return all((getattr(self, name) or "").strip() for name in SECTIONS)


class UnitReportTransition(RecordedEvent):
    """A step taken on a unit report: created, a draft saved, submitted, returned (with the reason), accepted."""

    report = models.ForeignKey(
        UnitReport, verbose_name=_("unit report"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16, choices=ReportAction.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("unit report step")
        verbose_name_plural = _("unit report steps")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action}"
