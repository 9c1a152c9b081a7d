"""The unit reports' part of the street/town assessment (docs/domain.md "Street/town assessment"), registered
as ``unit_reports`` in ``core.registry.unit_measures``: each unit's timeliness and completeness of its reports."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import UnitMeasure

from .selectors import unit_report_timeliness


def unit_reports(year):
    """``{unit code: UnitMeasure}`` for the indicator period ``year`` (2025, 2026): the timeliness score of
    :func:`unitreports.selectors.unit_report_timeliness`, explained by its counts."""
    now = timezone.now()
    link = f"{reverse('unitreports:overview')}?period={year}"
    measured = {}
    for code, row in unit_report_timeliness(str(year)).items():
        if row["due"]:
            explanation = _(
                "{due} reports were due: {on_time} on time, {late} late (half credit), {missing} missing; "
                "{complete} complete in every section."
            ).format(**{k: row[k] for k in ("due", "on_time", "late", "missing", "complete")})
        else:
            explanation = _("No report of this year is due yet.")
        measured[code] = UnitMeasure(score=row["score"], explanation=explanation, link=link, measured_at=now)
    return measured
