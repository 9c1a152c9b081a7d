"""The transformation project workflow: file → approve → (progress) → request acceptance →
on-site acceptance: passed, or failed (and then request acceptance again); cancel; correct.

Every step is recorded as a :class:`~funding.models.ProjectTransition` with the actor, the day
it happened (optional, default today, never in the future; past days are normal since the portal
also takes the programme's history since October 2024) and a reason, in the same transaction.
A mistyped acceptance is corrected by a district official through an
:class:`~funding.models.AcceptanceCorrection`, never edited.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from books import services as books
from core.errors import Conflict, DomainError
from core.history import save_with_history, set_history
from core.money import Sign, format_yuan, parse_amount
from core.permissions import require
from core.services import event_day, iso_date, whole_percent
from diagnostics.choices import DiagnosisStatus
from diagnostics.models import Diagnosis
from notifications.choices import NotificationKind as Notice
from notifications.services import district_officials, evaluator_users, first_of, notify_event, provider_users
from providers.models import EvaluatorAssignment

from .. import permissions
from ..choices import ProjectAction, ProjectStatus
from ..models import Acceptance, AcceptanceCorrection, Project, ProjectTransition

CHAIN_SOFTWARE_SHARE = Decimal("0.60")
SPEND_FIELDS = ("software_amount", "cloud_amount", "equipment_amount", "other_amount")
MONEY_FIELDS = ("total_investment", *SPEND_FIELDS)
EDITABLE_FIELDS = (
    "title",
    "contract_no",
    "contract_signed_on",
    "planned_start_on",
    "planned_end_on",
    *MONEY_FIELDS,
    "scenes",
    "target_level",
    "is_chain_project",
)
DATE_FIELDS = ("contract_signed_on", "planned_start_on", "planned_end_on")
#: Plans may lie ahead; only the contract's signing is an event that cannot be in the future.
PLANNED_DATE_FIELDS = ("planned_start_on", "planned_end_on")


def _day(value, field="date"):
    return event_day(iso_date(value, field), field)


def _check_amounts(project):
    spend = project.eligible_spend
    if spend > project.total_investment:
        raise DomainError(
            "spend_above_investment",
            _("The eligible spend ({spend}) cannot exceed the total investment ({total}).").format(
                spend=format_yuan(spend, unit=False), total=format_yuan(project.total_investment, unit=False)
            ),
            field="total_investment",
        )
    if project.is_chain_project and (project.software_share or 0) < CHAIN_SOFTWARE_SHARE:
        raise DomainError(
            "chain_software_share",
            _(
                "A chain-transformation project needs software-type costs of at least {share} of its eligible spend."
            ).format(share="60%"),
            field="software_amount",
        )


def _save(project, actor, reason=""):
    return save_with_history(project, actor=actor, reason=reason, validate_unique=False)


def _record(project, *, actor, action, from_status, date, reason="", data=None):
    return ProjectTransition.objects.create(
        project=project,
        action=action,
        from_status=from_status,
        to_status=project.status,
        date=date,
        reason=reason,
        data=data or {},
        actor=actor,
    )


def _step(project, to_status, *, actor, action, date, history_reason="", reason="", data=None):
    """Move the project to ``to_status``, save it with its history and record the transition from
    the status it had."""
    books.guard(date, record=project, actor=actor)
    from_status = project.status
    project.status = to_status
    _save(project, actor, history_reason)
    return _record(project, actor=actor, action=action, from_status=from_status, date=date, reason=reason, data=data)


def _apply(project, facts):
    unknown = set(facts) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    for field, value in facts.items():
        if field in MONEY_FIELDS:
            value = parse_amount(value, sign=Sign.NON_NEGATIVE, field=field)
        elif field in PLANNED_DATE_FIELDS:
            if isinstance(value, str):
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError as exc:
                    raise DomainError("invalid_date", _("Dates are written YYYY-MM-DD."), field=field) from exc
        elif field in DATE_FIELDS and value is not None:
            value = _day(value, field)
        setattr(project, field, value)


def current_accepted_diagnosis(enterprise):
    return Diagnosis.objects.filter(enterprise=enterprise, status=DiagnosisStatus.ACCEPTED, is_current=True).first()


@transaction.atomic
def project_file(*, actor, enterprise, provider, contract_no, total_investment, software_amount, date=None, **facts):
    """File (备案) a project: by the provider's users for an enterprise they serve, or the district.
    The enterprise needs an accepted diagnosis. Without a split of the rest, the eligible spend is
    the total investment (software plus "other")."""
    require(permissions.can_file(actor, enterprise, provider))
    filed_on = _day(date)
    diagnosis = current_accepted_diagnosis(enterprise)
    if diagnosis is None:
        raise Conflict(
            "no_accepted_diagnosis", _("A project is filed for an enterprise whose diagnosis report was accepted.")
        )
    if not str(contract_no or "").strip():
        raise DomainError("contract_required", _("Enter the contract number."), field="contract_no")
    project = Project(
        enterprise=enterprise,
        provider=provider,
        diagnosis=diagnosis,
        contract_no=str(contract_no).strip(),
        filed_on=filed_on,
        created_by=actor,
    )
    _apply(project, {"total_investment": total_investment, "software_amount": software_amount, **facts})
    if "other_amount" not in facts:
        rest = project.total_investment - project.software_amount - project.cloud_amount - project.equipment_amount
        project.other_amount = max(rest, Decimal("0"))
    if project.target_level is None:
        project.target_level = diagnosis.target_level
    if not project.scenes:
        project.scenes = list(diagnosis.target_scenes or [])
    _check_amounts(project)
    books.guard(filed_on, record=enterprise, actor=actor, field="date")
    _save(project, actor)
    _record(project, actor=actor, action=ProjectAction.FILE, from_status="", date=filed_on)
    notify_event(
        district_officials(), Notice.PROJECT_FILED, project_subject(project), link=project_link(project), actor=actor
    )
    return project


@transaction.atomic
def project_update(*, actor, project, **facts):
    """Correct a project's facts while it is filed or in progress (the provider or the district)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(permissions.can_edit(actor, project))
    _apply(project, facts)
    _check_amounts(project)
    return _save(project, actor)


def project_subject(project):
    """What a notification about a project names: the enterprise and the contract."""
    return f"{project.enterprise.name} · {project.contract_no}"


def project_link(project):
    """The path of a project's page, for the notifications about it."""
    return reverse("funding:project_detail", args=[project.pk])


def _locked(project, *allowed_states, action_label):
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in allowed_states:
        raise Conflict(
            "invalid_transition",
            _("A project that is {status} cannot be {action}.").format(
                status=project.get_status_display(), action=action_label
            ),
        )
    return project


@transaction.atomic
def project_approve(*, actor, project, date=None, reason=""):
    require(permissions.can_decide(actor))
    on = _day(date)
    project = _locked(project, ProjectStatus.FILED, action_label=_("approved"))
    project.approved_on = on
    _step(
        project,
        ProjectStatus.APPROVED,
        actor=actor,
        action=ProjectAction.APPROVE,
        date=on,
        history_reason=reason,
        reason=reason,
    )
    notify_event(
        provider_users([project.provider_id]),
        Notice.PROJECT_APPROVED,
        project_subject(project),
        link=project_link(project),
        actor=actor,
    )
    return project


@transaction.atomic
def project_progress(*, actor, project, progress, note="", date=None):
    """Report progress (0–100%) on an approved project."""
    require(permissions.can_report(actor, project))
    on = _day(date)
    project = _locked(project, ProjectStatus.APPROVED, ProjectStatus.FAILED, action_label=_("updated"))
    progress = whole_percent(
        progress, field="progress", code="invalid_progress", message=_("Progress is a whole percentage 0–100.")
    )
    project.progress = progress
    books.guard(on, record=project, actor=actor)
    _save(project, actor, note)
    _record(
        project,
        actor=actor,
        action=ProjectAction.PROGRESS,
        from_status=project.status,
        date=on,
        reason=note,
        data={"progress": progress},
    )
    return project


@transaction.atomic
def project_request_acceptance(*, actor, project, date=None, reason=""):
    """Ask for on-site acceptance (again, after a failure). Missing evidence marks the project
    incomplete on its page; it never refuses the request."""
    require(permissions.can_report(actor, project))
    on = _day(date)
    project = _locked(project, ProjectStatus.APPROVED, ProjectStatus.FAILED, action_label=_("sent for acceptance"))
    project.acceptance_requested_on = on
    _step(
        project,
        ProjectStatus.ACCEPTANCE_REQUESTED,
        actor=actor,
        action=ProjectAction.REQUEST_ACCEPTANCE,
        date=on,
        history_reason=reason,
        reason=reason,
    )
    notify_event(
        first_of(
            evaluator_users(
                EvaluatorAssignment.objects.filter(enterprise_id=project.enterprise_id).values("evaluation_body_id")
            ),
            district_officials(),
        ),
        Notice.ACCEPTANCE_REQUESTED,
        project_subject(project),
        link=project_link(project),
        actor=actor,
    )
    return project


@transaction.atomic
def project_accept(
    *,
    actor,
    project,
    passed,
    accepted_on=None,
    findings="",
    checklist=None,
    post_assessment=None,
    evaluation_body=None,
    backfill=False,
):
    """Record the on-site acceptance inspection: passed, or failed with findings.

    With ``backfill`` (the history back-fill, funding/backfill.py) a district official enters an
    inspection made before the portal from the evaluation body's report: the body must be named."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if backfill:
        require(permissions.can_decide(actor))
        if evaluation_body is None:
            raise DomainError(
                "evaluation_body_required", _("Name the evaluation body that inspected."), field="evaluation_body"
            )
    else:
        require(permissions.can_inspect(actor, project))
    if project.status == ProjectStatus.PASSED:
        raise Conflict("already_passed", _("This project has already passed acceptance."))
    project = _locked(project, ProjectStatus.ACCEPTANCE_REQUESTED, action_label=_("inspected"))
    if not isinstance(passed, bool):
        raise DomainError("invalid_passed", _("Say whether the project passed (true or false)."), field="passed")
    on = _day(accepted_on, "accepted_on")
    if not passed and not (findings or "").strip():
        raise DomainError("findings_required", _("Say why the project failed acceptance."), field="findings")
    if post_assessment is not None and post_assessment.enterprise_id != project.enterprise_id:
        raise DomainError(
            "wrong_assessment", _("The evaluation must be of the project's enterprise."), field="post_assessment"
        )
    project.acceptance_attempts += 1
    acceptance = Acceptance(
        project=project,
        attempt=project.acceptance_attempts,
        evaluation_body=evaluation_body or getattr(actor, "evaluation_body", None),
        accepted_on=on,
        passed=passed,
        findings=(findings or "").strip(),
        checklist=checklist or {},
        post_assessment=post_assessment,
        recorded_by=actor,
    )
    set_history(acceptance, actor=actor)
    acceptance.save()
    project.accepted_on = on if passed else None
    _step(
        project,
        ProjectStatus.PASSED if passed else ProjectStatus.FAILED,
        actor=actor,
        action=ProjectAction.PASS if passed else ProjectAction.FAIL,
        date=on,
        reason=acceptance.findings,
        data={"attempt": acceptance.attempt},
    )
    notify_event(
        [*provider_users([project.provider_id]), *district_officials()],
        Notice.PROJECT_PASSED if passed else Notice.PROJECT_FAILED,
        project_subject(project),
        link=project_link(project),
        body=acceptance.findings,
        actor=actor,
    )
    return acceptance


@transaction.atomic
def acceptance_correct(*, actor, acceptance, reason, passed=None, accepted_on=None, findings=None, date=None):
    """Correct a mistyped acceptance (its result, date or findings): recorded, never an edit.
    Only the project's latest inspection can be corrected; the project's state follows it."""
    require(permissions.can_decide(actor))
    if not (reason or "").strip():
        raise DomainError("reason_required", _("Say why the acceptance is corrected."), field="reason")
    on = _day(date)
    acceptance = Acceptance.objects.select_for_update().get(pk=acceptance.pk)
    project = Project.objects.select_for_update().get(pk=acceptance.project_id)
    if acceptance.attempt != project.acceptance_attempts:
        raise Conflict("not_latest", _("Only the latest acceptance inspection of a project can be corrected."))
    before = {
        "passed": acceptance.passed,
        "accepted_on": acceptance.accepted_on.isoformat(),
        "findings": acceptance.findings,
    }
    if passed is not None:
        if not isinstance(passed, bool):
            raise DomainError("invalid_passed", _("Say whether the project passed (true or false)."), field="passed")
        acceptance.passed = passed
    if accepted_on is not None:
        acceptance.accepted_on = _day(accepted_on, "accepted_on")
    if findings is not None:
        acceptance.findings = findings.strip()
    after = {
        "passed": acceptance.passed,
        "accepted_on": acceptance.accepted_on.isoformat(),
        "findings": acceptance.findings,
    }
    if after == before:
        raise DomainError("nothing_to_correct", _("The correction changes nothing."))
    books.guard(before["accepted_on"], acceptance.accepted_on, on, record=project, actor=actor)
    set_history(acceptance, actor=actor, reason=reason)
    acceptance.save()
    AcceptanceCorrection.objects.create(
        acceptance=acceptance, before=before, after=after, reason=reason.strip(), date=on, actor=actor
    )
    project.accepted_on = acceptance.accepted_on if acceptance.passed else None
    _step(
        project,
        ProjectStatus.PASSED if acceptance.passed else ProjectStatus.FAILED,
        actor=actor,
        action=ProjectAction.CORRECT,
        date=on,
        history_reason=reason,
        reason=reason.strip(),
        data={"attempt": acceptance.attempt, "before": before, "after": after},
    )
    return acceptance


@transaction.atomic
def project_cancel(*, actor, project, reason, date=None):
    require(permissions.can_decide(actor))
    if not (reason or "").strip():
        raise DomainError("reason_required", _("Say why the project is cancelled."), field="reason")
    on = _day(date)
    project = _locked(
        project,
        ProjectStatus.FILED,
        ProjectStatus.APPROVED,
        ProjectStatus.ACCEPTANCE_REQUESTED,
        ProjectStatus.FAILED,
        action_label=_("cancelled"),
    )
    _step(
        project,
        ProjectStatus.CANCELLED,
        actor=actor,
        action=ProjectAction.CANCEL,
        date=on,
        history_reason=reason,
        reason=reason.strip(),
    )
    return project
