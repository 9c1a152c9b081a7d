"""Reads of assessments, always through the viewer's scope: lists, one record, an enterprise's
levels, an evaluation body's worklist and an assessment's evidence."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from core.models import Attachment
from core.roles import GLOBAL_READ_ROLES, Role, role_of
from enterprises.models import in_programme_q
from providers.models import EvaluatorAssignment

from ..choices import AssessmentStatus, DeadlineKind, Method, Stage
from ..filters import AssessmentFilter
from ..models import Assessment, Deadline


def _draft_visibility(viewer):
    """Drafts are seen by the district (and global readers) and by the side that writes them."""
    role = role_of(viewer)
    if role in GLOBAL_READ_ROLES:
        return Q()
    submitted = Q(status=AssessmentStatus.SUBMITTED)
    if role == Role.EVALUATOR:
        return submitted | Q(method=Method.ONSITE, evaluation_body_id=viewer.evaluation_body_id)
    if role == Role.UNIT_STAFF:
        return submitted | Q(method=Method.SELF, enterprise__unit_id=viewer.unit_id)
    if role == Role.PROVIDER_USER:
        return submitted | Q(method=Method.SELF, created_by__provider_id=viewer.provider_id)
    return submitted


def assessment_list(*, viewer):
    """Assessments of the enterprises the viewer sees (drafts only for their writers and the district)."""
    return (
        Assessment.objects.visible_to(viewer)
        .filter(_draft_visibility(viewer))
        .select_related("enterprise__unit", "evaluation_body", "edition", "created_by")
    )


def assessment_filtered(*, viewer, params):
    """The viewer's assessments narrowed by ``enterprise``, ``stage``, ``method``, ``level``, ``status``."""
    filterset = AssessmentFilter(
        params or None, queryset=assessment_list(viewer=viewer).order_by("-evaluated_on", "-pk")
    )
    return filterset, filterset.qs


def assessment_get(*, viewer, pk):
    """One assessment in the viewer's scope (``Assessment.DoesNotExist`` outside it, as when missing)."""
    return assessment_list(viewer=viewer).get(pk=pk)


def enterprise_assessments(*, viewer, enterprise):
    """An enterprise's assessments the viewer sees, oldest first (evaluated_on, then id)."""
    return assessment_list(viewer=viewer).filter(enterprise=enterprise).order_by("evaluated_on", "pk")


def latest_authoritative(assessments, stage):
    """The latest submitted on-site assessment of ``stage`` among ``assessments`` (by date, then id)."""
    chosen = None
    for a in assessments:
        if (
            a.authoritative
            and a.stage == stage
            and (chosen is None or (a.evaluated_on, a.pk) > (chosen.evaluated_on, chosen.pk))
        ):
            chosen = a
    return chosen


def enterprise_levels(*, enterprise):
    """(baseline_level, current_level) from all the enterprise's authoritative assessments (no scoping:
    used by the service that keeps the enterprise's levels).

    baseline = the latest authoritative baseline (by evaluated_on, then id); current = the latest
    authoritative post-transformation evaluation if any, else the baseline. ``None`` when absent.
    """
    rows = list(Assessment.objects.authoritative().filter(enterprise=enterprise).order_by("evaluated_on", "pk"))
    baseline = latest_authoritative(rows, Stage.BASELINE)
    post = latest_authoritative(rows, Stage.POST)
    baseline_level = baseline.level if baseline else None
    current_level = post.level if post else baseline_level
    return baseline_level, current_level


def evaluator_worklist(*, viewer, evaluation_body, today=None):
    """The enterprises in the programme assigned to ``evaluation_body`` (declined, withdrawn and merged ones
    leave the list): baseline/post done (or a draft), the evaluation deadline and whether it is overdue (the
    deadline has passed and the evaluation due is not done)."""
    today = today or timezone.localdate()
    assignments = list(
        EvaluatorAssignment.objects.visible_to(viewer)
        .filter(in_programme_q("enterprise"), evaluation_body=evaluation_body)
        .select_related("enterprise__unit")
        .order_by("enterprise__name")
    )
    ids = [a.enterprise_id for a in assignments]
    done = {}
    for a in (
        Assessment.objects.filter(enterprise_id__in=ids, method=Method.ONSITE, evaluation_body=evaluation_body)
        .order_by("evaluated_on", "pk")
        .only("pk", "enterprise_id", "stage", "status", "level", "evaluated_on", "method")
    ):
        slot = done.setdefault(a.enterprise_id, {})
        key = f"{a.stage}_{'submitted' if a.status == AssessmentStatus.SUBMITTED else 'draft'}"
        slot[key] = a  # the latest wins
    deadlines = {
        d.enterprise_id: d for d in Deadline.objects.filter(enterprise_id__in=ids, kind=DeadlineKind.EVALUATION)
    }
    rows = []
    for assignment in assignments:
        e = assignment.enterprise
        slot = done.get(e.pk, {})
        baseline = slot.get("baseline_submitted")
        post = slot.get("post_submitted")
        deadline = deadlines.get(e.pk)
        due_stage = Stage.BASELINE if baseline is None else (Stage.POST if post is None else None)
        overdue = bool(deadline and due_stage and deadline.due_on < today)
        rows.append(
            {
                "enterprise": e,
                "assigned_on": assignment.assigned_on,
                "baseline": baseline,
                "baseline_draft": slot.get("baseline_draft"),
                "post": post,
                "post_draft": slot.get("post_draft"),
                "due_stage": due_stage,
                # The draft of the stage due, when there is one: the list continues it rather than start another.
                "continue_draft": slot.get(f"{due_stage}_draft") if due_stage else None,
                "deadline": deadline,
                "overdue": overdue,
                "days_left": (deadline.due_on - today).days if deadline else None,
            }
        )
    return rows


def assessment_evidence(assessment):
    """The evidence files of an assessment, grouped by scene code ({code: [Attachment]})."""
    grouped = {}
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment), object_id=str(assessment.pk)
    ).order_by("uploaded_at"):
        scene = attachment.purpose.removeprefix("scene:") if attachment.purpose.startswith("scene:") else ""
        grouped.setdefault(scene, []).append(attachment)
    return grouped
