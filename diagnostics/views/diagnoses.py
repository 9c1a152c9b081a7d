"""Pages of the diagnosis reports (一企一报告): the provider's work queue, the district's review
queue, the report list, form, record with its timeline and versions, and the deadlines page.
Views only translate HTTP: reads through ``selectors.diagnoses``, writes through ``services.diagnoses``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.files import serve_protected_file
from core.money import percent_of_hundred
from core.pages import (
    PAGE_SIZE,
    confirmation_page,
    form_problems,
    found_or_404,
    is_confirmed,
    list_context,
    query_without,
    run_action,
    saved_redirect,
)
from core.pagination import KeysFirstPaginator
from core.roles import DISTRICT_ROLES, Role, role_of
from enterprises.choices import Status as EnterpriseStatus
from enterprises.models import Enterprise
from providers.models import Provider

from ..choices import DeadlineKind, DiagnosisStatus
from ..forms.diagnoses import (
    CreateForm,
    DeadlineBatchForm,
    DeadlineFilterForm,
    ReportContentForm,
    SignedPdfForm,
    TransitionForm,
)
from ..forms.questionnaire import QuestionnaireForm
from ..models import Dimension, Item
from ..permissions import diagnoses as perms
from ..selectors.diagnoses import (
    deadline_list,
    decorate,
    diagnosis_checklist,
    diagnosis_filtered,
    diagnosis_get,
    diagnosis_transitions,
    diagnosis_version,
    enterprise_diagnoses,
    enterprises_for_batch,
    overdue_counts,
    review_queue,
    signed_pdf_history,
    software_share,
    unit_deadline_summary,
    work_queue,
)
from ..selectors.index import scene_table
from ..services import diagnoses as services


def _get(request, pk):
    return found_or_404(diagnosis_get, viewer=request.user, pk=pk)


def _percent(fraction):
    """0.6 → "60.0%" (None stays None)."""
    return None if fraction is None else f"{fraction * 100:.1f}%"


@login_required
def report_list(request):
    """Every report the viewer may see, with filters and each one's evidence gaps."""
    filterset, queryset = diagnosis_filtered(viewer=request.user, params=request.GET)
    # Keys first: a deep page does not build (join, annotate) every report it skips.
    context = list_context(request, filterset, queryset, paginator_class=KeysFirstPaginator)
    page = context["page_obj"]
    page.object_list = decorate(page.object_list)
    return render(
        request,
        "diagnostics/diagnoses/list.html",
        {**context, "statuses": DiagnosisStatus.choices},
    )


@login_required
def provider_work_queue(request):
    """A provider's work: assigned enterprises without a report, drafts, returned reports with the
    reason, submitted and accepted ones, with deadlines, overdue flags and checklist badges. The
    district may open any provider's queue (``?provider=``)."""
    role = role_of(request.user)
    providers = None
    if role == Role.PROVIDER_USER and request.user.provider_id:
        provider = request.user.provider
    elif role in DISTRICT_ROLES:
        providers = Provider.objects.order_by("name")
        provider = (
            providers.filter(pk=request.GET.get("provider") or 0).first()
            if request.GET.get("provider", "").isdigit()
            else None
        )
        provider = provider or providers.first()
    else:
        raise PermissionDenied(_("The work queue is a service provider's page."))
    queue = work_queue(viewer=request.user, provider=provider) if provider else None
    return render(
        request,
        "diagnostics/diagnoses/work_queue.html",
        {"provider": provider, "providers": providers, "queue": queue, "statuses": DiagnosisStatus},
    )


@login_required
def district_review_queue(request):
    """Submitted reports waiting for the district, oldest submission first, with their checklist."""
    allowed, reason = perms.may_review(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    rows = decorate(review_queue(viewer=request.user))
    return render(request, "diagnostics/diagnoses/review_queue.html", {"rows": rows})


@login_required
def report_create(request):
    """Open a draft for an enterprise (``?enterprise=<id>``): a provider in its own name, the
    district for the provider it chooses."""
    role = role_of(request.user)
    if role not in (*DISTRICT_ROLES, Role.PROVIDER_USER):
        raise PermissionDenied(_("Only a service provider or the district drafts diagnosis reports."))
    providers = Provider.objects.order_by("name") if role in DISTRICT_ROLES else None
    source = request.POST if request.method == "POST" else None
    form = CreateForm(source, providers=providers, initial={"enterprise": request.GET.get("enterprise")})
    enterprise_id = request.POST.get("enterprise") or request.GET.get("enterprise")
    enterprise = None
    if str(enterprise_id or "").isdigit():
        enterprise = Enterprise.objects.visible_to(request.user).select_related("unit").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404
    if done := saved_redirect(
        request,
        form,
        lambda: services.diagnosis_create(
            actor=request.user,
            enterprise=enterprise,
            provider=form.cleaned_data.get("provider") or request.user.provider,
            date=form.cleaned_data.get("date"),
        ),
        message=_("A draft report has been opened for {name}.").format(name=enterprise.name),
        then=lambda diagnosis: reverse("diagnostics:diagnoses:edit", args=[diagnosis.pk]),
    ):
        return done
    return render(request, "diagnostics/diagnoses/create.html", {"form": form, "enterprise": enterprise})


@login_required
def report_detail(request, pk):
    """The whole report: sections, score card, checklist, timeline with versions, and the actions
    the viewer may take."""
    diagnosis = _get(request, pk)
    user = request.user
    pdfs = list(signed_pdf_history(diagnosis))
    checklist = diagnosis_checklist(diagnosis, has_signed_pdf=bool(pdfs))
    table = scene_table(diagnosis.edition_id)
    names = {row["code"]: row for row in table}
    context = {
        "diagnosis": diagnosis,
        "checklist": checklist,
        "missing": [c for c in checklist if not c.ok],
        "transitions": diagnosis_transitions(diagnosis=diagnosis),
        "pdfs": pdfs,
        "scenes": [
            {
                "row": row,
                "level": (diagnosis.scenes or {}).get(row["code"]),
                "note": (diagnosis.scene_notes or {}).get(row["code"], ""),
                "pain": (diagnosis.pain_points or {}).get(row["code"], ""),
                "target": row["code"] in (diagnosis.target_scenes or []),
            }
            for row in table
        ],
        "target_scene_rows": [names[c] for c in diagnosis.target_scenes or [] if c in names],
        "items": _item_rows(diagnosis),
        "dimension_names": dict(
            Dimension.objects.filter(edition_id=diagnosis.edition_id, scored=True).values_list("code", "name")
        ),
        "products": diagnosis.recommended_products.select_related("provider").order_by("provider__name", "name"),
        "software_share": _percent(software_share(diagnosis)),
        "can_edit": perms.can_edit(user, diagnosis)[0],
        "can_submit": perms.can_submit(user, diagnosis)[0],
        "can_accept": perms.can_accept(user, diagnosis)[0],
        "can_return": perms.can_return(user, diagnosis)[0],
        "can_attach": perms.can_attach_signed_pdf(user, diagnosis)[0],
        "transition_form": TransitionForm(),
        "pdf_form": SignedPdfForm(),
    }
    return render(request, "diagnostics/diagnoses/detail.html", context)


def _answer_text(item, value):
    options = {o.number: o for o in item.options.all()}
    if item.kind == "multi":
        chosen = [options[n].label for n in value if n in options] if isinstance(value, list) else []
        return "、".join(chosen) or _("none")
    if item.kind == "single":
        return options[value].label if value in options else str(value)
    if item.kind == "band":
        return percent_of_hundred(value)
    return next((o.label for o in options.values() if o.code == value), str(value))


def _item_rows(diagnosis):
    """The answers as people read them: item, the answer given, the points it earned (two queries)."""
    points = (diagnosis.result or {}).get("items", {})
    answers = diagnosis.answers or {}
    items = (
        Item.objects.filter(dimension__edition_id=diagnosis.edition_id, dimension__scored=True)
        .prefetch_related("options")
        .order_by("dimension__order", "order")
    )
    return [
        {
            "name": item.name,
            "code": item.code,
            "answered": item.code in answers,
            "answer": _answer_text(item, answers[item.code]) if item.code in answers else "",
            "points": points.get(item.code),
        }
        for item in items
    ]


@login_required
def report_edit(request, pk):
    """The report form: the baseline questionnaire (scored live) and the report's own sections."""
    diagnosis = _get(request, pk)
    allowed, reason = perms.may_work_on(request.user, diagnosis)
    if not allowed:
        raise PermissionDenied(reason)
    allowed, reason = perms.state_allows("edit", diagnosis)
    if not allowed:
        messages.error(request, reason)
        return redirect("diagnostics:diagnoses:detail", pk=diagnosis.pk)
    table = scene_table(diagnosis.edition_id)
    posted = request.method == "POST"
    data = None
    if posted:
        # A scene left out of the post is judged level 0 (the browser always sends every select).
        data = request.POST.copy()
        for row in table:
            data.setdefault(f"scene_{row['code']}", "0")
    questionnaire = QuestionnaireForm(diagnosis.edition, data=data, initial_record=diagnosis)
    form = ReportContentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        scenes=table,
        provider=diagnosis.provider,
        initial=ReportContentForm.initial_for(diagnosis),
    )
    if posted and questionnaire.is_valid() and form.is_valid():
        content = form.content()
        # Every scene on the form was judged, level 0 included (the checklist counts judged scenes).
        scenes = {row["code"]: questionnaire.cleaned_data.get(f"scene_{row['code']}") or 0 for row in table}
        try:
            with transaction.atomic():
                services.diagnosis_update(
                    actor=request.user,
                    diagnosis=diagnosis,
                    answers=questionnaire.answers(),
                    raw=questionnaire.raw(),
                    scenes=scenes,
                    scene_notes=questionnaire.scene_notes(),
                    **content,
                )
                if form.cleaned_data.get("signed_pdf"):
                    services.diagnosis_attach_signed_pdf(
                        actor=request.user, diagnosis=diagnosis, upload=form.cleaned_data["signed_pdf"]
                    )
        except DomainError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            elif exc.field == "file":
                form.add_error("signed_pdf", exc.message)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("The report has been saved."))
            if request.POST.get("then") == "submit":
                if confirmation := _submit_confirmation(request, diagnosis):
                    return confirmation
                run_action(
                    request,
                    lambda: services.diagnosis_submit(actor=request.user, diagnosis=diagnosis),
                    success=_("The report has been submitted to the district."),
                )
            return redirect("diagnostics:diagnoses:detail", pk=diagnosis.pk)
    return render(
        request,
        "diagnostics/diagnoses/form.html",
        {"diagnosis": diagnosis, "questionnaire": questionnaire, "form": form},
    )


ACTIONS = {"submit", "accept", "return"}


def _submit_confirmation(request, diagnosis, *, date=None):
    """A report whose checklist still flags something is submitted only after the provider has seen what is
    missing (it may be submitted anyway and completed later: docs/api.md); ``None`` when nothing is flagged."""
    missing = [c for c in diagnosis_checklist(diagnosis) if not c.ok]
    if not missing:
        return None
    return confirmation_page(
        request,
        question=_("Submit the report with evidence still missing?"),
        subject=diagnosis.enterprise.name,
        facts=[(_("Missing"), c.label) for c in missing],
        consequence=_(
            "The district sees the report with these gaps flagged in its review queue and may return it. You can "
            "also go back and complete it first."
        ),
        button=_("Submit anyway"),
        back_url=reverse("diagnostics:diagnoses:detail", args=[diagnosis.pk]),
        post_url=reverse("diagnostics:diagnoses:action", args=[diagnosis.pk, "submit"]),
        hidden=[("date", date.isoformat())] if date else [],
    )


@login_required
@require_POST
def report_action(request, pk, action):
    """Submit (provider, district), accept or return (district) from the record's buttons."""
    if action not in ACTIONS:
        raise Http404
    diagnosis = _get(request, pk)
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid", form_problems(form))
        date = form.cleaned_data.get("date")
        reason = form.cleaned_data.get("reason") or ""
        if action == "submit":
            # Asked only of who may submit it now: anyone else gets the service's refusal as before.
            if (
                not is_confirmed(request)
                and perms.can_submit(request.user, diagnosis)[0]
                and (confirmation := _submit_confirmation(request, diagnosis, date=date))
            ):
                return confirmation
            services.diagnosis_submit(actor=request.user, diagnosis=diagnosis, date=date)
            messages.success(request, _("The report has been submitted to the district."))
        elif action == "accept":
            services.diagnosis_accept(actor=request.user, diagnosis=diagnosis, date=date, reason=reason)
            messages.success(request, _("The report has been accepted."))
        else:
            services.diagnosis_return(actor=request.user, diagnosis=diagnosis, reason=reason, date=date)
            messages.success(request, _("The report has been returned for revision."))
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    if action in ("accept", "return") and request.POST.get("next") == "review":
        return redirect("diagnostics:diagnoses:review_queue")
    return redirect("diagnostics:diagnoses:detail", pk=diagnosis.pk)


@login_required
def signed_pdf(request, pk):
    """GET: download the signed PDF shown (``?file=<id>`` an earlier one); POST: attach a new one."""
    diagnosis = _get(request, pk)
    if request.method == "POST":
        form = SignedPdfForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the signed PDF to upload."))
        else:
            try:
                services.diagnosis_attach_signed_pdf(
                    actor=request.user, diagnosis=diagnosis, upload=form.cleaned_data["file"]
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise PermissionDenied(exc.message) from exc
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The signed report has been attached."))
        return redirect("diagnostics:diagnoses:detail", pk=diagnosis.pk)
    history = signed_pdf_history(diagnosis)
    wanted = request.GET.get("file")
    pdf = history.filter(pk=wanted).first() if wanted else history.first()
    if pdf is None:
        raise Http404
    return serve_protected_file(request, pdf)


@login_required
def report_version(request, pk, version):
    """A submitted version as it was submitted (the snapshot kept in its transition)."""
    diagnosis = _get(request, pk)
    step = diagnosis_version(diagnosis=diagnosis, version=version)
    if step is None:
        raise Http404
    snapshot = step.snapshot or {}
    names = {row["code"]: row for row in scene_table(diagnosis.edition_id)}
    scenes = [
        {
            "row": row,
            "level": (snapshot.get("scenes") or {}).get(code),
            "pain": (snapshot.get("pain_points") or {}).get(code, ""),
            "target": code in (snapshot.get("target_scenes") or []),
        }
        for code, row in names.items()
    ]
    return render(
        request,
        "diagnostics/diagnoses/version.html",
        {"diagnosis": diagnosis, "step": step, "snapshot": snapshot, "scenes": scenes},
    )


# --- deadlines ----------------------------------------------------------------------------------


@login_required
def deadlines(request):
    """The district sets deadlines per enterprise or in batch (a unit's active enterprises, or the
    ticked ones of the filtered list); everyone reads those in their scope, overdue ones flagged."""
    role = role_of(request.user)
    if role is None:
        raise PermissionDenied
    can_set = perms.can_set_deadlines(request.user)[0]
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied(_("Only a district official sets deadlines."))
        return _deadlines_post(request)
    filters = DeadlineFilterForm(request.GET or None)
    rows = deadline_list(viewer=request.user)
    enterprises = Enterprise.objects.visible_to(request.user).filter(status=EnterpriseStatus.ACTIVE)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("unit"):
            rows = rows.filter(enterprise__unit__code=data["unit"])
            enterprises = enterprises.filter(unit__code=data["unit"])
        if data.get("overdue"):
            rows = rows.filter(is_overdue=True)
        if data.get("search"):
            term = data["search"].strip()
            match = Q(name__icontains=term) | Q(credit_code__icontains=term.upper())
            rows = rows.filter(Q(enterprise__name__icontains=term) | Q(enterprise__credit_code__icontains=term.upper()))
            enterprises = enterprises.filter(match)
    context = {
        "filters": filters,
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query_without(request),
        "counts": overdue_counts(viewer=request.user),
        "can_set": can_set,
        "kinds": DeadlineKind.choices,
    }
    if can_set:
        context["batch_form"] = DeadlineBatchForm()
        context["enterprises"] = enterprises.select_related("unit").order_by("unit__code", "name")[:200]
    return render(request, "diagnostics/diagnoses/deadline_list.html", context)


def _deadlines_post(request):
    back = redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    if request.POST.get("clear"):
        deadline = (
            deadline_list(viewer=request.user).filter(pk=request.POST["clear"]).first()
            if request.POST["clear"].isdigit()
            else None
        )
        if deadline is None:
            raise Http404
        services.deadline_clear(actor=request.user, enterprise=deadline.enterprise, kind=deadline.kind)
        messages.success(request, _("The deadline has been cleared."))
        return back
    form = DeadlineBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return back
    unit = form.cleaned_data.get("unit")
    ids = [int(v) for v in request.POST.getlist("enterprises") if v.isdigit()]
    if unit is None and not ids:
        messages.error(request, _("Tick the enterprises, or choose a unit for all its active enterprises."))
        return back
    chosen = list(enterprises_for_batch(viewer=request.user, unit=unit, ids=None if unit else ids))
    if not chosen:
        messages.error(request, _("No active enterprise matches."))
        return back
    run_action(
        request,
        lambda: services.deadline_set_many(
            actor=request.user,
            enterprises=chosen,
            kind=form.cleaned_data["kind"],
            due_on=form.cleaned_data["due_on"],
            note=form.cleaned_data.get("note") or "",
        ),
        success=_("The deadline ({kind}, {date}) has been set for {n} enterprises.").format(
            kind=DeadlineKind(form.cleaned_data["kind"]).label, date=form.cleaned_data["due_on"], n=len(chosen)
        ),
    )
    return back


# --- sections of other apps' pages --------------------------------------------------------------


def enterprise_section(request, enterprise):
    """The enterprise file's "diagnoses" section: its reports the viewer sees, the current one,
    its deadlines. Hidden from viewers who see no report and may open none."""
    user = request.user
    reports = decorate(enterprise_diagnoses(viewer=user, enterprise=enterprise))
    role = role_of(user)
    can_create = role in DISTRICT_ROLES or (
        role == Role.PROVIDER_USER
        and enterprise.status in services.REPORTABLE_STATUSES
        and not any(r.status in perms.OPEN_STATES for r in reports)
    )
    if role == Role.PROVIDER_USER and can_create:
        can_create = enterprise.provider_assignments.filter(provider_id=user.provider_id).exists() or bool(reports)
    return {
        "enterprise": enterprise,
        "reports": reports,
        "current": next((r for r in reports if r.is_current), None),
        "deadlines": list(deadline_list(viewer=user).filter(enterprise=enterprise)),
        "can_create": can_create,
        "can_set_deadlines": perms.can_set_deadlines(user)[0],
    }


def unit_section(request, unit):
    """The unit page's overdue deadlines (a reason for withdrawal)."""
    summary = unit_deadline_summary(viewer=request.user, unit=unit)
    return {"unit": unit, **summary}
