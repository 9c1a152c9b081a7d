"""The target allocation pages: the units × indicators grid of a period (district officials and admins
edit it) and the history of its changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, PermissionDenied
from core.selectors import unit_list

from ..models import ReportingPeriod
from ..permissions import can_edit_targets
from ..selectors.indicators import shown
from ..selectors.scope import period_by_code
from ..selectors.targets import allocated_indicators, target_grid, target_history
from ..services.targets import TargetValuesInvalid, unit_targets_set


def _period_for_targets(request):
    code = request.GET.get("period") or request.POST.get("period")
    if not code:
        return ReportingPeriod.objects.order_by("order").first()
    return period_by_code(code)


@login_required
@require_http_methods(["GET", "POST"])
def unit_targets(request):
    """The units × indicators grid of the targets allocated in a period, the district target and the
    units' sum beside each indicator; district officials and admins edit it."""
    try:
        period = _period_for_targets(request)
        can_edit = can_edit_targets(request.user)
        errors = {}
        submitted = {}
        if request.method == "POST":
            if not can_edit:
                raise PermissionDenied(_("Only district officials allocate targets to the units."))
            numbers = [i.number for i in allocated_indicators()]
            values = {
                (unit.code, number): request.POST.get(f"t-{unit.code}-{number}", "")
                for unit in unit_list()
                for number in numbers
                if f"t-{unit.code}-{number}" in request.POST
            }
            try:
                changed = unit_targets_set(actor=request.user, period=period, values=values)
            except TargetValuesInvalid as exc:
                errors = {f"t-{code}-{number}": message for (code, number), message in exc.errors.items()}
                submitted = {f"t-{code}-{number}": raw for (code, number), raw in values.items()}
            else:
                messages.success(request, _("{count} targets changed.").format(count=changed))
                return redirect(f"{reverse('reports:targets')}?period={period.code}")
        grid = target_grid(viewer=request.user, period=period)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("reports:targets"))
    for row in grid["rows"]:
        row["inputs"] = []
        for column, value in zip(grid["indicators"], row["cells"], strict=True):
            name = f"t-{row['unit'].code}-{column['indicator'].number}"
            row["inputs"].append(
                {
                    "name": name,
                    "value": submitted.get(name, "" if value is None else value),
                    "shown": shown(value, column["indicator"].is_ratio),
                    "error": errors.get(name),
                    "label": f"{row['unit'].short_name or row['unit'].name} · {column['indicator'].number} {column['indicator'].name}",
                }
            )
    context = {
        "period": period,
        "periods": ReportingPeriod.objects.order_by("order"),
        "grid": grid,
        "can_edit": can_edit,
        "errors": errors,
        "shown_district": [shown(c["district"], c["indicator"].is_ratio) for c in grid["indicators"]],
    }
    return render(request, "reports/targets.html", context, status=400 if errors else 200)


@login_required
def target_history_page(request):
    """Who changed which unit's target of a period, when, and from what to what."""
    try:
        period = _period_for_targets(request)
        changes = target_history(viewer=request.user, period=period)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("reports:target_history"))
    for change in changes:
        is_ratio = bool(change["indicator"] and change["indicator"].is_ratio)
        change["old_shown"] = shown(change["old"], is_ratio)
        change["new_shown"] = shown(change["new"], is_ratio)
    return render(
        request,
        "reports/targets_history.html",
        {"period": period, "periods": ReportingPeriod.objects.order_by("order"), "changes": changes},
    )
