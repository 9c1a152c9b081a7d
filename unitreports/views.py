"""Pages of unit reports: the overview of who has reported (and its xlsx), the list of reports, the rounds
(district), a unit's form (save a draft, submit), a report with its history and the district's review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pages import add_form_error, found_or_404, list_context, run_action, saved_redirect
from reports.models import ReportingPeriod

from . import permissions, selectors, services
from .exports import export_overview
from .forms import ReportForm, ReturnForm, RoundForm
from .models import SECTIONS


def _allow(result):
    allowed, reason = result
    if not allowed:
        raise DjangoPermissionDenied(reason)


def _period(request):
    code = request.GET.get("period")
    periods = {p.code: p for p in ReportingPeriod.objects.filter(end__isnull=False)}
    return periods.get(code) or selectors.district_period()


@login_required
def overview(request):
    """Who has reported in one indicator period: a row per unit, a cell per round, and the tallies."""
    _allow(permissions.can_read(request.user))
    period = _period(request)
    data = selectors.overview(viewer=request.user, period=period) if period else {"rounds": [], "rows": []}
    return render(
        request,
        "unitreports/overview.html",
        {
            **data,
            "period": period,
            "periods": ReportingPeriod.objects.filter(end__isnull=False).order_by("order"),
            "can_manage": permissions.can_manage_rounds(request.user)[0],
            "can_fill": permissions.can_fill(request.user)[0],
        },
    )


@login_required
def overview_export(request):
    _allow(permissions.can_read(request.user))
    period = _period(request)
    if period is None:
        return redirect("unitreports:overview")
    return export_overview(request, selectors.overview(viewer=request.user, period=period), period)


@login_required
def report_list(request):
    _allow(permissions.can_read(request.user))
    filterset, queryset = selectors.report_filtered(viewer=request.user, params=request.GET)
    return render(request, "unitreports/report_list.html", list_context(request, filterset, queryset))


@login_required
def round_list(request):
    _allow(permissions.can_read(request.user))
    return render(
        request,
        "unitreports/round_list.html",
        {
            "rounds": selectors.round_list(viewer=request.user).select_related("indicator_period"),
            "can_manage": permissions.can_manage_rounds(request.user)[0],
        },
    )


@login_required
def round_form(request, pk=None):
    """Add a round or change one (district officials)."""
    _allow(permissions.can_manage_rounds(request.user))
    rnd = found_or_404(selectors.round_get, viewer=request.user, pk=pk) if pk else None
    initial = {name: getattr(rnd, name) for name in RoundForm.base_fields} if rnd else None
    form = RoundForm(request.POST or None, initial=initial)
    done = saved_redirect(
        request,
        form,
        lambda: services.round_save(actor=request.user, round=rnd, **form.cleaned_data),
        message=_("The round is saved."),
        then=lambda saved: reverse("unitreports:round_detail", args=[saved.pk]),
    )
    return done or render(request, "unitreports/round_form.html", {"form": form, "round": rnd})


@login_required
def round_detail(request, pk):
    """One round: every unit's report for it (the list per period)."""
    _allow(permissions.can_read(request.user))
    rnd = found_or_404(selectors.round_get, viewer=request.user, pk=pk)
    data = selectors.overview(viewer=request.user, period=rnd.indicator_period)
    index = [r.pk for r in data["rounds"]].index(rnd.pk)
    rows = [{"unit": row["unit"], **row["cells"][index]} for row in data["rows"]]
    return render(
        request,
        "unitreports/round_detail.html",
        {
            "round": rnd,
            "rows": rows,
            "can_manage": permissions.can_manage_rounds(request.user)[0],
            "can_fill": permissions.can_fill(request.user)[0],
        },
    )


@login_required
def fill(request, pk):
    """A unit's staff open their report for a round: the existing one, or a new draft with their figures."""
    rnd = found_or_404(selectors.round_get, viewer=request.user, pk=pk)
    _allow(permissions.can_fill(request.user))
    if request.method != "POST":
        existing = selectors.report_list(viewer=request.user).filter(round=rnd, unit_id=request.user.unit_id).first()
        if existing:
            return redirect("unitreports:edit", existing.pk)
        return render(request, "unitreports/fill_confirm.html", {"round": rnd})
    try:
        report = services.report_start(actor=request.user, round=rnd)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("unitreports:round_detail", rnd.pk)
    return redirect("unitreports:edit", report.pk)


def _report(request, pk):
    return found_or_404(selectors.report_get, viewer=request.user, pk=pk)


@login_required
def detail(request, pk):
    report = _report(request, pk)
    return render(
        request,
        "unitreports/detail.html",
        {
            "report": report,
            "figures": selectors.figure_rows(report),
            "sections": [(name, report._meta.get_field(name).verbose_name, getattr(report, name)) for name in SECTIONS],
            "history": selectors.report_history(report=report),
            "can_edit": permissions.can_edit(request.user, report)[0],
            "can_review": permissions.can_review(request.user, report)[0],
            "return_form": ReturnForm(),
        },
    )


@login_required
def edit(request, pk):
    """The unit's form: the pre-filled figures, the four sections; save a draft or submit."""
    report = _report(request, pk)
    _allow(permissions.can_edit(request.user, report))
    form = ReportForm(request.POST or None, initial={name: getattr(report, name) for name in SECTIONS})
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("submit") == "1"
        try:
            services.report_save(actor=request.user, report=report, submit=submit, **form.sections())
        except DomainError as exc:
            add_form_error(form, exc)
        else:
            messages.success(request, _("The report is submitted.") if submit else _("The draft is saved."))
            return redirect("unitreports:detail", report.pk)
    return render(
        request,
        "unitreports/form.html",
        {"form": form, "report": report, "figures": selectors.figure_rows(report)},
    )


@login_required
@require_POST
def review(request, pk):
    """The district accepts a submitted report, or returns it with a reason."""
    report = _report(request, pk)
    _allow(permissions.can_review(request.user))
    if request.POST.get("decision") == "accept":
        run_action(
            request,
            lambda: services.report_accept(actor=request.user, report=report),
            success=_("The report is accepted."),
        )
    else:
        form = ReturnForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        run_action(
            request,
            lambda: services.report_return(actor=request.user, report=report, reason=reason),
            success=_("The report is returned to the unit."),
        )
    return redirect("unitreports:detail", report.pk)
