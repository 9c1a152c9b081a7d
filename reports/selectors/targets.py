"""The units' allocated targets as a viewer may read them: the grid of a period and who changed which target.

The district-wide target is its own row (it need not equal the sum of the units'; the grid shows the
sum beside it and warns when they differ). The changes: ``reports.services.targets``.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.roles import Role, role_of
from core.selectors import unit_list

from ..models import Indicator, IndicatorTarget
from ..permissions import REPORT_ROLES
from .indicators import as_number


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
                "district": as_number(target),
                "sum": as_number(total),
                "differs": total is not None and target is not None and total != target,
                "missing": not indicator.is_ratio and bool(values) and target is None,
            }
        )
    rows = [
        {"unit": unit, "cells": [as_number(allocated.get((unit.pk, indicator.pk))) for indicator in indicators]}
        for unit in units
    ]
    return {"indicators": columns, "rows": rows}


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
                "old": as_number(old),
                "new": as_number(new),
                "type": row.history_type,
            }
        )
    changes.sort(key=lambda c: c["when"], reverse=True)
    return changes[:limit]
