"""Reads of diagnosis reports, their evidence checklist, deadlines, overdue work and to-do lists.

Scope: ``Diagnosis.objects.visible_to`` narrows reports to the enterprises a viewer sees; on top of
that a provider user sees only *its own provider's* reports (another provider's report for a
shared enterprise is a 404, as a missing one). Unit staff see their unit's, evaluators the reports
of the enterprises visible to them, the district, finance and auditors everything.

Overdue rules (kept simple, one place):

* a *diagnosis* deadline is overdue when today is after ``due_on`` and the enterprise has no
  accepted report (of any provider) yet;
* an *evaluation* deadline is overdue when today is after ``due_on`` and the enterprise has no
  authoritative baseline assessment (an on-site, submitted one);
* a *transformation* deadline is overdue when today is after ``due_on``.

Only enterprises in the pilot list (active) are flagged: a withdrawn enterprise is out already and
a proposed one has not started. Every list here is a fixed number of queries whatever its length.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Attachment
from core.pagination import page_rows
from core.roles import DISTRICT_ROLES, Role, role_of
from enterprises.choices import Status as EnterpriseStatus
from enterprises.models import Enterprise, in_programme_q, under_deadlines_q
from providers.models import EvaluatorAssignment, ProviderAssignment

from ..choices import AssessmentStatus, DeadlineKind, DiagnosisAction, DiagnosisStatus, Stage
from ..filters import DiagnosisFilter
from ..models import Assessment, Deadline, Diagnosis, DiagnosisTransition
from .index import item_codes, scene_table

SIGNED_PDF_PURPOSE = "signed_report"
#: How many rows each to-do list on the page shows (its count is of all of them).
PENDING_ROWS_SHOWN = 10


def _today():
    return timezone.localdate()


# --- signed PDF ---------------------------------------------------------------------------------


def _diagnosis_content_type():
    return ContentType.objects.get_for_model(Diagnosis)


def signed_pdf_history(diagnosis):
    """Every signed PDF attached to the report, newest first (the first one is the one shown)."""
    return Attachment.objects.filter(
        content_type=_diagnosis_content_type(), object_id=str(diagnosis.pk), purpose=SIGNED_PDF_PURPOSE
    ).order_by("-uploaded_at")


_UNSET = object()


def signed_pdf_of(diagnosis):
    """The signed PDF shown for the report (the latest attached), or None."""
    cached = getattr(diagnosis, "_signed_pdf", _UNSET)
    if cached is not _UNSET:
        return cached
    return signed_pdf_history(diagnosis).first()


def attach_signed_pdfs(rows):
    """Load the shown signed PDF of every row in one query (``signed_pdf_of`` then reads it)."""
    rows = list(rows)
    latest = {}
    for attachment in Attachment.objects.filter(
        content_type=_diagnosis_content_type(),
        object_id__in=[str(row.pk) for row in rows],
        purpose=SIGNED_PDF_PURPOSE,
    ).order_by("uploaded_at"):
        latest[attachment.object_id] = attachment
    for row in rows:
        row._signed_pdf = latest.get(str(row.pk))
    return rows


def _has_signed_pdf():
    return Exists(
        Attachment.objects.filter(
            content_type=_diagnosis_content_type(),
            object_id=Cast(OuterRef("pk"), CharField()),
            purpose=SIGNED_PDF_PURPOSE,
        )
    )


# --- checklist ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    ok: bool


CHECKLIST_LABELS = {
    "signed_pdf": _("Signed report attached (PDF)"),
    "answers": _("Baseline answers given for every index item"),
    "scenes": _("Every scene judged (level 0–4)"),
    "pain_points": _("Pain points written for each target scene"),
    "target": _("Target level and target scenes set"),
    "proposal": _("Proposed work and cost set"),
}


def diagnosis_checklist(diagnosis, *, has_signed_pdf=None):
    """What evidence the report has and lacks. Never refuses anything: a report with gaps can be
    submitted and accepted (docs/api.md), the gaps show to people on the record and in queues.

    ``has_signed_pdf`` comes from the list's annotation; without it one query looks it up.
    """
    if has_signed_pdf is None:
        has_signed_pdf = getattr(diagnosis, "has_signed_pdf", None)
    if has_signed_pdf is None:
        has_signed_pdf = signed_pdf_history(diagnosis).exists()
    answers = diagnosis.answers or {}
    scenes = diagnosis.scenes or {}
    items = item_codes(diagnosis.edition_id)
    scene_codes = [row["code"] for row in scene_table(diagnosis.edition_id)]
    targets = diagnosis.target_scenes or []
    pains = diagnosis.pain_points or {}
    checks = {
        "signed_pdf": bool(has_signed_pdf),
        "answers": bool(items) and all(code in answers for code in items),
        "scenes": bool(scene_codes) and all(code in scenes for code in scene_codes),
        "pain_points": bool(targets) and all((pains.get(code) or "").strip() for code in targets),
        "target": diagnosis.target_level is not None and bool(targets),
        "proposal": bool((diagnosis.proposed_work or "").strip()) and diagnosis.proposed_cost is not None,
    }
    return [ChecklistItem(code, str(CHECKLIST_LABELS[code]), ok) for code, ok in checks.items()]


def software_share(diagnosis):
    """Software-type cost / proposed cost as a fraction (None without both, or with a zero total)."""
    if diagnosis.proposed_cost and diagnosis.software_cost is not None:
        return diagnosis.software_cost / diagnosis.proposed_cost
    return None


# --- reports ------------------------------------------------------------------------------------


def _last_return_reason():
    return Subquery(
        DiagnosisTransition.objects.filter(diagnosis=OuterRef("pk"), action=DiagnosisAction.RETURN)
        .order_by("-recorded_at", "-pk")
        .values("reason")[:1]
    )


def _deadline_of(kind, path="enterprise"):
    return Subquery(Deadline.objects.filter(enterprise=OuterRef(path), kind=kind).values("due_on")[:1])


def _has_accepted_report(path="enterprise"):
    return Exists(Diagnosis.objects.filter(enterprise=OuterRef(path), status=DiagnosisStatus.ACCEPTED))


def diagnosis_list(*, viewer):
    """Reports the viewer may see, with enterprise, unit and provider loaded and what the queues show
    (signed PDF present, last return reason, the diagnosis deadline, an accepted report exists)."""
    queryset = Diagnosis.objects.visible_to(viewer)
    if role_of(viewer) == Role.PROVIDER_USER:
        queryset = queryset.filter(provider_id=viewer.provider_id)
    return queryset.select_related("enterprise__unit", "provider", "edition").annotate(
        has_signed_pdf=_has_signed_pdf(),
        last_return_reason=_last_return_reason(),
        diagnosis_due=_deadline_of(DeadlineKind.DIAGNOSIS),
        enterprise_has_accepted=_has_accepted_report(),
    )


def diagnosis_get(*, viewer, pk):
    """One report in the viewer's scope (``Diagnosis.DoesNotExist`` outside it, as when missing)."""
    return diagnosis_list(viewer=viewer).select_related("created_by").get(pk=pk)


def diagnosis_transitions(*, diagnosis):
    """The report's timeline, oldest first, with the actors."""
    return DiagnosisTransition.objects.filter(diagnosis=diagnosis).select_related("actor").order_by("recorded_at", "pk")


def diagnosis_version(*, diagnosis, version):
    """The submit transition holding ``version``'s snapshot (the latest submission of it), or None."""
    return (
        DiagnosisTransition.objects.filter(
            diagnosis=diagnosis, action=DiagnosisAction.SUBMIT, snapshot__version=version
        )
        .select_related("actor")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def is_overdue_row(diagnosis):
    """A report row's enterprise is past its diagnosis deadline with no accepted report."""
    due = getattr(diagnosis, "diagnosis_due", None)
    return (
        due is not None
        and due < _today()
        and not getattr(diagnosis, "enterprise_has_accepted", False)
        and diagnosis.enterprise.status == EnterpriseStatus.ACTIVE  # under_deadlines_q, on a loaded row
    )


def decorate(rows):
    """Attach ``checklist``, ``missing`` and ``overdue`` to report rows (no query per row)."""
    rows = list(rows)
    for row in rows:
        row.checklist = diagnosis_checklist(row)
        row.missing = [c for c in row.checklist if not c.ok]
        row.overdue = is_overdue_row(row)
    return rows


def enterprise_diagnoses(*, viewer, enterprise):
    """An enterprise's reports the viewer may see, newest first."""
    return diagnosis_list(viewer=viewer).filter(enterprise=enterprise).order_by("-is_current", "-updated_at", "-pk")


def review_queue(*, viewer):
    """Submitted reports waiting for the district, oldest submission first."""
    return (
        diagnosis_list(viewer=viewer)
        .filter(in_programme_q("enterprise"), status=DiagnosisStatus.SUBMITTED)
        .order_by("last_submitted_on", "pk")
    )


def unreported_assignments(*, viewer, provider):
    """Enterprises assigned to ``provider`` (in or proposed for the pilot list) it has no report for."""
    return (
        ProviderAssignment.objects.visible_to(viewer)
        .filter(in_programme_q("enterprise"), provider=provider)
        .exclude(Exists(Diagnosis.objects.filter(enterprise=OuterRef("enterprise"), provider=provider)))
        .select_related("enterprise__unit")
        .annotate(
            diagnosis_due=_deadline_of(DeadlineKind.DIAGNOSIS, "enterprise"),
            enterprise_has_accepted=_has_accepted_report("enterprise"),
        )
        .order_by("enterprise__name")
    )


def work_queue(*, viewer, provider):
    """The provider's work queue: enterprises without a report, and its reports by status."""
    reports = decorate(
        diagnosis_list(viewer=viewer)
        .filter(in_programme_q("enterprise"), provider=provider)
        .order_by("enterprise__name", "-pk")
    )
    unreported = list(unreported_assignments(viewer=viewer, provider=provider))
    today = _today()
    for row in unreported:
        row.overdue = (
            row.diagnosis_due is not None
            and row.diagnosis_due < today
            and not row.enterprise_has_accepted
            and row.enterprise.status == EnterpriseStatus.ACTIVE
        )
    by_status = {status: [r for r in reports if r.status == status] for status in DiagnosisStatus.values}
    return {"unreported": unreported, "by_status": by_status, "reports": reports}


def diagnosis_filtered(*, viewer, params):
    filterset = DiagnosisFilter(params or None, queryset=diagnosis_list(viewer=viewer).order_by("-updated_at", "-pk"))
    return filterset, filterset.qs


# --- deadlines and overdue work -----------------------------------------------------------------


def deadline_list(*, viewer):
    """Deadlines of the enterprises the viewer sees, each annotated ``done`` and ``is_overdue``."""
    return deadlines_with_state(Deadline.objects.visible_to(viewer))


def deadlines_with_state(queryset):
    """``queryset`` of deadlines annotated ``done`` and ``is_overdue`` (the district-wide reminder pass reads
    every deadline this way, without a viewer)."""
    has_baseline = Exists(
        Assessment.objects.authoritative().filter(enterprise=OuterRef("enterprise"), stage=Stage.BASELINE)
    )
    return (
        queryset.select_related("enterprise__unit", "set_by")
        .annotate(
            done=Case(
                When(kind=DeadlineKind.DIAGNOSIS, then=_has_accepted_report()),
                When(kind=DeadlineKind.EVALUATION, then=has_baseline),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(due_on__lt=_today(), done=False) & under_deadlines_q("enterprise"),
                output_field=BooleanField(),
            )
        )
        .order_by("due_on", "enterprise__name", "kind")
    )


def overdue_deadlines(*, viewer):
    return deadline_list(viewer=viewer).filter(is_overdue=True)


def overdue_counts(*, viewer, queryset=None):
    """``{kind: n}`` of overdue deadlines in scope (every kind present)."""
    counts = dict.fromkeys(DeadlineKind.values, 0)
    base = queryset if queryset is not None else overdue_deadlines(viewer=viewer)
    for row in base.order_by().values("kind").annotate(n=Count("pk")):
        counts[row["kind"]] = row["n"]
    return counts


def unit_deadline_summary(*, viewer, unit):
    """For the unit's page: its overdue deadlines (a reason for withdrawal) and counts by kind."""
    overdue = overdue_deadlines(viewer=viewer).filter(enterprise__unit=unit)
    return {
        "overdue": list(overdue[:50]),
        "counts": overdue_counts(viewer=viewer, queryset=overdue),
        "total": overdue.count(),
    }


def evaluations_due(*, viewer, evaluation_body):
    """Enterprises assigned to the body, in the pilot list, with no authoritative baseline assessment
    yet, that have an accepted diagnosis or an evaluation deadline."""
    return (
        EvaluatorAssignment.objects.visible_to(viewer)
        .filter(under_deadlines_q("enterprise"), evaluation_body=evaluation_body)
        .annotate(
            has_accepted=_has_accepted_report(),
            evaluation_due=_deadline_of(DeadlineKind.EVALUATION),
            has_baseline=Exists(
                Assessment.objects.authoritative().filter(enterprise=OuterRef("enterprise"), stage=Stage.BASELINE)
            ),
        )
        .filter(Q(has_accepted=True) | Q(evaluation_due__isnull=False), has_baseline=False)
        # Where the body has a baseline draft, the list offers to continue it instead of starting another.
        .annotate(
            draft_pk=Subquery(
                Assessment.objects.filter(
                    enterprise=OuterRef("enterprise"),
                    evaluation_body=OuterRef("evaluation_body"),
                    stage=Stage.BASELINE,
                    status=AssessmentStatus.DRAFT,
                )
                .order_by("-pk")
                .values("pk")[:1]
            )
        )
        .select_related("enterprise__unit")
        .order_by(F("evaluation_due").asc(nulls_last=True), "enterprise__name")
    )


# --- to-do lists --------------------------------------------------------------------------------


@dataclass
class TodoList:
    key: str
    title: str
    count: int
    rows: list
    url: str = ""
    empty: str = ""


def _todo(key, title, queryset, *, url="", empty="", decorate_rows=False):
    """A to-do list's first rows and its count. The rows are chosen by their ids first
    (:func:`core.pagination.page_rows`): sliced directly, PostgreSQL plans the per-row annotations (an
    accepted report exists, the deadline...) for the whole queue before the limit; at 100,000
    enterprises it read every accepted report and sorted thousands of wide rows to show ten."""
    rows = list(page_rows(queryset, 0, PENDING_ROWS_SHOWN))
    if decorate_rows:
        rows = decorate(rows)
    count = len(rows) if len(rows) < PENDING_ROWS_SHOWN else queryset.count()
    return TodoList(key, str(title), count, rows, url, str(empty))


def todo_lists(user):
    """The signed-in user's to-do lists, by role (each a bounded number of queries)."""
    role = role_of(user)
    lists = []
    if role in DISTRICT_ROLES:
        lists.append(
            _todo(
                "review",
                _("Reports waiting for review"),
                review_queue(viewer=user),
                url=reverse("diagnostics:diagnoses:review_queue"),
                empty=_("No report is waiting."),
                decorate_rows=True,
            )
        )
        lists.append(
            _todo(
                "overdue",
                _("Overdue deadlines"),
                overdue_deadlines(viewer=user),
                url=reverse("diagnostics:diagnoses:deadlines") + "?overdue=1",
                empty=_("Nothing is overdue."),
            )
        )
    elif role == Role.PROVIDER_USER and user.provider_id:
        mine = diagnosis_list(viewer=user)
        lists.append(
            _todo(
                "returned",
                _("Reports returned for revision"),
                mine.filter(in_programme_q("enterprise"), status=DiagnosisStatus.RETURNED).order_by("updated_at", "pk"),
                url=reverse("diagnostics:diagnoses:work_queue"),
                empty=_("No report is waiting for revision."),
                decorate_rows=True,
            )
        )
        lists.append(
            _todo(
                "drafts",
                _("Drafts to finish and submit"),
                mine.filter(in_programme_q("enterprise"), status=DiagnosisStatus.DRAFT).order_by("updated_at", "pk"),
                url=reverse("diagnostics:diagnoses:work_queue"),
                empty=_("No draft."),
                decorate_rows=True,
            )
        )
        lists.append(
            _todo(
                "unreported",
                _("Assigned enterprises without a report"),
                unreported_assignments(viewer=user, provider=user.provider),
                url=reverse("diagnostics:diagnoses:work_queue"),
                empty=_("Every assigned enterprise has a report."),
            )
        )
        lists.append(
            _todo(
                "overdue",
                _("Overdue deadlines"),
                overdue_deadlines(viewer=user),
                url=reverse("diagnostics:diagnoses:work_queue"),
                empty=_("Nothing is overdue."),
            )
        )
    elif role == Role.EVALUATOR and user.evaluation_body_id:
        lists.append(
            _todo(
                "evaluations",
                _("Evaluations due"),
                evaluations_due(viewer=user, evaluation_body=user.evaluation_body),
                url=reverse("diagnostics:assessments:mine") + "?show=due",
                empty=_("No evaluation is due."),
            )
        )
    elif role == Role.UNIT_STAFF:
        lists.append(
            _todo(
                "overdue",
                _("Overdue deadlines in our unit"),
                overdue_deadlines(viewer=user),
                url=reverse("diagnostics:diagnoses:deadlines") + "?overdue=1",
                empty=_("Nothing is overdue."),
            )
        )
    return lists


def enterprises_for_batch(*, viewer, unit=None, ids=None):
    """Active enterprises for a batch of deadlines: a unit's, or those ticked on a filtered list."""
    queryset = Enterprise.objects.visible_to(viewer).filter(status=EnterpriseStatus.ACTIVE)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by("pk")
