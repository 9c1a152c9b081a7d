"""The scale generator (``demo.scale``, ``manage.py generate_scale``): a small programme is
consistent (every fact one the services could have produced), the indicators compute on it with
non-zero actuals, and the same seed gives the same programme."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max, Sum

from core import credit_code
from core.errors import Conflict, DomainError
from demo import scale
from diagnostics.choices import DiagnosisStatus, Stage
from diagnostics.models import Assessment, Diagnosis, DiagnosisTransition
from diagnostics.selectors.assessments import enterprise_levels
from enterprises.choices import Status
from enterprises.models import Enterprise
from funding.choices import (
    BudgetPurpose,
    CommitmentStatus,
    DisbursementStatus,
    FundSourceKind,
    ProjectStatus,
    RecognitionKind,
)
from funding.models import Acceptance, BudgetLine, CommitmentLine, Disbursement, Project, ProjectTransition
from funding.services.ledger import latest_post_level

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 20)
SIZE = 200
CLAIMED = (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED, DisbursementStatus.PAID)


@pytest.fixture
def programme():
    return scale.generate(enterprises=SIZE, seed="test-scale", as_of=AS_OF)


def test_every_table_gets_rows_in_proportion(programme):
    assert programme["enterprises"] == SIZE
    for label, rows in programme.items():
        assert rows > 0, label
    assert Enterprise.objects.filter(status=Status.WITHDRAWN).exists()
    assert Enterprise.objects.filter(status=Status.PROPOSED).exists()
    assert Enterprise.objects.values("unit").distinct().count() == 18
    assert set(Project.objects.values_list("status", flat=True)) >= {
        ProjectStatus.FILED,
        ProjectStatus.APPROVED,
        ProjectStatus.PASSED,
    }
    assert set(Diagnosis.objects.values_list("status", flat=True)) >= {DiagnosisStatus.ACCEPTED}
    assert set(Disbursement.objects.values_list("status", flat=True)) >= {DisbursementStatus.PAID}
    kinds = set(scale.Recognition.objects.values_list("kind", flat=True))
    assert kinds == set(RecognitionKind.values)


def test_credit_codes_are_valid_and_dates_never_after_the_as_of_date(programme):
    assert all(credit_code.is_valid(code) for code in Enterprise.objects.values_list("credit_code", flat=True))
    latest = [
        Assessment.objects.aggregate(d=Max("evaluated_on"))["d"],
        DiagnosisTransition.objects.aggregate(d=Max("date"))["d"],
        ProjectTransition.objects.aggregate(d=Max("date"))["d"],
        Acceptance.objects.aggregate(d=Max("accepted_on"))["d"],
        Disbursement.objects.aggregate(d=Max("requested_on"))["d"],
        Disbursement.objects.aggregate(d=Max("paid_on"))["d"],
        scale.Recognition.objects.aggregate(d=Max("recognised_on"))["d"],
    ]
    assert max(d for d in latest if d) <= AS_OF
    # Nothing happens to a withdrawn enterprise after its withdrawal.
    for enterprise in Enterprise.objects.filter(status=Status.WITHDRAWN):
        assert not Assessment.objects.filter(enterprise=enterprise, evaluated_on__gt=enterprise.withdrawn_on).exists()
        assert not Acceptance.objects.filter(
            project__enterprise=enterprise, accepted_on__gt=enterprise.withdrawn_on
        ).exists()


def test_projects_follow_their_workflow(programme):
    for project in Project.objects.select_related("diagnosis"):
        # Filed on an accepted, current diagnosis report, after it was accepted.
        assert project.diagnosis.status == DiagnosisStatus.ACCEPTED and project.diagnosis.is_current
        assert project.diagnosis.accepted_on <= project.filed_on
        inspections = list(project.acceptances.order_by("attempt"))
        assert project.acceptance_attempts == len(inspections)
        if project.status == ProjectStatus.PASSED:
            assert inspections[-1].passed and inspections[-1].accepted_on == project.accepted_on
            assert inspections[-1].post_assessment.stage == Stage.POST
            assert project.approved_on <= project.acceptance_requested_on <= project.accepted_on
        elif project.status == ProjectStatus.FAILED:
            assert not inspections[-1].passed and inspections[-1].findings
        else:
            assert not any(i.passed for i in inspections)
        transitions = list(project.transitions.order_by("date", "pk").values_list("to_status", flat=True))
        assert transitions[-1] == project.status
    assert Diagnosis.objects.filter(is_current=True).values("enterprise").distinct().count() == (
        Diagnosis.objects.filter(is_current=True).count()
    )


def test_money_respects_the_ledger(programme):
    for line in BudgetLine.objects.all():
        committed = CommitmentLine.objects.filter(
            budget_line=line, commitment__status=CommitmentStatus.ACTIVE
        ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        assert committed <= line.amount, line
    for line in CommitmentLine.objects.select_related("commitment__project"):
        claimed = Disbursement.objects.filter(commitment_line=line, status__in=CLAIMED).aggregate(s=Sum("amount"))[
            "s"
        ] or Decimal(0)
        assert Decimal(0) <= claimed <= line.amount
        assert line.commitment.project.status in (
            ProjectStatus.APPROVED,
            ProjectStatus.ACCEPTANCE_REQUESTED,
            ProjectStatus.PASSED,
            ProjectStatus.FAILED,
        )
    central = Disbursement.objects.filter(
        commitment_line__budget_line__source__kind=FundSourceKind.CENTRAL,
        commitment_line__budget_line__purpose=BudgetPurpose.SME_TRANSFORMATION,
        status__in=CLAIMED,
    ).select_related("commitment_line__commitment__project__enterprise")
    assert central.exists()
    for payment in central:
        project = payment.commitment_line.commitment.project
        # The gate: acceptance passed and the post-transformation level at 2 or higher.
        assert project.status == ProjectStatus.PASSED
        assert latest_post_level(project.enterprise) >= 2
        assert payment.requested_on >= project.accepted_on
    for reversal in Disbursement.objects.filter(reverses__isnull=False).select_related("reverses"):
        assert reversal.amount == -reversal.reverses.amount and reversal.reverses.status == DisbursementStatus.PAID


def test_enterprise_levels_follow_their_evaluations(programme):
    for enterprise in Enterprise.objects.all():
        assert (enterprise.baseline_level, enterprise.current_level) == enterprise_levels(enterprise=enterprise)
    # Scored by the engine: a stored level is the level of its stored result.
    for assessment in Assessment.objects.all()[:50]:
        assert assessment.result["level"] == assessment.level


def test_indicators_compute_with_non_zero_actuals(programme):
    from reports.selectors import indicators

    actuals = indicators.compute(start=indicators.PILOT_START, end=AS_OF, as_of=AS_OF)
    for number in ("1", "1+2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13"):
        assert actuals[number] > 0, number
    assert actuals["1+2"] == actuals["1"] + actuals["2"]
    assert actuals["R1"] > 0 and actuals["R3"] > 0
    by_unit = indicators.compute_by_unit(start=indicators.PILOT_START, end=AS_OF, as_of=AS_OF)
    assert sum(values["1+2"] for values in by_unit.values()) == actuals["1+2"]


def test_the_same_seed_gives_the_same_programme():
    def counts():
        sid = transaction.savepoint()
        result = scale.generate(enterprises=120, seed="same", as_of=AS_OF)
        result.pop("seconds")
        fingerprint = list(
            Enterprise.objects.order_by("credit_code").values_list("credit_code", "status", "unit__code", "tier")
        )
        transaction.savepoint_rollback(sid)
        return result, fingerprint

    first, second = counts(), counts()
    assert first == second
    assert not Enterprise.objects.exists()
    other = scale.generate(enterprises=120, seed="another", as_of=AS_OF)
    other.pop("seconds")
    assert other != first[0]


def test_refuses_a_database_that_has_enterprises_and_bad_sizes(programme):
    with pytest.raises(Conflict) as exc:
        scale.generate(enterprises=10, as_of=AS_OF)
    assert exc.value.code == "not_empty"
    with pytest.raises(DomainError) as exc:
        scale.Generator(enterprises=0)
    assert exc.value.code == "invalid_size"
    with pytest.raises(DomainError) as exc:
        scale.Generator(enterprises=5, as_of=datetime.date(2024, 11, 1))
    assert exc.value.code == "as_of_too_early"


def test_command_prints_rows_per_table_and_refuses_bad_input(capsys):
    with pytest.raises(CommandError, match="--enterprises N"):
        call_command("generate_scale")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_scale", "--enterprises", "5", "--as-of", "25/11/2026")
    call_command("generate_scale", "--enterprises", "30", "--as-of", AS_OF.isoformat())
    out = capsys.readouterr().out
    assert "Generated 30 enterprises" in out
    assert Enterprise.objects.count() == 30
    assert re.search(r"^\s+enterprises\s+30$", out, re.MULTILINE)
    assert re.search(r"^\s+projects\s+[1-9][0-9]*$", out, re.MULTILINE)
