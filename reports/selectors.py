"""Reads of the reports app: the indicator report (target vs actual), computed now."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.roles import GLOBAL_READ_ROLES, Role, role_of

from .models import Indicator, IndicatorTarget, ReportingPeriod

REPORT_ROLES = GLOBAL_READ_ROLES  # district officials, finance officers, auditors, admins


def report_scope(viewer, unit):
    """The unit a viewer's report covers (None = district-wide), or a refusal."""
    role = role_of(viewer)
    if role in REPORT_ROLES:
        return unit
    if role == Role.UNIT_STAFF:
        if unit is None or unit.pk == viewer.unit_id:
            return viewer.unit
        raise PermissionDenied(_("Street/town staff see the report of their own unit only."))
    raise PermissionDenied(_("Your role does not see the indicator report."))


def parse_as_of(value):
    today = timezone.localdate()
    if value in (None, ""):
        return today
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise DomainError("invalid_date", _("Dates are written YYYY-MM-DD."), field="as_of") from exc
    if value > today:
        raise DomainError("as_of_in_future", _("The as-of date cannot be after today."), field="as_of")
    return value


def period_by_code(code):
    period = ReportingPeriod.objects.filter(code=str(code or "").strip()).first()
    if period is None:
        codes = ", ".join(ReportingPeriod.objects.values_list("code", flat=True))
        raise DomainError("unknown_period", _("Choose a period: {codes}.").format(codes=codes), field="period")
    return period


def _number(value):
    """Counts as int, fractions as Decimal; None stays None."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def completion(actual, target):
    if actual is None or target is None or target <= 0:
        return None
    return (Decimal(actual) / Decimal(target)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()


def indicator_report(*, viewer, period, unit=None, as_of=None):
    """``{"period", "unit", "as_of", "indicators": [...]}`` with all 17 rows (API_CONTRACT.md)."""
    unit = report_scope(viewer, unit)
    return indicator_report_for_scope(period=period, unit=unit, as_of=parse_as_of(as_of))


def indicator_report_for_scope(*, period, unit, as_of):
    """The report for a scope already checked (``unit`` None = district-wide) at a parsed date."""
    from . import indicators as counting

    end = period.end or as_of
    actuals = counting.compute(start=period.start, end=end, as_of=as_of, unit=unit)
    # unit=None selects the district-wide targets (unit IS NULL).
    targets = dict(IndicatorTarget.objects.filter(period=period, unit=unit).values_list("indicator_id", "target"))
    rows = []
    for indicator in Indicator.objects.order_by("order"):
        applies = indicator.by_unit or unit is None
        target = _number(targets.get(indicator.pk)) if applies else None
        actual = _number(actuals.get(indicator.number)) if applies else None
        rows.append(
            {
                "number": indicator.number,
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "target": target,
                "actual": actual,
                "completion": completion(actual, target),
            }
        )
    return {
        "period": period.code,
        "unit": unit.code if unit else None,
        "as_of": as_of.isoformat(),
        "indicators": rows,
    }
