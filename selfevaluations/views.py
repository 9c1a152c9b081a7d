"""Pages of the self-evaluations: the list with the start form, a version's page (status, polled by htmx while it is
built; the narrative section editors with their revisions; the downloads; compare with another version) and the
checked, logged downloads. Views translate HTTP only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pages import PAGE_SIZE, found_or_404, run_action
from core.permissions import allowed

from .choices import Section
from .exports import selfevaluation_download
from .forms import NarrativeForm, StartForm
from .models import SelfEvaluation
from .permissions import can_read_selfevaluations, can_write_selfevaluations
from .selectors import narrative_revisions, selfevaluation_compare, selfevaluation_get, selfevaluation_list
from .services import narrative_save, selfevaluation_start


def _readable(request):
    result = can_read_selfevaluations(request.user)
    if not allowed(result):
        raise DjangoPermissionDenied(result[1])


def _writable(request):
    result = can_write_selfevaluations(request.user)
    if not allowed(result):
        raise DjangoPermissionDenied(result[1])


@login_required
def selfevaluation_list_page(request):
    """Every version of both stages, newest first, and the form that starts a new one."""
    _readable(request)
    page_obj = Paginator(selfevaluation_list(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "selfevaluations/list.html",
        {
            "page_obj": page_obj,
            "form": StartForm(),
            "can_write": allowed(can_write_selfevaluations(request.user)),
        },
    )


@login_required
@require_POST
def start(request):
    """Start a new version of a stage's report and go to its page."""
    _writable(request)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("selfevaluations:list")
    try:
        evaluation = selfevaluation_start(
            actor=request.user, stage=form.cleaned_data["stage"], as_of=form.cleaned_data["as_of"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("selfevaluations:list")
    return redirect("selfevaluations:detail", evaluation.pk)


@login_required
@require_POST
def regenerate(request, pk):
    """Generate a new version of this version's stage and day (with the narrative sections as they now stand)."""
    _writable(request)
    evaluation = found_or_404(selfevaluation_get, viewer=request.user, pk=pk)
    try:
        new = selfevaluation_start(actor=request.user, stage=evaluation.stage, as_of=evaluation.as_of)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("selfevaluations:detail", evaluation.pk)
    return redirect("selfevaluations:detail", new.pk)


def _sections(viewer, stage):
    """Each narrative section with its newest text and its revisions (who, when)."""
    revisions = list(narrative_revisions(viewer=viewer, stage=stage))
    sections = []
    for value, label in Section.choices:
        own = [r for r in revisions if r.section == value]
        sections.append(
            {
                "value": value,
                "label": label,
                "current": own[0] if own else None,
                "revisions": own[:20],
                "form": NarrativeForm(initial={"section": value, "text": own[0].text if own else ""}, prefix=value),
            }
        )
    return sections


@login_required
def selfevaluation_detail(request, pk):
    """A version: status (polled while it is built), provenance, downloads, narrative editors, compare."""
    _readable(request)
    evaluation = found_or_404(selfevaluation_get, viewer=request.user, pk=pk)
    if request.headers.get("HX-Request"):
        if evaluation.is_finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "selfevaluations/_status.html", {"evaluation": evaluation})
    others = [
        v
        for v in selfevaluation_list(viewer=request.user, stage=evaluation.stage)
        if v.pk != evaluation.pk and v.status == SelfEvaluation.Status.DONE
    ][:50]
    return render(
        request,
        "selfevaluations/detail.html",
        {
            "evaluation": evaluation,
            "provenance": (evaluation.content or {}).get("provenance"),
            "sections": _sections(request.user, evaluation.stage),
            "others": others,
            "can_write": allowed(can_write_selfevaluations(request.user)),
        },
    )


@login_required
@require_POST
def save_narrative(request, pk):
    """Save a new revision of one narrative section of this version's stage."""
    _writable(request)
    evaluation = found_or_404(selfevaluation_get, viewer=request.user, pk=pk)
    section = request.POST.get("section", "")
    form = NarrativeForm(request.POST, prefix=section if section in Section.values else None)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("selfevaluations:detail", evaluation.pk)
    run_action(
        request,
        lambda: narrative_save(
            actor=request.user,
            stage=evaluation.stage,
            section=form.cleaned_data["section"],
            text=form.cleaned_data["text"],
        ),
        success=_("The section is saved as a new revision. Generate a new version to merge it."),
    )
    return redirect("selfevaluations:detail", evaluation.pk)


@login_required
def compare(request, pk):
    """The figures that changed between this version and another of the same programme (``?with=``)."""
    _readable(request)
    new = found_or_404(selfevaluation_get, viewer=request.user, pk=pk)
    if not request.GET.get("with"):
        return redirect("selfevaluations:detail", new.pk)
    old = found_or_404(selfevaluation_get, viewer=request.user, pk=request.GET.get("with", ""))
    if old.status != SelfEvaluation.Status.DONE or new.status != SelfEvaluation.Status.DONE:
        raise Http404(_("Both versions must be generated."))
    return render(
        request,
        "selfevaluations/compare.html",
        {"old": old, "new": new, "changed": selfevaluation_compare(old, new)},
    )


def _download(request, pk, kind):
    _readable(request)
    evaluation = found_or_404(selfevaluation_get, viewer=request.user, pk=pk)
    try:
        return selfevaluation_download(request, evaluation, kind)
    except DomainError as exc:
        raise Http404(exc.message) from exc


@login_required
def download_docx(request, pk):
    return _download(request, pk, "docx")


@login_required
def download_pdf(request, pk):
    return _download(request, pk, "pdf")
