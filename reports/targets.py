"""Unit target allocation: the district allocates each indicator's target to its 18 units.

The district-wide target is its own row (it need not equal the sum of the units'; the grid shows the
sum beside it and warns when they differ). District officials and administrators edit the units'
targets through :func:`unit_targets_set`; every change is kept in the targets' history (who, when,
old → new), which :func:`target_history` reads.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.roles import DISTRICT_ROLES, Role, role_of
from core.selectors import unit_list

from .models import Indicator, IndicatorTarget
from .selectors import REPORT_ROLES, _number

#: Who edits the units' targets.
EDIT_ROLES = DISTRICT_ROLES
#: The largest target the column holds (max_digits=12, decimal_places=4).
MAX_TARGET = Decimal("99999999.9999")


class TargetValuesInvalid(DomainError):
    """Some cells of a target grid were refused; ``errors`` maps ``(unit code, number)`` to the message."""

    def __init__(self, errors):
        self.errors = errors
        message = " ".join(str(m) for m in errors.values())
        super().__init__("invalid_targets", message, field="values")


def can_edit_targets(user):
    return role_of(user) in EDIT_ROLES


def target_scope(viewer):
    """The units whose targets ``viewer`` reads: all 18 for global readers, their own for unit staff."""
    role = role_of(viewer)
    units = unit_list()
    if role in REPORT_ROLES:
        return list(units)
    if role == Role.UNIT_STAFF and viewer.unit_id:
        return list(units.filter(pk=viewer.unit_id))
    raise PermissionDenied(_("Your role does not see the indicator targets."))


def allocated_indicators():
    """The indicators broken down by unit (all but 6 and 9), in table order."""
    return list(Indicator.objects.filter(by_unit=True).order_by("order"))


def target_grid(*, viewer, period):
    """The allocation of ``period`` as the viewer may read it, in three queries:

    ``{"indicators": [{"indicator", "district", "sum", "differs"}], "rows": [{"unit", "cells": [value|None]}]}``;
    ``sum`` is the units' sum (counts only; ratios are not summed), ``differs`` whether it is not the
    district target. Unit staff get only their own row, but the district figures beside it.
    """
    units = target_scope(viewer)
    indicators = allocated_indicators()
    allocated = {}
    district = {}
    for indicator_id, unit_id, value in IndicatorTarget.objects.filter(
        period=period, indicator__in=indicators
    ).values_list("indicator_id", "unit_id", "target"):
        if unit_id is None:
            district[indicator_id] = value
        else:
            allocated[(unit_id, indicator_id)] = value
    columns = []
    for indicator in indicators:
        values = [v for (u, i), v in allocated.items() if i == indicator.pk]
        total = None if indicator.is_ratio or not values else sum(values, Decimal(0))
        target = district.get(indicator.pk)
        columns.append(
            {
                "indicator": indicator,
                "district": _number(target),
                "sum": _number(total),
                "differs": total is not None and target is not None and total != target,
                "missing": not indicator.is_ratio and bool(values) and target is None,
            }
        )
    rows = [
        {"unit": unit, "cells": [_number(allocated.get((unit.pk, indicator.pk))) for indicator in indicators]}
        for unit in units
    ]
    return {"indicators": columns, "rows": rows}


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
                target._history_user = actor
                target.delete()
                changed += 1
            continue
        if target is None:
            target = IndicatorTarget(indicator=indicator, period=period, unit=unit)
        elif target.target == value:
            continue
        target.target = value
        target.updated_by = actor
        target._history_user = actor
        target.full_clean()
        target.save()
        changed += 1
    return changed


def target_history(*, viewer, period, limit=300):
    """The latest changes of the units' targets of ``period`` the viewer may read, newest first:
    ``[{"when", "who", "unit", "indicator", "old", "new", "type"}]`` (old → new; None where the target
    did not exist or was removed). Two queries whatever the number of changes."""
    units = {u.pk: u for u in target_scope(viewer)}
    indicators = {i.pk: i for i in Indicator.objects.all()}
    rows = list(
        IndicatorTarget.history.filter(period_id=period.pk, unit_id__in=list(units))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes = []
    previous = {}
    for row in rows:
        old = previous.get(row.id)
        new = None if row.history_type == "-" else row.target
        previous[row.id] = new
        changes.append(
            {
                "when": row.history_date,
                "who": row.history_user,
                "unit": units[row.unit_id],
                "indicator": indicators.get(row.indicator_id),
                "old": _number(old),
                "new": _number(new),
                "type": row.history_type,
            }
        )
    changes.sort(key=lambda c: c["when"], reverse=True)
    return changes[:limit]
