"""The project workflow: states, who moves them, dates, acceptance and its recorded corrections."""

import datetime
from decimal import Decimal

import pytest

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from diagnostics.choices import DiagnosisStatus
from diagnostics.models import Diagnosis
from funding.choices import ProjectAction, ProjectStatus
from funding.models import AcceptanceCorrection, Project
from funding.services import projects
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

from .helpers import accepted_diagnosis, assign

D = Decimal
PAST = datetime.date(2025, 3, 1)


@pytest.fixture
def world(users, make_user):
    provider = ProviderFactory()
    body = EvaluationBodyFactory()
    enterprise = EnterpriseFactory()
    assign(enterprise, provider, body, PAST)
    accepted_diagnosis(
        enterprise, provider, target_scenes=["production_control", "quality_management"], accepted_on=None
    )
    return {
        "enterprise": enterprise,
        "provider": provider,
        "provider_user": make_user(Role.PROVIDER_USER, provider=provider),
        "evaluator": make_user(Role.EVALUATOR, evaluation_body=body),
        "other_evaluator": make_user(Role.EVALUATOR, evaluation_body=EvaluationBodyFactory()),
        "other_provider_user": make_user(Role.PROVIDER_USER, provider=ProviderFactory()),
        "official": users[Role.DISTRICT_OFFICIAL],
        "admin": users[Role.ADMIN],
        "auditor": users[Role.AUDITOR],
    }


def file(world, **kwargs):
    kwargs.setdefault("contract_no", "HT-2025-018")
    kwargs.setdefault("total_investment", "1200000.00")
    kwargs.setdefault("software_amount", "800000.00")
    return projects.project_file(
        actor=world["provider_user"], enterprise=world["enterprise"], provider=world["provider"], **kwargs
    )


def test_a_provider_files_with_only_the_contract_fields_and_takes_the_diagnosis_targets(world):
    project = file(world, date=PAST)
    assert project.status == ProjectStatus.FILED and project.filed_on == PAST
    assert project.eligible_spend == D("1200000.00") and project.other_amount == D("400000.00")
    assert project.software_share == D("800000") / D("1200000")
    assert project.target_level == 2 and project.scenes == ["production_control", "quality_management"]
    step = project.transitions.get()
    assert (step.action, step.to_status, step.actor, step.date) == ("file", "filed", world["provider_user"], PAST)


def test_a_project_needs_an_accepted_diagnosis(world):
    Diagnosis.objects.update(status=DiagnosisStatus.RETURNED, is_current=False)
    with pytest.raises(Conflict) as excinfo:
        file(world)
    assert excinfo.value.code == "no_accepted_diagnosis"


def test_another_provider_and_other_roles_cannot_file(world, users):
    for actor in (world["other_provider_user"], users[Role.UNIT_STAFF], world["evaluator"], world["auditor"]):
        with pytest.raises(PermissionDenied):
            projects.project_file(
                actor=actor,
                enterprise=world["enterprise"],
                provider=world["provider"],
                contract_no="x",
                total_investment="1",
                software_amount="1",
            )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"total_investment": "-1"}, "invalid_amount"),
        ({"total_investment": "abc"}, "invalid_amount"),
        ({"software_amount": "0.001"}, "invalid_amount"),
        ({"total_investment": "100", "software_amount": "200"}, "spend_above_investment"),
        ({"contract_no": " "}, "contract_required"),
        ({"date": datetime.date.today() + datetime.timedelta(days=3)}, "date_in_future"),
        (
            {"is_chain_project": True, "software_amount": "600000", "total_investment": "1200000"},
            "chain_software_share",
        ),
        ({"colour": "red"}, "unknown_field"),
    ],
)
def test_bad_filings_are_refused_with_a_reason(world, kwargs, code):
    with pytest.raises(DomainError) as excinfo:
        file(world, **kwargs)
    assert excinfo.value.code == code
    assert not Project.objects.exists()


def test_a_chain_project_with_sixty_percent_software_is_fine(world):
    project = file(world, is_chain_project=True, software_amount="720000", total_investment="1200000")
    assert project.software_share == D("0.6")


def test_the_whole_workflow_with_a_failure_and_a_second_inspection(world):
    project = file(world, date=PAST)
    with pytest.raises(PermissionDenied):
        projects.project_approve(actor=world["provider_user"], project=project)
    with pytest.raises(Conflict):
        projects.project_request_acceptance(actor=world["provider_user"], project=project)
    projects.project_approve(actor=world["official"], project=project, date=PAST + datetime.timedelta(days=10))
    projects.project_progress(actor=world["provider_user"], project=project, progress=60, note="MES 上线")
    projects.project_request_acceptance(actor=world["provider_user"], project=project)
    with pytest.raises(PermissionDenied):
        projects.project_accept(actor=world["other_evaluator"], project=project, passed=True)
    with pytest.raises(PermissionDenied):
        projects.project_accept(actor=world["official"], project=project, passed=True)
    with pytest.raises(DomainError) as excinfo:
        projects.project_accept(actor=world["evaluator"], project=project, passed=False)
    assert excinfo.value.code == "findings_required"
    first = projects.project_accept(
        actor=world["evaluator"], project=project, passed=False, findings="发票不全", accepted_on="2025-09-01"
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED and first.attempt == 1 and project.accepted_on is None
    projects.project_request_acceptance(actor=world["provider_user"], project=project)
    second = projects.project_accept(actor=world["evaluator"], project=project, passed=True, accepted_on="2025-10-10")
    project.refresh_from_db()
    assert project.status == ProjectStatus.PASSED and project.accepted_on == datetime.date(2025, 10, 10)
    assert second.attempt == 2 and second.evaluation_body == world["evaluator"].evaluation_body
    with pytest.raises(Conflict) as excinfo:
        projects.project_accept(actor=world["evaluator"], project=project, passed=True)
    assert excinfo.value.code == "already_passed"
    actions = list(project.transitions.values_list("action", flat=True))
    assert actions == ["file", "approve", "progress", "request_acceptance", "fail", "request_acceptance", "pass"]


def test_a_mistyped_acceptance_is_corrected_by_a_recorded_correction(world):
    project = file(world)
    projects.project_approve(actor=world["official"], project=project)
    projects.project_request_acceptance(actor=world["provider_user"], project=project)
    acceptance = projects.project_accept(
        actor=world["evaluator"], project=project, passed=True, accepted_on="2025-08-01"
    )
    with pytest.raises(PermissionDenied):
        projects.acceptance_correct(actor=world["evaluator"], acceptance=acceptance, passed=False, reason="录错")
    with pytest.raises(DomainError):
        projects.acceptance_correct(actor=world["official"], acceptance=acceptance, passed=False, reason=" ")
    projects.acceptance_correct(
        actor=world["official"], acceptance=acceptance, passed=False, findings="合同金额不符", reason="录入错误"
    )
    project.refresh_from_db()
    acceptance.refresh_from_db()
    assert project.status == ProjectStatus.FAILED and not acceptance.passed
    correction = AcceptanceCorrection.objects.get()
    assert correction.before["passed"] is True and correction.after["passed"] is False
    assert correction.actor == world["official"]
    assert project.transitions.last().action == ProjectAction.CORRECT
    with pytest.raises(DomainError) as excinfo:
        projects.acceptance_correct(actor=world["official"], acceptance=acceptance, passed=False, reason="again")
    assert excinfo.value.code == "nothing_to_correct"


def test_another_provider_never_sees_the_project(world):
    project = file(world)
    assert not Project.objects.visible_to(world["other_provider_user"]).filter(pk=project.pk).exists()
    assert Project.objects.visible_to(world["provider_user"]).filter(pk=project.pk).exists()
    assert Project.objects.visible_to(world["evaluator"]).filter(pk=project.pk).exists()
    assert not Project.objects.visible_to(world["other_evaluator"]).filter(pk=project.pk).exists()


def test_a_cancelled_project_stops_and_a_passed_one_cannot_be_cancelled(world):
    project = file(world)
    with pytest.raises(DomainError):
        projects.project_cancel(actor=world["official"], project=project, reason="")
    projects.project_cancel(actor=world["official"], project=project, reason="企业放弃")
    with pytest.raises(Conflict):
        projects.project_approve(actor=world["official"], project=project)
