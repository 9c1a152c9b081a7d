"""Fixtures of the report tests: small programme states built by hand (``make`` for the indicator and
snapshot tests, ``dash`` for the dashboards, ``near_miss_world`` for the near misses and the drill-down),
and, for the document tests, one transformed enterprise (``world``) and tasks run in-process (``eager``)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import attachment_create
from core.roles import Role
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from enterprises.choices import Scale, Sector, Size, Status, Tier
from funding.choices import BudgetPurpose, DisbursementStatus, ProjectAction, ProjectStatus, RecognitionKind
from funding.models import (
    Acceptance,
    BudgetLine,
    Commitment,
    CommitmentLine,
    Disbursement,
    FundSource,
    Project,
    ProjectTransition,
    Recognition,
)
from tests.factories import EnterpriseFactory, ProviderFactory

from .helpers import ProgrammeBuilder

D = datetime.date


@pytest.fixture
def u1(units):
    return units["310117001"]


@pytest.fixture
def u2(units):
    return units["310117002"]


@pytest.fixture
def provider(db):
    return ProviderFactory()


@pytest.fixture
def make(units, provider):
    """Builders of one small world in 岳阳街道 (``u1``): enterprises with an accepted diagnosis and a passed
    acceptance, evaluations, recognitions; ``provider`` serves them all."""
    return ProgrammeBuilder(
        units,
        unit="310117001",
        provider=provider,
        diagnosed_on=D(2024, 9, 1),
        filed_on=D(2024, 6, 1),
        size=Size.SMALL,
        sector=Sector.AUTO_PARTS,
    )


@pytest.fixture
def dash(units):
    """Builds enterprises (of 车墩镇 unless told), acceptances, evaluations and money for the dashboard tests."""
    return ProgrammeBuilder(
        units,
        unit="310117104",
        diagnosed_on=D(2024, 12, 1),
        filed_on=D(2024, 12, 1),
        size=Size.SMALL,
        scale=Scale.ABOVE,
        sector=Sector.AUTO_PARTS,
        status=Status.ACTIVE,
    )


@pytest.fixture
def near_miss_world(units):
    """Builds one small programme state in 岳阳街道 for the near-miss and drill-down tests."""
    return ProgrammeBuilder(
        units,
        unit="310117001",
        diagnosed_on=D(2024, 9, 1),
        filed_on=D(2024, 6, 1),
        size=Size.SMALL,
        scale=Scale.ABOVE,
        sector=Sector.AUTO_PARTS,
        status=Status.ACTIVE,
    )


# --- documents ----------------------------------------------------------------------------------


@pytest.fixture
def eager(django_capture_on_commit_callbacks):
    """The task runs in-process when the request's transaction commits (as with no broker)."""
    from songjiang_pilot.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    try:
        yield post
    finally:
        app.conf.task_always_eager = before


@pytest.fixture
def world(db, units, users):
    """One transformed enterprise of 岳阳街道 with its diagnosis, evaluation, project, acceptance,
    subsidy paid in one tranche, a recognition and an evidence file."""
    official = users[Role.DISTRICT_OFFICIAL]
    edition = IndexEdition.objects.get(is_current=True)
    provider = ProviderFactory(name="松江智造科技有限公司")
    enterprise = EnterpriseFactory(
        name="沪松精密机械有限公司",
        unit=units["310117001"],
        sector=Sector.AUTO_PARTS,
        scale=Scale.ABOVE,
        size=Size.SMALL,
        tier=Tier.SRDI,
        cloud_verified_on=D(2025, 3, 1),
    )
    diagnosis = Diagnosis.objects.create(
        edition=edition,
        enterprise=enterprise,
        provider=provider,
        status=DiagnosisStatus.ACCEPTED,
        is_current=True,
        accepted_on=D(2025, 1, 5),
        level=1,
        target_level=3,
        target_scenes=["product_design"],
        pain_points={"product_design": "图纸版本靠人工管理"},
    )
    evaluation = Assessment.objects.create(
        edition=edition,
        enterprise=enterprise,
        stage=Stage.POST,
        method=Method.ONSITE,
        status=AssessmentStatus.SUBMITTED,
        evaluated_on=D(2025, 5, 18),
        level=3,
    )
    project = Project.objects.create(
        enterprise=enterprise,
        provider=provider,
        diagnosis=diagnosis,
        title="柔性产线数字化改造",
        contract_no="HT-2025-007",
        total_investment=Decimal("800000.00"),
        software_amount=Decimal("500000.00"),
        other_amount=Decimal("300000.00"),
        status=ProjectStatus.PASSED,
        filed_on=D(2025, 1, 10),
        approved_on=D(2025, 1, 20),
        acceptance_requested_on=D(2025, 5, 1),
        accepted_on=D(2025, 5, 20),
        acceptance_attempts=1,
    )
    for action, before, after, on in (
        (ProjectAction.FILE, "", ProjectStatus.FILED, D(2025, 1, 10)),
        (ProjectAction.APPROVE, ProjectStatus.FILED, ProjectStatus.APPROVED, D(2025, 1, 20)),
        (ProjectAction.PASS, ProjectStatus.ACCEPTANCE_REQUESTED, ProjectStatus.PASSED, D(2025, 5, 20)),
    ):
        ProjectTransition.objects.create(
            project=project, action=action, from_status=before, to_status=after, date=on, actor=official
        )
    Acceptance.objects.create(
        project=project,
        attempt=1,
        accepted_on=D(2025, 5, 20),
        passed=True,
        findings="资料齐全",
        post_assessment=evaluation,
    )
    line = BudgetLine.objects.create(
        source=FundSource.objects.get(code="central"),
        purpose=BudgetPurpose.SME_TRANSFORMATION,
        name="中小企业改造补贴",
        amount=Decimal("80000000.00"),
    )
    commitment = Commitment.objects.create(
        title="改造补贴 HT-2025-007", enterprise=enterprise, project=project, committed_on=D(2025, 6, 1)
    )
    commitment_line = CommitmentLine.objects.create(
        commitment=commitment, budget_line=line, amount=Decimal("320000.00")
    )
    Disbursement.objects.create(
        commitment_line=commitment_line,
        amount=Decimal("120000.00"),
        tranche=1,
        status=DisbursementStatus.PAID,
        requested_on=D(2025, 6, 10),
        approved_on=D(2025, 6, 12),
        paid_on=D(2025, 6, 15),
        voucher_no="PZ-0001",
    )
    recognition = Recognition.objects.create(
        kind=RecognitionKind.SMART_FACTORY,
        level="district",
        recognised_on=D(2025, 8, 1),
        title="区级智能工厂（沪松）",
        enterprise=enterprise,
    )
    attachment_create(
        actor=official,
        owner=project,
        upload=SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 acceptance report", content_type="application/pdf"),
        purpose="acceptance_report",
    )
    return {
        "enterprise": enterprise,
        "provider": provider,
        "project": project,
        "diagnosis": diagnosis,
        "evaluation": evaluation,
        "recognition": recognition,
        "line": line,
    }
