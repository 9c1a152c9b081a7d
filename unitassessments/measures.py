"""The parts of the street/town assessment this app measures itself, registered in ``core.registry.unit_measures``
(docs/domain.md "Street/town assessment"): each is ``measure(year) -> {unit code: UnitMeasure}`` over the
reporting period of that code, in a fixed number of queries whatever the number of units or records.

* **Indicator completion** (against each unit's own targets): for every indicator allocated to the unit with a
  target above 0 (the 1+2 subtotal aside: it repeats 1 and 2), actual ÷ target capped at 100 %; the score is
  100 × their mean. A unit without any target is not measured on this part.
* **Overdue items**: the deadlines of the unit's pilot enterprises due inside the period and already due today;
  the score is 100 × (1 − overdue ÷ due). Nothing due yet is 100.
* **Withdrawals without replacement**: enterprises of the unit withdrawn inside the period with no replacement
  named, over the unit's enterprises in the pilot list during the period (active now, or withdrawn on or after
  the period's first day); the score is 100 × (1 − unreplaced ÷ listed). No enterprise listed is 100.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.registry import UnitMeasure
from core.selectors import unit_list
from diagnostics.models import Deadline
from diagnostics.selectors.diagnoses import deadlines_with_state
from enterprises.choices import Status
from enterprises.models import Enterprise
from reports.models import IndicatorTarget, ReportingPeriod
from reports.selectors.indicators import compute_by_unit, shown

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
#: The subtotal row: it repeats indicators 1 and 2, so it is not counted a second time.
SUBTOTAL = "1+2"


def points(value):
    """A score rounded to two places (half up), from 0 to 100."""
    return min(HUNDRED, max(Decimal(0), Decimal(value))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def period_of(year):
    """The reporting period of ``year`` (2025 or 2026)."""
    return ReportingPeriod.objects.get(code=str(year))


def _share_score(bad, total):
    return HUNDRED if not total else points(HUNDRED * (1 - Decimal(bad) / Decimal(total)))


def _percent(value):
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def indicator_completion(year):
    """Each unit's completion of its own targets of the period, as of today."""
    period = period_of(year)
    now = timezone.now()
    today = timezone.localdate()
    targets = {}
    for unit_id, number, is_ratio, target in (
        IndicatorTarget.objects.filter(period=period, unit__isnull=False, target__gt=0, indicator__by_unit=True)
        .exclude(indicator__number=SUBTOTAL)
        .order_by("indicator__order")
        .values_list("unit_id", "indicator__number", "indicator__is_ratio", "target")
    ):
        targets.setdefault(unit_id, []).append((number, is_ratio, target))
    if not targets:
        return {}
    actuals = compute_by_unit(start=period.start, end=period.end or today, as_of=today)
    result = {}
    for unit in unit_list():
        rows = targets.get(unit.pk)
        if not rows:
            continue
        parts = []
        total = Decimal(0)
        for number, is_ratio, target in rows:
            actual = actuals.get(unit.pk, {}).get(number)
            done = min(Decimal(1), Decimal(actual or 0) / target)
            total += done
            parts.append(f"{number}: {shown(actual or 0, is_ratio)}/{shown(target, is_ratio)} ({_percent(done)})")
        score = points(HUNDRED * total / len(rows))
        link = reverse("reports:indicators") + "?" + urlencode({"period": period.code, "unit": unit.code})
        result[unit.code] = UnitMeasure(
            score=score,
            explanation=format_lazy(
                _(
                    "The mean completion of the {count} indicators with a unit target (actual ÷ target, each at "
                    "most 100 per cent): {details}."
                ),
                count=len(rows),
                details="; ".join(parts),
            ),
            link=link,
            measured_at=now,
        )
    return result


def overdue_items(year):
    """Each unit's deadlines of the period already due, and how many of them are overdue."""
    period = period_of(year)
    now = timezone.now()
    today = timezone.localdate()
    window = Q(due_on__gte=period.start, due_on__lt=today, enterprise__status=Status.ACTIVE)
    if period.end:
        window &= Q(due_on__lte=period.end)
    counts = {}
    for code, overdue in deadlines_with_state(Deadline.objects.filter(window)).values_list(
        "enterprise__unit__code", "is_overdue"
    ):
        due, late = counts.get(code, (0, 0))
        counts[code] = (due + 1, late + (1 if overdue else 0))
    result = {}
    for unit in unit_list():
        due, late = counts.get(unit.code, (0, 0))
        link = reverse("diagnostics:diagnoses:deadlines") + "?" + urlencode({"unit": unit.code, "overdue": "on"})
        if due:
            explanation = format_lazy(
                _("{late} of the {due} deadlines of the period already due are overdue: 100 × (1 − {late} ÷ {due})."),
                late=late,
                due=due,
            )
        else:
            explanation = _("No deadline of the period has fallen due yet: nothing is overdue.")
        result[unit.code] = UnitMeasure(
            score=_share_score(late, due), explanation=explanation, link=link, measured_at=now
        )
    return result


def withdrawals(year):
    """Each unit's enterprises withdrawn in the period without a replacement, over those in the pilot list."""
    period = period_of(year)
    now = timezone.now()
    today = timezone.localdate()
    end = min(period.end, today) if period.end else today
    listed = {}
    unreplaced = {}
    rows = Enterprise.objects.filter(
        Q(status=Status.ACTIVE) | Q(status=Status.WITHDRAWN, withdrawn_on__gte=period.start)
    ).values_list("unit__code", "status", "withdrawn_on", "replacement_id")
    for code, status, withdrawn_on, replacement_id in rows:
        listed[code] = listed.get(code, 0) + 1
        if status == Status.WITHDRAWN and withdrawn_on and withdrawn_on <= end and replacement_id is None:
            unreplaced[code] = unreplaced.get(code, 0) + 1
    result = {}
    for unit in unit_list():
        total, bad = listed.get(unit.code, 0), unreplaced.get(unit.code, 0)
        link = reverse("enterprises:list") + "?" + urlencode({"unit": unit.code, "status": Status.WITHDRAWN})
        if total:
            explanation = format_lazy(
                _(
                    "{bad} of the unit's {total} enterprises in the pilot list during the period were withdrawn "
                    "in it without a replacement: 100 × (1 − {bad} ÷ {total})."
                ),
                bad=bad,
                total=total,
            )
        else:
            explanation = _("The unit had no enterprise in the pilot list during the period.")
        result[unit.code] = UnitMeasure(
            score=_share_score(bad, total), explanation=explanation, link=link, measured_at=now
        )
    return result
