"""The demo's unit targets (``seed_demo``): each year's district target of every indicator broken down by unit is
allocated to the 18 units in proportion to their enterprises in the pilot list (largest remainders, so the units'
targets add up to the district's exactly); the 1+2 subtotal is each unit's 1 plus 2, and a ratio goal is the
district's for every unit. Set through the allocation service, so the targets' history shows who set them.
Nothing for a period that has unit targets already."""

from decimal import Decimal

from core.selectors import unit_list
from enterprises.choices import Status
from enterprises.models import Enterprise
from reports.models import IndicatorTarget, ReportingPeriod
from reports.selectors.targets import allocated_indicators
from reports.services.targets import unit_targets_set

SUBTOTAL = "1+2"


def split(total, weights):
    """``total`` (a whole number) split in proportion to ``weights`` ({key: weight}) by largest remainders:
    whole numbers adding up to ``total``; ties go to the earlier key."""
    keys = list(weights)
    whole = sum(weights.values())
    if not whole:
        weights, whole = dict.fromkeys(keys, 1), len(keys)
    shares = {k: Decimal(total) * weights[k] / whole for k in keys}
    result = {k: int(shares[k]) for k in keys}
    left = int(total) - sum(result.values())
    for k in sorted(keys, key=lambda k: (-(shares[k] - result[k]), keys.index(k)))[:left]:
        result[k] += 1
    return result


def unit_allocation(period):
    """``{(unit code, number): text}`` of ``period``'s allocation, from its district targets."""
    units = list(unit_list())
    listed = dict.fromkeys((u.code for u in units), 0)
    for code in Enterprise.objects.filter(status=Status.ACTIVE).values_list("unit__code", flat=True):
        listed[code] = listed.get(code, 0) + 1
    weights = {u.code: listed.get(u.code, 0) for u in units}
    district = dict(
        IndicatorTarget.objects.filter(period=period, unit__isnull=True).values_list("indicator__number", "target")
    )
    values = {}
    indicators = allocated_indicators()
    for indicator in indicators:
        target = district.get(indicator.number)
        if target is None or indicator.number == SUBTOTAL:
            continue
        if indicator.is_ratio:
            values.update({(u.code, indicator.number): f"{target:f}" for u in units})
            continue
        for code, share in split(int(target), weights).items():
            values[(code, indicator.number)] = str(share)
    if any(i.number == SUBTOTAL for i in indicators) and district.get(SUBTOTAL) is not None:
        for u in units:
            values[(u.code, SUBTOTAL)] = str(int(values.get((u.code, "1"), 0)) + int(values.get((u.code, "2"), 0)))
    return values


def seed_targets(*, district):
    """Allocate the district targets of 2025 and 2026 to the units (periods already allocated are left alone)."""
    changed = 0
    for period in ReportingPeriod.objects.filter(end__isnull=False).order_by("order"):
        if IndicatorTarget.objects.filter(period=period, unit__isnull=False).exists():
            continue
        changed += unit_targets_set(actor=district, period=period, values=unit_allocation(period))
    return changed
