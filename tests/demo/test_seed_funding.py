"""The funding demo: projects in every state across 2025 and 2026, a ledger whose figures add up and keep
every money rule, recognitions of every kind, the financing list; run twice, it adds nothing."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from core.roles import Role
from demo.seed.funding import seed_funding
from diagnostics.choices import DiagnosisStatus
from diagnostics.models import Diagnosis, IndexEdition
from funding import balances
from funding.choices import CENTRAL_CAPPED_PURPOSES, BudgetPurpose, DisbursementStatus, ProjectStatus, RecognitionKind
from funding.models import (
    AcceptanceCorrection,
    BudgetLine,
    Commitment,
    CommitmentLine,
    Disbursement,
    FinancialProduct,
    FundSource,
    InterestSubsidy,
    Project,
    Recognition,
)
from funding.services.ledger import latest_post_level
from providers.models import EvaluatorAssignment, ProviderAssignment
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

D = Decimal


@pytest.fixture
def programme(users, make_user, units, finance2):
    """What seed_demo has made before the funding demo runs: enterprises served by providers and
    evaluation bodies (with their users) and accepted diagnosis reports."""
    providers = [ProviderFactory() for _ in range(3)]
    bodies = [EvaluationBodyFactory() for _ in range(2)]
    for p in providers:
        make_user(Role.PROVIDER_USER, provider=p)
    for b in bodies:
        make_user(Role.EVALUATOR, evaluation_body=b)
    edition = IndexEdition.objects.get(code="2024")
    unit_list = list(units.values())
    for i in range(36):
        enterprise = EnterpriseFactory(unit=unit_list[i % len(unit_list)])
        provider, body = providers[i % 3], bodies[i % 2]
        ProviderAssignment.objects.create(enterprise=enterprise, provider=provider, assigned_on="2024-10-15")
        EvaluatorAssignment.objects.create(enterprise=enterprise, evaluation_body=body, assigned_on="2024-10-15")
        Diagnosis.objects.create(
            enterprise=enterprise,
            provider=provider,
            edition=edition,
            status=DiagnosisStatus.ACCEPTED,
            is_current=True,
            target_level=2,
            accepted_on=datetime.date(2025, 1, 10) + datetime.timedelta(days=7 * i),
        )
    return {"district": users[Role.DISTRICT_OFFICIAL], "finance": users[Role.FINANCE_OFFICER], "cashier": finance2}


def test_the_demo_ledger_adds_up_and_keeps_every_money_rule(programme):
    seed_funding(**programme)
    # Four eyes: no payment was requested and approved, or approved and paid, by one person.
    for d in Disbursement.objects.filter(reverses__isnull=True):
        assert d.approved_by_id is None or d.approved_by_id != d.requested_by_id
        assert d.paid_by_id is None or d.paid_by_id != d.approved_by_id
        if hasattr(d, "reversed_by"):
            assert d.reversed_by.paid_by_id != d.paid_by_id
    today = datetime.date.today()

    # Projects in every state, filed in 2025 and in 2026, no date in the future.
    projects = list(Project.objects.all())
    assert {p.status for p in projects} == set(ProjectStatus.values)
    assert {p.filed_on.year for p in projects} == {2025, 2026}
    assert all(t.date <= today for p in projects for t in p.transitions.all())
    assert AcceptanceCorrection.objects.exists()
    assert Project.objects.filter(status=ProjectStatus.PASSED, acceptance_attempts=2).exists()  # failed, then passed

    # Budget lines for both sources that add up to each source.
    for source in FundSource.objects.all():
        lines = balances.lines_with_figures(BudgetLine.objects.filter(source=source))
        assert sum(line.amount for line in lines) == source.amount
        for line in lines:
            assert line.committed <= line.amount, line  # no line overdrawn
            assert line.paid <= line.claimed <= line.committed, line
    central = FundSource.objects.get(code="central")
    capped = BudgetLine.objects.filter(source=central, purpose__in=CENTRAL_CAPPED_PURPOSES)
    assert sum(line.amount for line in capped) <= central.amount * D("0.2")
    sme = BudgetLine.objects.get(source=central, purpose=BudgetPurpose.SME_TRANSFORMATION)
    assert sme.amount >= central.amount * D("0.8")

    # Nothing paid beyond its commitment; paid ≤ committed per commitment line.
    for cl in CommitmentLine.objects.all():
        assert balances.commitment_line_paid(cl) <= balances.commitment_line_claimed(cl) <= cl.amount

    # Payments in every state, a reversal, and the gate: central transformation subsidies paid only for
    # passed projects whose enterprise's latest on-site post level is 2 or more.
    statuses = Counter(Disbursement.objects.filter(reverses=None).values_list("status", flat=True))
    assert set(statuses) == set(DisbursementStatus.values)
    assert Disbursement.objects.filter(reverses__isnull=False).count() == 1
    paid_central = Disbursement.objects.filter(
        status=DisbursementStatus.PAID,
        reverses=None,
        commitment_line__budget_line__purpose=BudgetPurpose.SME_TRANSFORMATION,
        commitment_line__commitment__project__isnull=False,
    ).select_related("commitment_line__commitment__project__enterprise")
    assert paid_central.exists()
    for d in paid_central:
        project = d.commitment_line.commitment.project
        assert project.status == ProjectStatus.PASSED and latest_post_level(project.enterprise) >= 2
    # A passed project whose post level is below 2 has its subsidy committed and nothing paid.
    held = [
        c
        for c in Commitment.objects.filter(project__status=ProjectStatus.PASSED)
        if (latest_post_level(c.project.enterprise) or 0) < 2
    ]
    assert held and all(not Disbursement.objects.filter(commitment_line__commitment=c).exists() for c in held)
    # Commitments split between the two sources.
    assert any(c.lines.count() == 2 for c in Commitment.objects.filter(project__isnull=False))

    # Recognitions of every kind, chain models with members and the 工赋链主 flag, one platform.
    kinds = Counter(Recognition.objects.values_list("kind", flat=True))
    assert set(kinds) == set(RecognitionKind.values)
    assert kinds[RecognitionKind.PLATFORM] == 1 and 0 < kinds[RecognitionKind.CHAIN_MODEL] < 12
    assert 0 < kinds[RecognitionKind.DIGITAL_WORKSHOP] + kinds[RecognitionKind.SMART_FACTORY] < 40
    chain = Recognition.objects.filter(kind=RecognitionKind.CHAIN_MODEL, gongfu_lianzhu=True).first()
    assert chain is not None and chain.members.count() >= 3 and chain.platform_name
    assert all(r.recognised_on <= today for r in Recognition.objects.all())

    # The financing list: products, interest subsidies committed on the interest line, some paid.
    assert FinancialProduct.objects.count() >= 4
    subsidies = InterestSubsidy.objects.all()
    assert subsidies.exists()
    for subsidy in subsidies:
        assert subsidy.commitments.get().lines.get().budget_line.purpose == BudgetPurpose.INTEREST_SUBSIDY

    # Run again: nothing is added.
    counts = (Project.objects.count(), Commitment.objects.count(), Disbursement.objects.count())
    seed_funding(**programme)
    assert (Project.objects.count(), Commitment.objects.count(), Disbursement.objects.count()) == counts
