"""Unit target allocation: the district allocates each indicator's target to its 18 units.

District officials and administrators edit the units' targets through :func:`unit_targets_set`; every
change is kept in the targets' history (who, when, old → new), which
:func:`reports.selectors.targets.target_history` reads.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.history import save_with_history, set_history
from core.selectors import unit_list

from ..models import IndicatorTarget
from ..permissions import can_edit_targets
from ..selectors.targets import allocated_indicators

#: The largest target the column holds (max_digits=12, decimal_places=4).
MAX_TARGET = Decimal("99999999.9999")


class TargetValuesInvalid(DomainError):
    """Some cells of a target grid were refused; ``errors`` maps ``(unit code, number)`` to the message."""

    def __init__(self, errors):
        self.errors = errors
        message = " ".join(str(m) for m in errors.values())
        super().__init__("invalid_targets", message, field="values")


def _parse(raw, indicator, unit):
    """A cell's text as a Decimal (None when blank), or the message refusing it."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        return None, None
    label = _("{unit} · indicator {number}").format(unit=unit.name, number=indicator.number)
    if indicator.is_ratio and text.endswith("%"):
        text, scale = text[:-1].strip(), Decimal(100)
    else:
        scale = Decimal(1)
    try:
        value = Decimal(text) / scale
    except InvalidOperation:
        return None, _("{label}: “{value}” is not a number.").format(label=label, value=raw)
    if not value.is_finite():
        return None, _("{label}: “{value}” is not a number.").format(label=label, value=raw)
    if value < 0:
        return None, _("{label}: a target cannot be negative.").format(label=label)
    if indicator.is_ratio and value > 1:
        return None, _("{label}: a ratio target is at most 1 (100 per cent).").format(label=label)
    if not indicator.is_ratio and value != value.to_integral_value():
        return None, _("{label}: counts are whole numbers.").format(label=label)
    if value > MAX_TARGET or value != value.quantize(Decimal("0.0001")):
        return None, _("{label}: at most 8 digits before the point and 4 after it.").format(label=label)
    return value, None


@transaction.atomic
def unit_targets_set(*, actor, period, values):
    """Set the units' targets of ``period`` from ``values`` = ``{(unit code, indicator number): text}``
    (a blank text removes the unit's target). All or nothing: one refused cell refuses the whole
    change with a message per cell (:class:`TargetValuesInvalid`). Only indicators broken down by unit
    are allocated; ratios are fractions ≤ 1 (a trailing % is read as per cent), counts whole numbers ≥ 0.
    Each created, changed or removed target is recorded in its history with ``actor``; unchanged cells
    write nothing. Returns the number of targets changed."""
    if not can_edit_targets(actor):
        raise PermissionDenied(_("Only district officials allocate targets to the units."))
    units = {u.code: u for u in unit_list()}
    indicators = {i.number: i for i in allocated_indicators()}
    errors = {}
    parsed = {}
    for key, raw in values.items():
        code, number = key
        unit, indicator = units.get(str(code)), indicators.get(str(number))
        if unit is None:
            errors[key] = _("Unknown unit: {code}.").format(code=code)
            continue
        if indicator is None:
            errors[key] = _("Indicator {number} is not allocated to units.").format(number=number)
            continue
        value, error = _parse(raw, indicator, unit)
        if error:
            errors[key] = error
        else:
            parsed[(unit, indicator)] = value
    if errors:
        raise TargetValuesInvalid(errors)
    existing = {
        (t.unit_id, t.indicator_id): t
        for t in IndicatorTarget.objects.select_for_update().filter(period=period, unit__isnull=False)
    }
    changed = 0
    for (unit, indicator), value in parsed.items():
        target = existing.get((unit.pk, indicator.pk))
        if value is None:
            if target is not None:
                set_history(target, actor=actor)
                target.delete()
                changed += 1
            continue
        if target is None:
            target = IndicatorTarget(indicator=indicator, period=period, unit=unit)
        elif target.target == value:
            continue
        target.target = value
        target.updated_by = actor
        save_with_history(target, actor=actor)
        changed += 1
    return changed
