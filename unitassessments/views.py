"""The street/town assessment pages: the ranking of the 18 units with its chart, one unit's assessment explained
part by part (unit staff land on their own), the weights of the scoring template with their history, and the
exports (xlsx, PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError, PermissionDenied
from core.params import QueryError
from core.roles import Role, role_of
from core.selectors import unit_list

from . import exports
from .choices import YEARS
from .forms import WeightsForm
from .permissions import can_edit_weights, can_view_ranking
from .selectors import assessment_get, assessment_list, parse_year, template_parts, weight_history
from .services import weights_set

#: The year a page shows when none is asked for: the latest assessment year.
DEFAULT_YEAR = YEARS[-1]


def _year(request):
    value = request.GET.get("year")
    if value in (None, ""):
        return DEFAULT_YEAR
    try:
        return parse_year(value)
    except DomainError as exc:
        raise QueryError(exc.message, field="year") from exc


def _unit_url(code, year):
    return reverse("unitassessments:unit", kwargs={"code": code}) + "?" + urlencode({"year": year})


def _chart(rows):
    return {
        "units": [row.unit.name for row in rows],
        "codes": [row.unit.code for row in rows],
        "scores": [float(row.score) for row in rows],
    }


@login_required
@require_GET
def ranking(request):
    """The ranking of the 18 units for a year, with a chart; unit staff are taken to their own unit's page."""
    year = _year(request)
    if role_of(request.user) == Role.UNIT_STAFF and request.user.unit_id:
        return redirect(_unit_url(request.user.unit.code, year))
    try:
        rows = assessment_list(viewer=request.user, year=year)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    parts = rows[0].parts if rows else []
    context = {
        "year": year,
        "years": YEARS,
        "rows": rows,
        "parts": parts,
        "chart": _chart(rows),
        "can_edit": can_edit_weights(request.user)[0],
    }
    return render(request, "unitassessments/ranking.html", context)


@login_required
@require_GET
def unit_detail(request, code):
    """One unit's assessment of a year: each part's weight, score, effective weight, contribution, how it was
    computed and the records behind it."""
    year = _year(request)
    unit = next((u for u in unit_list() if u.code == code), None)
    if unit is None:
        raise Http404
    try:
        row = assessment_get(viewer=request.user, year=year, unit=unit)
    except PermissionDenied as exc:
        if role_of(request.user) == Role.UNIT_STAFF:
            raise Http404 from exc  # another unit's assessment: not found, like a record out of scope
        raise DjangoPermissionDenied(exc.message) from exc
    context = {
        "year": year,
        "years": YEARS,
        "row": row,
        "count": len(unit_list()),
        "can_rank": can_view_ranking(request.user)[0],
    }
    return render(request, "unitassessments/unit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def weights(request):
    """The scoring template's weights (district officials and admins edit them) and every change of them."""
    allowed, reason = can_edit_weights(request.user)
    if not allowed and not can_view_ranking(request.user)[0]:
        raise DjangoPermissionDenied(reason)
    parts = template_parts()
    form = WeightsForm(request.POST or None, parts=parts)
    status = 200
    if request.method == "POST":
        if not allowed:
            raise DjangoPermissionDenied(reason)
        if form.is_valid():
            try:
                changed = weights_set(actor=request.user, values=form.values(), reason=form.cleaned_data["reason"])
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                field = f"w-{exc.field}" if exc.field and f"w-{exc.field}" in form.fields else None
                form.add_error(field, exc.message)
                status = 400
            else:
                messages.success(request, _("{count} weights changed.").format(count=changed))
                return redirect(reverse("unitassessments:weights"))
        else:
            status = 400
    context = {"form": form, "parts": parts, "can_edit": allowed, "changes": weight_history()}
    return render(request, "unitassessments/weights.html", context, status=status)


def _export_rows(request):
    year = _year(request)
    try:
        return year, assessment_list(viewer=request.user, year=year)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


@login_required
@require_GET
def export_xlsx(request):
    """The ranking (unit staff: their own row) and every part of every unit as an xlsx workbook, logged."""
    year, rows = _export_rows(request)
    return exports.xlsx_download(request, year=year, rows=rows)


@login_required
@require_GET
def export_pdf(request):
    """The ranking and each unit's parts explained, as a PDF, logged."""
    year, rows = _export_rows(request)
    return exports.pdf_download(request, year=year, rows=rows)
