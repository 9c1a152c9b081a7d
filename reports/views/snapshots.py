"""Report snapshot pages: the list (filters, request form, pick two to compare), a snapshot (status
polled while it runs, its rows, ratio goals, per-unit annex), the PDF download and the compare page.

Views only translate HTTP: reads go through ``reports.selectors.snapshots``, the request through
``reports.services.snapshots``; downloads are logged (``core.downloads``).
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import logged_download
from core.errors import DomainError, PermissionDenied
from core.models import OrgUnit
from core.roles import Role, role_of
from core.selectors import unit_list

from ..exports import snapshot_file_name, snapshot_pdf_download, snapshot_workbook
from ..models import ReportingPeriod, ReportSnapshot
from ..permissions import can_request_snapshot
from ..selectors import snapshots
from ..selectors.indicators import NOT_BY_UNIT, RATIOS, as_number, completion_shown, shown
from ..selectors.scope import period_by_code
from ..services.snapshots import snapshot_request as request_snapshot

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _domain(call, *args, **kwargs):
    """Run a service or selector; a refused role is a 403 page and an unseen record a 404."""
    try:
        return call(*args, **kwargs)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        raise


def _get(request, pk, read=None):
    """The snapshot ``pk`` through ``read`` (default ``snapshot_get``); 404 for an id that is no uuid."""
    try:
        uuid.UUID(str(pk))
    except ValueError:
        raise Http404(_("No report snapshot you can see has this id.")) from None
    return _domain(read or snapshots.snapshot_get, viewer=request.user, snapshot_id=pk)


@login_required
def snapshot_list(request):
    """The snapshots the viewer may read, filtered by period, unit, status and trigger; the form
    that requests one; checkboxes to pick two to compare."""
    qs = _domain(snapshots.snapshots_visible_to, request.user)  # 403 for roles without reports
    error = None
    try:
        qs = snapshots.snapshot_list(viewer=request.user, filters=request.GET)
    except DomainError as exc:
        error = exc.message
        qs = snapshots.snapshot_list(viewer=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    is_unit_staff = role_of(request.user) == Role.UNIT_STAFF
    return render(
        request,
        "reports/snapshot_list.html",
        {
            "page_obj": page,
            "error": error,
            "periods": list(ReportingPeriod.objects.order_by("order")),
            "units": [] if is_unit_staff else list(unit_list()),
            "statuses": ReportSnapshot.Status.choices,
            "triggers": ReportSnapshot.Trigger.choices,
            "filters": {k: request.GET.get(k, "") for k in ("period", "unit", "status", "trigger")},
            "may_request": can_request_snapshot(request.user),
            "is_unit_staff": is_unit_staff,
        },
    )


def _back(request):
    """Where a failed request goes back to: the page that posted it (same host), else the list."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reports:snapshot_list")


@login_required
@require_POST
def snapshot_request(request):
    """Ask for a snapshot (period, optional unit code, optional as-of date); the dashboard's button
    posts here too. On success the snapshot's page, which follows its progress."""
    if not can_request_snapshot(request.user):
        raise DjangoPermissionDenied(_("Your role does not request report snapshots."))
    try:
        period = period_by_code(request.POST.get("period"))
        code = (request.POST.get("unit") or "").strip()
        unit = None
        if code and code != "district":
            unit = OrgUnit.objects.filter(code=code, parent__isnull=False).first()
            if unit is None:
                raise DomainError("unknown_unit", _("No unit has the code {code}.").format(code=code), field="unit")
        snapshot = request_snapshot(
            actor=request.user, period=period, unit=unit, as_of=request.POST.get("as_of") or None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, _("The snapshot was requested; it is computed in the background."))
    return redirect("reports:snapshot_detail", pk=snapshot.pk)


def _shown_rows(snapshot_rows):
    """Rows with numbers (the page's rows, with ``count`` and ``denominator``: ``snapshot_page``),
    split into the count rows and the ratio goals."""
    rows = [{**row, **{k: as_number(row.get(k)) for k in snapshots.NUMBER_FIELDS}} for row in snapshot_rows or []]
    for row in rows:
        uom = row.get("unit_of_measure", "")
        row["target_shown"] = shown(row["target"], uom == "%")
        row["actual_shown"] = shown(row["actual"], uom == "%")
        row["completion_shown"] = completion_shown(row["completion"])
    return [r for r in rows if r["number"] not in RATIOS], [r for r in rows if r["number"] in RATIOS]


@login_required
def snapshot_detail(request, pk):
    """A snapshot: its status (polled by htmx while pending or running), the table, the ratio goals,
    the per-unit annex, the PDF link and the link to compare with the previous snapshot."""
    snapshot = _get(request, pk, read=snapshots.snapshot_page)
    if request.headers.get("HX-Request"):
        if snapshot.is_finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "reports/snapshot_status.html", {"snapshot": snapshot})
    rows, ratios = _shown_rows(snapshot.page_rows)
    changed = snapshot.changed_numbers
    for row in rows + ratios:
        if row["number"] in changed:
            row["changed_from"] = shown(as_number(changed[row["number"]]), row.get("unit_of_measure", "") == "%")
    annex_numbers, annex = [], []
    uoms = {row["number"]: row.get("unit_of_measure", "") for row in snapshot.page_rows}
    if snapshot.units:
        keep = [i for i, row in enumerate(snapshot.units[0]["indicators"]) if row["number"] not in NOT_BY_UNIT]
        annex_numbers = [snapshot.units[0]["indicators"][i]["number"] for i in keep]
        for entry in snapshot.units:
            cells = []
            for i in keep:
                cell = entry["indicators"][i]
                uom = uoms.get(cell["number"], "")
                cells.append(
                    {
                        "number": cell["number"],
                        "actual": shown(cell.get("actual"), uom == "%"),
                        "target": shown(cell.get("target"), uom == "%"),
                        "completion": cell.get("completion"),
                        "completion_shown": completion_shown(cell.get("completion")),
                    }
                )
            annex.append({"unit": entry["unit"], "name": entry["name"], "cells": cells})
    previous = (
        snapshots.snapshot_previous(viewer=request.user, snapshot=snapshot)
        if snapshot.status == ReportSnapshot.Status.DONE
        else None
    )
    return render(
        request,
        "reports/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "rows": rows,
            "ratios": ratios,
            "annex_numbers": annex_numbers,
            "annex": annex,
            "previous": previous,
            "may_request": can_request_snapshot(request.user),
        },
    )


@login_required
def snapshot_pdf(request, pk):
    """The snapshot's stored PDF (rendered once by its task), logged as a download."""
    snapshot = _get(request, pk)
    try:
        pdf = snapshots.snapshot_pdf(snapshot)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:snapshot_detail", pk=snapshot.pk)
    return snapshot_pdf_download(request, snapshot, pdf)


@login_required
def snapshot_xlsx(request, pk):
    """The snapshot as a workbook (summary, per-unit annex, the records counted), logged as a download."""
    snapshot = _get(request, pk)
    if snapshot.status != ReportSnapshot.Status.DONE:
        messages.error(request, _("The snapshot is still being computed; try again shortly."))
        return redirect("reports:snapshot_detail", pk=snapshot.pk)
    return logged_download(
        request,
        content=snapshot_workbook(snapshot),
        filename=snapshot_file_name(snapshot, "xlsx"),
        content_type=XLSX,
        kind="report_snapshot_xlsx",
        description=f"report snapshot {snapshot.pk} (xlsx)",
    )


@login_required
def snapshot_compare(request):
    """Two snapshots of the same period and scope (``a`` and ``b``, or two ticked ``pick`` boxes of
    the list): per indicator before / after / change, and the records that entered or left it."""
    picked = [v for v in request.GET.getlist("pick") if v] or [request.GET.get("a", ""), request.GET.get("b", "")]
    picked = [v.strip() for v in picked if v and v.strip()]
    _domain(snapshots.snapshots_visible_to, request.user)  # 403 for roles without reports
    if len(picked) != 2:
        messages.error(request, _("Tick exactly two snapshots to compare."))
        return redirect(reverse("reports:snapshot_list"))
    first, second = (_get(request, pk) for pk in picked)
    try:
        comparison = snapshots.snapshot_compare(viewer=request.user, first=first, second=second)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("reports:snapshot_list"))
    for row in comparison["rows"]:
        uom = row["unit_of_measure"]
        row["before_shown"] = shown(row["before"], uom == "%")
        row["after_shown"] = shown(row["after"], uom == "%")
        change = row["change"]
        row["change_shown"] = "—" if change is None else ("+" if change > 0 else "") + shown(change, uom == "%")
    changed = [r for r in comparison["rows"] if r["change"] or r["entered"] or r["left"]]
    return render(request, "reports/snapshot_compare.html", {**comparison, "changed": changed})
