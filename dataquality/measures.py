"""The data-quality part of the street/town assessment (docs/domain.md "Street/town assessment"), registered as
``data_quality`` in ``core.registry.unit_measures``: the share of a unit's enterprises without an open finding."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import UnitMeasure

from .selectors import unit_quality


def data_quality(year):
    """``{unit code: UnitMeasure}`` for the year ``year`` (2025, 2026), from
    :func:`dataquality.selectors.unit_quality`."""
    measured = {}
    for code, row in unit_quality(int(year)).items():
        explanation = _(
            "{score}% of the unit's {enterprises} enterprises in the programme have no open finding "
            "({findings} open findings)."
        ).format(score=row["score"], enterprises=row["enterprises"], findings=row["findings"])
        measured[code] = UnitMeasure(
            score=Decimal(row["score"]),
            explanation=explanation,
            link=f"{reverse('dataquality:centre')}?unit={code}",
            measured_at=row["measured_at"],
        )
    return measured
