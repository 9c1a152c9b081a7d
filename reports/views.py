"""The indicator dashboard: target vs actual per indicator, per period, district-wide or per unit."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render

from core.errors import DomainError, PermissionDenied
from core.roles import Role, role_of
from core.selectors import unit_list

from .models import ReportingPeriod
from .selectors import indicator_report, period_by_code

COUNT_ROWS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13")


@login_required
def indicator_dashboard(request):
    periods = list(ReportingPeriod.objects.order_by("order"))
    is_unit_staff = role_of(request.user) == Role.UNIT_STAFF
    units = list(unit_list())
    error = None
    code = request.GET.get("unit") or (request.user.unit.code if is_unit_staff and request.user.unit_id else "")
    unit = next((u for u in units if u.code == code), None)
    try:
        period = period_by_code(request.GET.get("period") or "total")
        report = indicator_report(viewer=request.user, period=period, unit=unit, as_of=request.GET.get("as_of"))
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        error = exc.message
        period = periods[-1]
        report = indicator_report(viewer=request.user, period=period, unit=unit)
    by_unit = []
    if unit is None and not is_unit_staff:
        # Each unit's actuals beside the district's (a fixed number of queries per unit).
        for each in units:
            rows = indicator_report(viewer=request.user, period=period, unit=each, as_of=report["as_of"])
            by_unit.append({"unit": each, "rows": {r["number"]: r for r in rows["indicators"]}})
    chart = {
        "numbers": [r["number"] for r in report["indicators"] if r["number"] in COUNT_ROWS],
        "targets": [r["target"] for r in report["indicators"] if r["number"] in COUNT_ROWS],
        "actuals": [r["actual"] for r in report["indicators"] if r["number"] in COUNT_ROWS],
    }
    context = {
        "report": report,
        "periods": periods,
        "period": period,
        "units": [] if is_unit_staff else units,
        "unit": unit,
        "by_unit": by_unit,
        "count_rows": COUNT_ROWS,
        "chart": {
            key: [float(v) if v is not None else None for v in values] if key != "numbers" else values
            for key, values in chart.items()
        },
        "error": error,
    }
    return render(request, "reports/indicators.html", context)
