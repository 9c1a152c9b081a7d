"""The indicator table as data: reporting periods, the 13 indicators (+ the 1+2 subtotal) and the
three ratio goals, and their targets per period, district-wide and per unit (DOMAIN.md §6).

How each actual is counted is code (``reports.indicators``); what is counted against is data, so
the district can correct a target or allocate targets to its units without a release.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
