"""Reads of the street/town assessment: the template's parts, each unit's score of a year computed now from the
registered measures (``core.registry.unit_measures``), the ranking, and the history of the weights.

The scoring rule (docs/domain.md "Street/town assessment"): a unit's score is the weighted mean of the scores of
the parts **measured** for it, ``Σ wᵢ·sᵢ ÷ Σ wᵢ`` over those parts, rounded to two places (half up). A part whose
key has no registered measure, or whose measure leaves the unit out, is shown as not yet measured and counts
with weight 0: its weight is not redistributed part by part, the score is normalised over the measured parts
(so each measured part's effective weight is ``wᵢ ÷ Σ wᵢ``). With no measured part of positive weight the score
is 0. Ranks: 1 for the highest score, equal scores share a rank and the next rank skips (1, 2, 2, 4).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.registry import unit_measures
from core.roles import Role, role_of
from core.selectors import unit_list

from .choices import YEARS, Part
from .models import AssessmentPart
from .permissions import can_view_ranking, can_view_unit

TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


@dataclass
class PartScore:
    """One part of one unit's assessment: its template weight, and, when measured, its score, effective weight
    (a fraction of the measured weights), contribution (points of the total), explanation and link."""

    key: str
    label: str
    weight: Decimal
    measured: bool
    score: Decimal | None = None
    effective_weight: Decimal | None = None
    contribution: Decimal | None = None
    explanation: str = ""
    link: str | None = None
    measured_at: object = None


@dataclass
class UnitAssessment:
    """One unit's assessment of a year: its score, its rank among the 18 units, and its parts."""

    unit: object
    year: int
    score: Decimal
    rank: int = 0
    parts: list = field(default_factory=list)
    measured_weight: Decimal = Decimal(0)


def parse_year(value):
    """The assessment year asked for (2025 or 2026, the reporting period of that code), or a 400."""
    text = str(value if value is not None else "").strip()
    if text not in {str(y) for y in YEARS}:
        years = ", ".join(str(y) for y in YEARS)
        raise DomainError("invalid_year", _("Choose a year: {years}.").format(years=years), field="year")
    return int(text)


def template_parts():
    """The parts of the scoring template in order (every key of :class:`Part` has a row, loaded by migration)."""
    return list(AssessmentPart.objects.order_by("order", "key"))


def rank(rows):
    """Set ``rank`` on ``rows`` (highest score first, equal scores sharing a rank) and return them in rank order,
    then by unit code."""
    ordered = sorted(rows, key=lambda r: (-r.score, r.unit.code))
    for row in ordered:
        row.rank = 1 + sum(1 for other in ordered if other.score > row.score)
    return ordered


def compute(year):
    """Every unit's assessment of ``year``, ranked: each registered measure is called once."""
    parts = template_parts()
    measured = {}
    for part in parts:
        measure = unit_measures.get(part.key)
        measured[part.key] = measure(year) if measure is not None else None
    rows = []
    for unit in unit_list():
        scores = []
        for part in parts:
            results = measured[part.key]
            entry = results.get(unit.code) if results is not None else None
            scores.append((part, entry))
        weight = sum((p.weight for p, e in scores if e is not None), Decimal(0))
        total = Decimal(0)
        shown = []
        for part, entry in scores:
            label = Part(part.key).label if part.key in Part.values else part.key
            if entry is None:
                shown.append(PartScore(key=part.key, label=label, weight=part.weight, measured=False))
                continue
            share = part.weight / weight if weight else Decimal(0)
            total += share * entry.score
            shown.append(
                PartScore(
                    key=part.key,
                    label=label,
                    weight=part.weight,
                    measured=True,
                    score=entry.score,
                    effective_weight=share.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP),
                    contribution=(share * entry.score).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
                    explanation=str(entry.explanation),
                    link=entry.link,
                    measured_at=entry.measured_at,
                )
            )
        rows.append(
            UnitAssessment(
                unit=unit,
                year=year,
                score=total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
                parts=shown,
                measured_weight=weight,
            )
        )
    return rank(rows)


def assessment_list(*, viewer, year):
    """The ranked assessments of ``year`` the viewer reads: all 18 for district officials, auditors and admins,
    their own unit's row (with its rank among all 18) for unit staff; anyone else is refused."""
    year = parse_year(year)
    allowed, reason = can_view_ranking(viewer)
    if not allowed and role_of(viewer) != Role.UNIT_STAFF:
        raise PermissionDenied(reason)
    rows = compute(year)
    if allowed:
        return rows
    return [row for row in rows if row.unit.pk == viewer.unit_id]


def assessment_get(*, viewer, year, unit):
    """One unit's assessment of ``year`` (its rank among all 18), if the viewer reads it."""
    year = parse_year(year)
    allowed, reason = can_view_unit(viewer, unit)
    if not allowed:
        raise PermissionDenied(reason)
    return next(row for row in compute(year) if row.unit.pk == unit.pk)


def weight_history(limit=300):
    """The changes of the template's weights, newest first: ``[{"when", "who", "key", "label", "old", "new",
    "reason"}]`` (``old`` None where the part was created; the first change of a part loaded by migration
    reads its old weight from ``previous_weight``). One query."""
    rows = list(AssessmentPart.history.select_related("history_user").order_by("id", "history_date", "history_id"))
    previous = {}
    changes = []
    for row in rows:
        old = previous.get(row.id, row.previous_weight)
        new = None if row.history_type == "-" else row.weight
        previous[row.id] = new
        if old == new and row.history_type == "~":
            continue
        changes.append(
            {
                "when": row.history_date,
                "who": row.history_user,
                "key": row.key,
                "label": Part(row.key).label if row.key in Part.values else row.key,
                "old": old,
                "new": new,
                "reason": row.history_change_reason or "",
            }
        )
    changes.sort(key=lambda c: c["when"], reverse=True)
    return changes[:limit]
