"""Pages of transformation projects (list, dossier, filing, actions, the evaluator's acceptance queue).
Views only translate HTTP: a form in, a selector or a service call, a page or a redirect out. A record
outside the viewer's scope is a 404, as a missing one; an action the viewer may not take is a 403 (and
its form is not shown)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.credit_code import as_row_id
from core.pages import (
    confirmation_page,
    export_format,
    first_or_404,
    is_confirmed,
    query_without,
    run_action,
    saved_redirect,
)
from core.pagination import KeysFirstPaginator
from core.permissions import allowed, can_see_history, require
from core.roles import Role, role_of
from diagnostics.choices import DiagnosisStatus
from enterprises.selectors import enterprise_list
from providers.choices import SCENE_LABELS
from providers.models import Provider

from .. import permissions, selectors
from ..choices import ProjectStatus
from ..exports import export_projects
from ..forms import (
    ACCEPTANCE_CHECKLIST,
    AcceptanceForm,
    CorrectionForm,
    EvidenceForm,
    ProgressForm,
    ProjectFactsForm,
    ProjectFileForm,
    ReasonForm,
    TransitionForm,
)
from ..models import Acceptance
from ..services import evidence, projects
from ..services.ledger import latest_post_level
from .common import PAGE_SIZE, FormStep, project_or_404, valid

# --- projects ---------------------------------------------------------------------------------


@login_required
def project_list_page(request):
    """Projects in the viewer's scope with filters and counts by status."""
    filterset, queryset = selectors.project_filtered(viewer=request.user, params=request.GET)
    counts = selectors.project_status_counts(queryset=queryset)
    # Keys first: a deep page skips plain ordered ids, not joined rows (the last of 1,100 pages sorted 54,000
    # joined rows on disk). The counts by status cover the same rows, so their sum is the total: no COUNT(*).
    paginator = KeysFirstPaginator(queryset.order_by("-filed_on", "-pk"), PAGE_SIZE)
    paginator.count = sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "funding/project_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query": query_without(request),
            "counts": counts,
            "statuses": ProjectStatus,
            "can_file": permissions.can_file_any(request.user)[0],
        },
    )


@login_required
def project_export(request):
    fmt = export_format(request)
    _filterset, queryset = selectors.project_filtered(viewer=request.user, params=request.GET)
    return export_projects(request, queryset, fmt)


def _fileable_enterprises(user):
    return (
        enterprise_list(viewer=user)
        .filter(diagnoses__status=DiagnosisStatus.ACCEPTED, diagnoses__is_current=True)
        .distinct()
        .order_by("name")
    )


def _fileable_providers(user):
    if role_of(user) == Role.PROVIDER_USER:
        return Provider.objects.filter(pk=user.provider_id)
    return Provider.objects.order_by("name")


@login_required
def project_create(request):
    """File (备案) a project: provider users for the enterprises they serve, or the district."""
    require(permissions.can_file_any(request.user))
    enterprises = _fileable_enterprises(request.user)
    providers = _fileable_providers(request.user)
    is_provider = role_of(request.user) == Role.PROVIDER_USER
    initial = {}
    if request.method == "GET":
        # From the enterprise's page (``?enterprise=<id>``): shown by its credit code and name when the viewer
        # may file for it, left empty otherwise (as the drop-down showed no choice).
        wanted = as_row_id(request.GET.get("enterprise"))
        if wanted is not None:
            initial["enterprise"] = enterprises.filter(pk=wanted).first()
        if is_provider:
            initial["provider"] = providers.first()
    form = ProjectFileForm(request.POST or None, initial=initial, enterprises=enterprises, providers=providers)
    if done := saved_redirect(
        request,
        form,
        lambda: projects.project_file(
            actor=request.user,
            enterprise=form.cleaned_data["enterprise"],
            provider=form.cleaned_data["provider"],
            date=form.cleaned_data.get("date"),
            **form.facts(filing=True),
        ),
        message=_("The project has been filed; the district will review it."),
        then=lambda project: reverse("funding:project_detail", args=[project.pk]),
    ):
        return done
    return render(
        request,
        "funding/project_form.html",
        {
            "form": form,
            "creating": True,
            "no_enterprise": not enterprises.exists(),
            "find_provider": not is_provider,
        },
    )


@login_required
def project_edit(request, pk):
    project = project_or_404(request, pk)
    require(permissions.can_edit(request.user, project))
    names = list(ProjectFactsForm.base_fields)
    initial = {name: getattr(project, name) for name in names}
    form = ProjectFactsForm(request.POST or None, initial=initial)
    if done := saved_redirect(
        request,
        form,
        lambda: projects.project_update(actor=request.user, project=project, **form.facts(filing=False)),
        message=_("The project has been saved."),
        then=reverse("funding:project_detail", args=[project.pk]),
    ):
        return done
    return render(request, "funding/project_form.html", {"form": form, "project": project, "creating": False})


def _scene_labels(codes):
    return [SCENE_LABELS.get(code, code) for code in codes or []]


@login_required
def project_detail(request, pk):
    """The project dossier: facts, spend split, scenes, timeline, progress, evidence, acceptances with
    corrections, and (for those who see the ledger) commitments and payments."""
    project = project_or_404(request, pk)
    user = request.user
    attachments = list(evidence.attachments_of(project))
    checklist = evidence.project_evidence_checklist(project, attachments)
    transitions = list(project.transitions.select_related("actor").order_by("recorded_at", "pk"))
    labels = dict(ProjectStatus.choices)
    for t in transitions:
        t.from_label, t.to_label = labels.get(t.from_status, t.from_status), labels.get(t.to_status, t.to_status)
    acceptances = list(
        Acceptance.objects.filter(project=project)
        .select_related("evaluation_body", "post_assessment", "recorded_by")
        .prefetch_related("corrections__actor")
        .order_by("attempt")
    )
    status = project.status
    can_decide = permissions.can_decide(user)[0]
    can_report = permissions.can_report(user, project)[0]
    can_see_ledger = permissions.can_see_ledger(user)[0]
    commitments = list(selectors.project_commitments(viewer=user, project=project))
    context = {
        "project": project,
        "scenes": _scene_labels(project.scenes),
        "transitions": transitions,
        "progress_reports": [t for t in transitions if t.action == "progress"],
        "attachments": attachments,
        "checklist": checklist,
        "missing": [item for item in checklist if not item["present"]],
        "acceptances": acceptances,
        "checklist_labels": ACCEPTANCE_CHECKLIST,
        "can_edit": permissions.can_edit(user, project)[0],
        "can_approve": can_decide and status == ProjectStatus.FILED,
        "can_progress": can_report and status in (ProjectStatus.APPROVED, ProjectStatus.FAILED),
        "can_request": can_report and status in (ProjectStatus.APPROVED, ProjectStatus.FAILED),
        "can_cancel": can_decide and status not in (ProjectStatus.PASSED, ProjectStatus.CANCELLED),
        "can_inspect": permissions.can_inspect(user, project)[0] and status == ProjectStatus.ACCEPTANCE_REQUESTED,
        "can_correct": can_decide and bool(acceptances),
        "can_attach": can_report and status != ProjectStatus.CANCELLED,
        "can_commit": permissions.can_commit(user)[0]
        and status in (ProjectStatus.APPROVED, ProjectStatus.ACCEPTANCE_REQUESTED, ProjectStatus.PASSED),
        "can_see_ledger": can_see_ledger,
        "commitments": commitments,
        "totals": selectors.subsidy_totals(
            queryset_commitments=selectors.commitment_list(viewer=user).filter(project=project)
        )
        if permissions.can_see_subsidy_totals(user)[0]
        else None,
        "post_level": latest_post_level(project.enterprise) if can_see_ledger else None,
        "approve_form": TransitionForm(prefix="approve"),
        "progress_form": ProgressForm(prefix="progress", initial={"progress": project.progress}),
        "request_form": TransitionForm(prefix="request"),
        "cancel_form": ReasonForm(prefix="cancel"),
        "evidence_form": EvidenceForm(prefix="evidence"),
        "correction_form": CorrectionForm(prefix="correct"),
        "can_see_history": allowed(can_see_history(user)),
    }
    return render(request, "funding/project_detail.html", context)


#: The dossier's steps that post one form to one service (the evidence upload has a file besides).
PROJECT_STEPS = {
    "approve": FormStep(
        TransitionForm, "approve", projects.project_approve, gettext_lazy("The project has been approved.")
    ),
    "progress": FormStep(
        ProgressForm, "progress", projects.project_progress, gettext_lazy("The progress has been recorded.")
    ),
    "request_acceptance": FormStep(
        TransitionForm,
        "request",
        projects.project_request_acceptance,
        gettext_lazy("Acceptance has been requested from the evaluation body."),
    ),
    "cancel": FormStep(ReasonForm, "cancel", projects.project_cancel, gettext_lazy("The project has been cancelled.")),
}
PROJECT_ACTIONS = {*PROJECT_STEPS, "evidence"}


@login_required
@require_POST
def project_action(request, pk, action):
    """One workflow step from the dossier's forms; a refused step comes back as a message."""
    if action not in PROJECT_ACTIONS:
        raise Http404
    project = project_or_404(request, pk)
    actor = request.user
    checks = {
        "approve": lambda: permissions.can_decide(actor),
        "cancel": lambda: permissions.can_decide(actor),
        "progress": lambda: permissions.can_report(actor, project),
        "request_acceptance": lambda: permissions.can_report(actor, project),
        "evidence": lambda: permissions.can_report(actor, project),
    }
    require(checks[action]())
    if action == "evidence":

        def attach():
            form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
            valid(form)
            evidence.project_evidence_attach(
                actor=actor, project=project, upload=form.cleaned_data["file"], purpose=form.cleaned_data["purpose"]
            )

        run_action(request, attach, success=_("The file has been attached."))
    else:
        if action == "cancel" and not is_confirmed(request):
            form = ReasonForm(request.POST, prefix="cancel")
            if form.is_valid():
                return _cancel_confirmation(request, project, form.cleaned_data)
        step = PROJECT_STEPS[action]
        run_action(request, lambda: step.run(request, project=project), success=step.message)
    return redirect("funding:project_detail", pk=project.pk)


def _cancel_confirmation(request, project, data):
    return confirmation_page(
        request,
        question=_("Cancel this project?"),
        subject=str(project),
        facts=[
            (_("Enterprise"), project.enterprise.name),
            (_("Service provider"), project.provider.name),
            (_("Status"), project.get_status_display()),
            (_("Reason"), data["reason"]),
            (_("Date"), data.get("date") or _("today")),
        ],
        consequence=_(
            "The project stops for good: it can no longer be approved, reported on or accepted, and no subsidy is "
            "committed to it from now on. A subsidy already committed stays until the district releases it."
        ),
        button=_("Cancel the project"),
        back_url=reverse("funding:project_detail", args=[project.pk]),
    )


@login_required
def acceptance_create(request, pk):
    """The on-site acceptance form of one project (the evaluator of a body assigned to the enterprise)."""
    project = project_or_404(request, pk)
    require(permissions.can_inspect(request.user, project))
    if project.status != ProjectStatus.ACCEPTANCE_REQUESTED:
        messages.error(request, _("This project is not waiting for acceptance."))
        return redirect("funding:project_detail", pk=project.pk)
    assessments = selectors.post_assessments(viewer=request.user, enterprise=project.enterprise)
    latest = assessments.first()
    form = AcceptanceForm(
        request.POST or None,
        assessments=assessments,
        initial={"post_assessment": latest.pk if latest else None},
    )
    version = selectors.acceptance_version(project)
    opened = request.POST.get("offline_version") if request.method == "POST" else None
    if opened and opened != version:  # a draft kept on the tablet, taken before someone else decided
        form.is_valid()
        form.add_error(None, _("The project's acceptance changed on the server since this form was opened."))
    if done := saved_redirect(
        request,
        form,
        lambda: projects.project_accept(
            actor=request.user,
            project=project,
            passed=form.cleaned_data["passed"],
            accepted_on=form.cleaned_data["accepted_on"],
            findings=form.cleaned_data.get("findings") or "",
            checklist=form.checklist(),
            post_assessment=form.cleaned_data.get("post_assessment"),
        ),
        message=_("The acceptance has been recorded."),
        then=reverse("funding:project_detail", args=[project.pk]) + "?recorded=1",
    ):
        return done
    return render(
        request,
        "funding/acceptance_form.html",
        {
            "project": project,
            "form": form,
            "checklist": evidence.project_evidence_checklist(project),
            "assessment_count": assessments.count(),
            "check_fields": [form[f"check_{code}"] for code in ACCEPTANCE_CHECKLIST],
            "offline": role_of(request.user) == Role.EVALUATOR,
            "version": version,
            "status_labels": {str(value): str(label) for value, label in ProjectStatus.choices},
        },
    )


@login_required
@require_POST
def acceptance_correct(request, pk):
    """A district official's recorded correction of a mistyped acceptance."""
    require(permissions.can_decide(request.user))
    acceptance = first_or_404(Acceptance.objects.visible_to(request.user).filter(pk=pk).select_related("project"))
    form = CorrectionForm(request.POST, prefix="correct")

    def correct():
        valid(form)
        projects.acceptance_correct(actor=request.user, acceptance=acceptance, **form.changes())

    run_action(request, correct, success=_("The acceptance has been corrected; the correction is recorded."))
    return redirect("funding:project_detail", pk=acceptance.project_id)


@login_required
def acceptance_queue(request):
    """The evaluator's queue: projects waiting for on-site acceptance at enterprises assigned to its body."""
    require(permissions.can_see_acceptance_queue(request.user))
    queue = list(selectors.acceptance_queue(viewer=request.user).select_related("enterprise__unit", "provider"))
    for project in queue:
        project.missing = [i for i in evidence.project_evidence_checklist(project) if not i["present"]]
    return render(request, "funding/acceptance_queue.html", {"queue": queue})
