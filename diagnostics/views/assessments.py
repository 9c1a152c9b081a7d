"""Assessment pages: the evaluator's work list, the evaluation form, the detail page, the enterprise
section (before vs after) and the questionnaire's live score."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.money import percent_of_hundred
from core.pages import PAGE_SIZE, found_or_404, list_context
from core.permissions import can_see_history
from core.roles import Role, role_of
from enterprises.selectors import enterprise_get
from providers.models import EvaluationBody

from ..choices import AssessmentStatus, ItemKind, Method, Stage
from ..forms.assessments import AssessmentMetaForm
from ..forms.questionnaire import OUTCOME_CHOICES, QuestionnaireForm
from ..permissions import assessments as permissions
from ..raw import GROUPS_BY_ITEM, RAW_FIELDS
from ..selectors.assessments import (
    assessment_evidence,
    assessment_filtered,
    assessment_get,
    enterprise_assessments,
    evaluator_worklist,
)
from ..selectors.index import current_edition, edition_by_code
from ..services import assessments as services


def _assessment(request, pk):
    return found_or_404(assessment_get, viewer=request.user, pk=pk)


@login_required
@require_POST
def live_score(request):
    """The questionnaire's score card for the POSTed answers (htmx), with the derived answers out of band.

    Any signed-in user; nothing is stored. The edition is the form's ``index_edition`` (default: current).
    """
    edition = edition_by_code(request.POST.get("index_edition"))
    if edition is None:
        raise Http404
    form = QuestionnaireForm(edition, data=request.POST)
    form.is_valid()
    derived = form.derived_display()
    return render(
        request,
        "diagnostics/_questionnaire_score.html",
        {"card": form.score_card(), "oob_derived": {code: derived.get(code, "") for code in GROUPS_BY_ITEM}},
    )


# --- Lists ------------------------------------------------------------------------------------


@login_required
def my_evaluations(request):
    """An evaluator's work list: the enterprises assigned to their body, baseline and post done or due,
    the evaluation deadline and whether it is overdue."""
    if role_of(request.user) != Role.EVALUATOR:
        raise PermissionDenied
    rows = evaluator_worklist(viewer=request.user, evaluation_body=request.user.evaluation_body)
    show = request.GET.get("show", "")
    if show == "due":
        rows = [r for r in rows if r["due_stage"]]
    elif show == "overdue":
        rows = [r for r in rows if r["overdue"]]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    all_rows = evaluator_worklist(viewer=request.user, evaluation_body=request.user.evaluation_body) if show else rows
    return render(
        request,
        "diagnostics/assessments/mine.html",
        {
            "page_obj": page,
            "show": show,
            "body": request.user.evaluation_body,
            "totals": {
                "assigned": len(all_rows),
                "baseline_done": sum(1 for r in all_rows if r["baseline"]),
                "post_done": sum(1 for r in all_rows if r["post"]),
                "overdue": sum(1 for r in all_rows if r["overdue"]),
            },
        },
    )


@login_required
def assessment_list_page(request):
    """Every assessment the viewer may see, with filters."""
    filterset, queryset = assessment_filtered(viewer=request.user, params=request.GET)
    return render(request, "diagnostics/assessments/list.html", list_context(request, filterset, queryset))


# --- The evaluation form ----------------------------------------------------------------------


def _bodies_for(user, enterprise, method):
    """The evaluation bodies the district may pick for an on-site evaluation (those assigned)."""
    if method != Method.ONSITE or role_of(user) == Role.EVALUATOR:
        return None
    return EvaluationBody.objects.filter(assignments__enterprise=enterprise).distinct().order_by("name")


def _apply_input_errors(questionnaire, meta, exc):
    if isinstance(exc, services.AssessmentInputError):
        for code, texts in exc.errors.items():
            questionnaire.add_code_error(code, texts)
        return
    if exc.field and exc.field in meta.fields:
        meta.add_error(exc.field, exc.message)
    elif exc.field in ("date",):
        meta.add_error("evaluated_on", exc.message)
    else:
        meta.add_error(None, exc.message)


def _save_evidence(request, assessment, questionnaire):
    for scene, uploads in questionnaire.evidence_files().items():
        for upload in uploads:
            services.assessment_attach_evidence(actor=request.user, assessment=assessment, scene=scene, upload=upload)


def _form_page(request, *, enterprise, method, assessment=None):
    edition = assessment.edition if assessment else current_edition()
    bodies = _bodies_for(request.user, enterprise, method)
    if request.method == "POST":
        meta = AssessmentMetaForm(request.POST, bodies=bodies)
        questionnaire = QuestionnaireForm(edition, data=request.POST, files=request.FILES, with_files=True)
        submit = request.POST.get("action") == "submit"
        if meta.is_valid() & questionnaire.is_valid():
            values = {
                "stage": meta.cleaned_data["stage"],
                "evaluated_on": meta.cleaned_data["evaluated_on"],
                "evaluators": meta.cleaned_data["evaluators"],
                "note": meta.cleaned_data["note"],
                "answers": questionnaire.answers(),
                "raw": questionnaire.raw(),
                "scenes": questionnaire.scenes(),
                "scene_notes": questionnaire.scene_notes(),
            }
            try:
                with transaction.atomic():
                    if assessment is None:
                        saved = services.assessment_create(
                            actor=request.user,
                            enterprise=enterprise,
                            method=method,
                            edition=edition,
                            evaluation_body=meta.cleaned_data.get("evaluation_body"),
                            **values,
                        )
                    else:
                        saved = services.assessment_update(actor=request.user, assessment=assessment, **values)
                    _save_evidence(request, saved, questionnaire)
                    if submit:
                        services.assessment_submit(actor=request.user, assessment=saved)
            except DomainError as exc:
                _apply_input_errors(questionnaire, meta, exc)
                if exc.code.startswith("file_"):
                    messages.error(request, exc.message)
            else:
                if submit:
                    messages.success(request, _("The assessment has been submitted."))
                else:
                    messages.success(request, _("The draft has been saved."))
                return redirect("diagnostics:assessments:detail", pk=saved.pk)
    else:
        stage = request.GET.get("stage") if request.GET.get("stage") in Stage.values else Stage.BASELINE
        initial = {"stage": stage, "evaluated_on": timezone.localdate()}
        if assessment is not None:
            initial = {
                "stage": assessment.stage,
                "evaluated_on": assessment.evaluated_on,
                "evaluators": assessment.evaluators,
                "note": assessment.note,
                "evaluation_body": assessment.evaluation_body_id,
            }
        elif bodies is not None and bodies.count() >= 1:
            initial["evaluation_body"] = bodies.first().pk
        meta = AssessmentMetaForm(initial=initial, bodies=bodies)
        questionnaire = QuestionnaireForm(edition, initial_record=assessment, with_files=True)
    offline = method == Method.ONSITE
    stage = (
        assessment.stage
        if assessment
        else (request.GET.get("stage") if request.GET.get("stage") in Stage.values else Stage.BASELINE)
    )
    return render(
        request,
        "diagnostics/assessments/form.html",
        {
            "offline": offline,
            "offline_key": f"assessment:{assessment.pk}" if assessment else f"new:{enterprise.pk}:{method}:{stage}",
            "offline_manifest": offline and role_of(request.user) == Role.EVALUATOR,
            "version": services.assessment_version(assessment) if assessment else "",
            "enterprise": enterprise,
            "method": method,
            "method_label": Method(method).label,
            "assessment": assessment,
            "meta": meta,
            "questionnaire": questionnaire,
            "evidence": assessment_evidence(assessment) if assessment else {},
        },
    )


@login_required
def assessment_create_page(request, enterprise_pk, method):
    """Start an on-site evaluation or a self-assessment of an enterprise."""
    if method not in Method.values:
        raise Http404
    enterprise = found_or_404(enterprise_get, viewer=request.user, pk=enterprise_pk)
    allowed, reason = permissions.can_enter(request.user, enterprise, method)
    if not allowed:
        raise PermissionDenied(reason)
    return _form_page(request, enterprise=enterprise, method=method)


@login_required
def assessment_edit_page(request, pk):
    assessment = _assessment(request, pk)
    allowed, reason = permissions.can_change(request.user, assessment)
    if not allowed:
        raise PermissionDenied(reason)
    return _form_page(request, enterprise=assessment.enterprise, method=assessment.method, assessment=assessment)


@login_required
@require_POST
def assessment_delete_page(request, pk):
    assessment = _assessment(request, pk)
    enterprise = assessment.enterprise
    try:
        services.assessment_delete(actor=request.user, assessment=assessment)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("diagnostics:assessments:detail", pk=pk)
    messages.success(request, _("The draft has been deleted."))
    return redirect("enterprises:detail", pk=enterprise.pk)


# --- The detail page --------------------------------------------------------------------------


def _answer_text(item, value):
    if value is None:
        return ""
    if item.kind == ItemKind.MULTI:
        labels = {o.number: o.label for o in item.options.all()}
        return "、".join(labels.get(v, str(v)) for v in value) if value else "无"
    if item.kind == ItemKind.SINGLE:
        return next((o.label for o in item.options.all() if o.number == value), str(value))
    if item.kind == ItemKind.OUTCOME:
        label = next((o.label for o in item.options.all() if o.code == value), "")
        return f"{dict(OUTCOME_CHOICES).get(value, value)} ({label})"
    return percent_of_hundred(value)


def assessment_rows(assessment):
    """Per dimension: each item's answer, raw numbers and stored points (from the stored result)."""
    stored_items = (assessment.result or {}).get("items", {})
    dimensions = []
    for dimension in (
        assessment.edition.dimensions.filter(scored=True).prefetch_related("items__options").order_by("order")
    ):
        rows = []
        for item in dimension.items.all():
            group = GROUPS_BY_ITEM.get(item.code)
            raw = [
                (RAW_FIELDS[f.key], assessment.raw[f.key])
                for f in (group.fields if group else ())
                if f.key in assessment.raw
            ]
            rows.append(
                {
                    "item": item,
                    "answer": _answer_text(item, assessment.answers.get(item.code)),
                    "raw": raw,
                    "points": stored_items.get(item.code),
                }
            )
        dimensions.append(
            {
                "dimension": dimension,
                "rows": rows,
                "points": (assessment.result or {}).get("dimensions", {}).get(dimension.code),
            }
        )
    return dimensions


@login_required
def assessment_detail(request, pk):
    """One assessment: raw and derived answers, per-item points, scenes with notes and evidence,
    edition, who and when. The result shown is the one stored when it was scored."""
    assessment = _assessment(request, pk)
    evidence = assessment_evidence(assessment)
    scenes = [
        {
            "scene": scene,
            "level": assessment.scenes.get(scene.code, 0),
            "description": scene.level_descriptions.get(str(assessment.scenes.get(scene.code, 0)), ""),
            "note": assessment.scene_notes.get(scene.code, ""),
            "files": evidence.get(scene.code, []),
        }
        for scene in assessment.edition.scenes.order_by("order")
    ]
    can_change = permissions.can_change(request.user, assessment)[0]
    return render(
        request,
        "diagnostics/assessments/detail.html",
        {
            "assessment": assessment,
            "dimensions": assessment_rows(assessment),
            "scenes": scenes,
            "result": assessment.result or {},
            "can_change": can_change,
            "can_see_history": can_see_history(request.user)[0],
        },
    )


# --- The enterprise section -------------------------------------------------------------------


def _pick(assessments, stage):
    """The latest authoritative assessment of ``stage``; failing that the latest submitted self-assessment."""
    submitted = [a for a in assessments if a.stage == stage and a.status == AssessmentStatus.SUBMITTED]
    onsite = [a for a in submitted if a.method == Method.ONSITE]
    pool = onsite or submitted
    return max(pool, key=lambda a: (a.evaluated_on, a.pk)) if pool else None


def _number(value):
    return float(Decimal(str(value))) if value not in (None, "") else None


def comparison(assessments, edition):
    """Before vs after for the enterprise section: per dimension and per scene, with chart data."""
    before, after = _pick(assessments, Stage.BASELINE), _pick(assessments, Stage.POST)
    dimensions = list(edition.dimensions.filter(scored=True).order_by("order"))
    scenes = list(edition.scenes.order_by("order"))

    def dim(a, code):
        return _number((a.result or {}).get("dimensions", {}).get(code)) if a else None

    dim_rows = [
        {"name": d.name, "max": _number(d.max_points), "before": dim(before, d.code), "after": dim(after, d.code)}
        for d in dimensions
    ]
    scene_rows = [
        {
            "name": s.name,
            "constraint": s.constraint,
            "before": before.scenes.get(s.code, 0) if before else None,
            "after": after.scenes.get(s.code, 0) if after else None,
        }
        for s in scenes
    ]
    chart = {
        "labels": {"before": str(_("Before (baseline)")), "after": str(_("After (post)"))},
        "dimensions": [r["name"] for r in dim_rows],
        "dimension_before": [r["before"] for r in dim_rows],
        "dimension_after": [r["after"] for r in dim_rows],
        "scenes": [("★" if r["constraint"] else "") + r["name"] for r in scene_rows],
        "scene_before": [r["before"] for r in scene_rows],
        "scene_after": [r["after"] for r in scene_rows],
    }
    return {"before": before, "after": after, "dimension_rows": dim_rows, "scene_rows": scene_rows, "chart": chart}


def enterprise_section(request, enterprise):
    """The "assessments" section of the enterprise file: every assessment the viewer sees, the latest
    before and after side by side (table and chart), and links to start one where allowed."""
    user = request.user
    if role_of(user) is None:
        return None
    assessments = list(enterprise_assessments(viewer=user, enterprise=enterprise))
    edition = current_edition()
    data = comparison(assessments, edition) if edition else {}
    links = []
    for method in (Method.ONSITE, Method.SELF):
        if permissions.can_enter(user, enterprise, method)[0]:
            for stage in (Stage.BASELINE, Stage.POST):
                links.append(
                    {
                        "url": reverse("diagnostics:assessments:create", args=[enterprise.pk, method])
                        + f"?stage={stage}",
                        "label": _("{method}: {stage}").format(method=Method(method).label, stage=Stage(stage).label),
                        "method": method,
                        "stage": stage,
                    }
                )
    return {"enterprise": enterprise, "assessments": list(reversed(assessments)), "links": links, **data}
