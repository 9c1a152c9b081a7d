"""The indicator table as data: reporting periods, the 13 indicators (+ the 1+2 subtotal) and the
three ratio goals, and their targets per period, district-wide and per unit (docs/domain.md §6).

How each actual is counted is code (``reports.selectors.indicators``); what is counted against is data, so
the district can correct a target or allocate targets to its units without a release.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import LeasedWork, user_reference


class ReportingPeriod(models.Model):
    """A reporting period: 2025 (2024-10-01 … 2025-12-31), 2026 (2026-01-01 … 2026-10-31), or the
    running total (from the pilot's start to the report's as-of date: no end)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["order"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """A row of the target table: numbers "1"…"13", the "1+2" subtotal, and the ratio goals R1–R3."""

    class Category(models.TextChoices):
        KEY = "key", _("Key target")
        CHARACTERISTIC = "characteristic", _("Characteristic indicator")
        RATIO = "ratio", _("Ratio goal")

    number = models.CharField(_("number"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16)
    is_ratio = models.BooleanField(_("ratio (a fraction: 0.9 means 90 per cent)"), default=False)
    #: Whether the indicator is broken down by unit (6 and 9 are not).
    by_unit = models.BooleanField(_("broken down by unit"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    counting_rule = models.TextField(_("how the actual is counted"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order"]

    def __str__(self):
        return f"{self.number} {self.name}"


class IndicatorTarget(models.Model):
    """A target for one indicator and period, district-wide (no unit) or allocated to one unit."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=4)
    updated_by = user_reference(_("updated by"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "unit"],
                name="rep_target_unique_unit",
                violation_error_message=_("This indicator already has a target for this period and unit."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(unit__isnull=True),
                name="rep_target_unique_district",
                violation_error_message=_("This indicator already has a district target for this period."),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="rep_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.number} · {self.period.code} · {self.target}"


def snapshot_pdf_upload_to(instance, filename):
    """A random stored name under MEDIA_ROOT (outside the web root); served only through the API."""
    return f"reports/snapshots/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class ReportSnapshot(LeasedWork):
    """An indicator report frozen at a point in time, with its PDF, computed by a Celery task.

    The row is its own job status (:class:`core.models.LeasedWork`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT, related_name="snapshots"
    )
    #: The unit the report covers (None = district-wide), already narrowed by the requester's scope.
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("as of"))

    class Trigger(models.TextChoices):
        REQUEST = "request", _("Requested")
        NIGHTLY = "nightly", _("Nightly")

    #: The rows of ``indicator_report``, numbers as strings so Decimals stay exact; each row also
    #: carries ``record_type`` (enterprise, recognition, product, provider) and ``ids``: the records
    #: counted in its actual (for a ratio, the enterprises of its numerator).
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    #: The per-unit annex of a district-wide snapshot: ``[{"unit": code, "name": …, "indicators":
    #: [{"number", "target", "actual", "completion"}, …]}, …]`` for the 18 units (empty for a unit's).
    units = models.JSONField(_("per-unit annex"), default=list, blank=True)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.REQUEST)
    #: What the dashboard shows beside the table, frozen with it so a dashboard served from a snapshot
    #: costs no aggregate over the whole programme: ``{"levels": …, "money": [{"source", "committed",
    #: "paid"}], "units": {code: {"levels", "money"}}}`` (money as strings; ``units`` district-wide only).
    extras = models.JSONField(_("dashboard figures"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=snapshot_pdf_upload_to, max_length=255, blank=True)
    requested_by = user_reference(_("requested by"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    #: The period close in force when the snapshot was computed (docs/architecture.md "Period close").
    closed_through = models.DateField(_("books closed through"), null=True, blank=True)
    closure = models.ForeignKey(
        "books.Closure", verbose_name=_("closure"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The audit trail's head when the snapshot was computed: its number of entries and its digest.
    audit_entries = models.BigIntegerField(_("audit-trail entries"), null=True, blank=True)
    audit_head = models.CharField(_("audit-trail head"), max_length=64, blank=True)
    #: The earliest snapshot of the same period and unit computed under the same closure (the figures as they stood
    #: at close), and the rows whose actual differs from it: ``[{"number", "name", "old", "new"}]``.
    close_baseline = models.ForeignKey(
        "self", verbose_name=_("figures at close"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_after_close = models.JSONField(_("changed after the close"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["period", "unit", "status", "-finished_at"], name="rep_snapshot_latest"),
        ]

    def __str__(self):
        return f"{self.period.code} {self.unit.code if self.unit_id else '全区'} {self.as_of} ({self.status})"

    @property
    def changed_numbers(self):
        """``{number: actual at close}`` of the rows that changed after the close."""
        return {row["number"]: row["old"] for row in self.changed_after_close or []}
