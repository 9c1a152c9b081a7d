"""The data-quality centre's pages: the findings (by kind, filter by unit and kind, resolve), the merge of
two duplicates (with a confirmation that restates what happens), and the district's per-unit scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pages import add_form_error, found_or_404, run_action
from core.params import QueryError
from core.permissions import allowed, require
from core.selectors import unit_list
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_get

from . import selectors, services
from .choices import PAIR_KINDS, FindingKind, Resolution
from .forms import STATES, FindingQuery, MergeForm, ResolveForm
from .permissions import can_merge_enterprises, can_view_findings, can_view_unit_scores


@login_required
def centre(request):
    require(can_view_findings(request.user))
    query = FindingQuery.read(request.GET)
    rows = selectors.finding_list(
        viewer=request.user, kind=query["kind"] or None, unit=query["unit"], state=query["state"]
    )
    counts = selectors.counts_by_kind(rows)
    page_obj = Paginator(rows, 50).get_page(query["page"])
    return render(
        request,
        "dataquality/centre.html",
        {
            "page_obj": page_obj,
            "total": len(rows),
            "counts": [(kind, label, counts[kind]) for kind, label in FindingKind.choices],
            "query": query,
            "units": unit_list() if selectors.is_district(request.user) else [],
            "kinds": FindingKind.choices,
            "states": STATES,
            "resolutions": Resolution.choices,
            "pair_kinds": PAIR_KINDS,
            "may_merge": allowed(can_merge_enterprises(request.user)),
            "last_refresh": selectors.last_refresh(),
        },
    )


@require_POST
@login_required
def resolve(request):
    require(can_view_findings(request.user))
    form = ResolveForm(request.POST)
    if not form.is_valid():
        raise QueryError(_("The resolution could not be read."))
    data = form.cleaned_data
    enterprise = found_or_404(enterprise_get, viewer=request.user, pk=data["enterprise"])
    other = Enterprise.objects.filter(pk=data["other"]).first() if data.get("other") else None
    run_action(
        request,
        lambda: services.finding_resolve(
            actor=request.user,
            kind=data["kind"],
            enterprise=enterprise,
            other=other,
            resolution=data["resolution"],
            reason=data["reason"],
        ),
        success=_("The finding is resolved; the history keeps the answer."),
    )
    return redirect("dataquality:centre")


@login_required
def merge(request):
    """Step one: choose the two and say why; step two: the confirmation restating what the merge does."""
    require(can_merge_enterprises(request.user))
    enterprises = Enterprise.objects.visible_to(request.user).exclude(status="merged")
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, enterprises=enterprises, initial=request.GET.dict() or None)
    confirm = None
    if request.method == "POST" and form.is_valid():
        survivor, merged = form.cleaned_data["survivor"], form.cleaned_data["merged"]
        if form.cleaned_data.get("confirmed"):
            try:
                record = services.enterprise_merge(
                    actor=request.user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("{merged} is merged into {survivor}.").format(merged=record.merged_name, survivor=survivor.name),
                )
                return redirect("enterprises:detail", survivor.pk)
        else:
            confirm = {"survivor": survivor, "merged": merged, "reason": form.cleaned_data["reason"]}
    return render(request, "dataquality/merge.html", {"form": form, "confirm": confirm})


@require_POST
@login_required
def refresh(request):
    run_action(
        request,
        lambda: services.findings_refresh_request(actor=request.user),
        success=_("The refresh is running; the page shows its time when it is done."),
    )
    return redirect("dataquality:centre")


@login_required
def units(request):
    require(can_view_unit_scores(request.user))
    scores = selectors.measure_units()
    trend = selectors.unit_trend(viewer=request.user)
    rows = [{**row, "trend": trend.get(row["unit"].pk, [])} for row in scores.values()]
    return render(request, "dataquality/units.html", {"rows": rows, "last_refresh": selectors.last_refresh()})
