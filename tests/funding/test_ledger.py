"""The money rules of the fund ledger, through the real services and PostgreSQL."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connections

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from diagnostics.choices import AssessmentStatus, Method, Stage
from diagnostics.models import Assessment, IndexEdition
from funding import balances
from funding.choices import BudgetPurpose, DisbursementStatus, ProjectStatus
from funding.models import CommitmentLine, Disbursement, FundSource, SubsidyPolicy
from funding.services import ledger
from tests.factories import EnterpriseFactory, ProviderFactory

D = Decimal
PAST = datetime.date(2025, 6, 1)


@pytest.fixture
def central(db):
    return FundSource.objects.get(code="central")


@pytest.fixture
def district_funds(db):
    return FundSource.objects.get(code="district")


@pytest.fixture
def finance(users):
    return users[Role.FINANCE_OFFICER]


@pytest.fixture
def official(users):
    return users[Role.DISTRICT_OFFICIAL]


def make_project(status=ProjectStatus.PASSED, spend=None):
    from funding.models import Project

    spend = D("1000000.00") if spend is None else spend
    enterprise = EnterpriseFactory()
    return Project.objects.create(
        enterprise=enterprise,
        provider=ProviderFactory(),
        contract_no="HT-2025-001",
        total_investment=spend,
        software_amount=spend * D("0.6"),
        other_amount=spend * D("0.4"),
        status=status,
        filed_on=PAST,
    )


def evaluate(enterprise, level, *, stage=Stage.POST, on=PAST, method=Method.ONSITE):
    return Assessment.objects.create(
        enterprise=enterprise,
        edition=IndexEdition.objects.get(code="2024"),
        stage=stage,
        method=method,
        status=AssessmentStatus.SUBMITTED,
        evaluated_on=on,
        level=level,
    )


def test_the_two_fund_sources_and_a_default_policy_come_with_every_database(central, district_funds):
    assert central.amount == D("100000000.00") and district_funds.amount == D("102000000.00")
    assert central.valid_from == datetime.date(2024, 10, 1) and central.valid_to == datetime.date(2026, 10, 31)
    policy = SubsidyPolicy.objects.get()
    assert policy.figures_are_defaults and policy.ratio == D("0.4")


def test_only_finance_sets_budgets_and_a_source_is_never_overallocated(central, finance, official):
    with pytest.raises(PermissionDenied):
        ledger.budget_line_set(actor=official, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="1")
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="80000000")
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PLATFORM, amount="20000000")
    with pytest.raises(Conflict) as excinfo:
        ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PURCHASED_SERVICES, amount="0.01")
    assert excinfo.value.code == "source_overallocated"


def test_a_purpose_belongs_to_its_source(district_funds, finance):
    with pytest.raises(DomainError) as excinfo:
        ledger.budget_line_set(
            actor=finance, source=district_funds, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="1"
        )
    assert excinfo.value.code == "purpose_not_of_source"


def test_the_capped_central_purposes_stay_within_twenty_percent_of_the_budget(central, finance):
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PLATFORM, amount="15000000")
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.CHAIN_TRANSFORMATION, amount="5000000")
    with pytest.raises(Conflict) as excinfo:
        ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PURCHASED_SERVICES, amount="0.01")
    assert excinfo.value.code == "central_cap_exceeded"
    # Lowering one capped line makes room for another.
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PLATFORM, amount="14000000")
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PURCHASED_SERVICES, amount="1000000")


def test_a_budget_cannot_drop_below_what_is_committed(central, finance, official):
    line = ledger.budget_line_set(
        actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="1000000"
    )
    ledger.commitment_create(actor=official, title="诊断补贴", lines=[(line, "600000")], committed_on=PAST)
    with pytest.raises(Conflict) as excinfo:
        ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="500000")
    assert excinfo.value.code == "budget_below_commitments"


def test_commitments_never_overdraw_a_line_and_may_split_between_sources(central, district_funds, finance, official):
    central_line = ledger.budget_line_set(
        actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="300000"
    )
    district_line = ledger.budget_line_set(
        actor=finance, source=district_funds, purpose=BudgetPurpose.BENCHMARK_DEMO, amount="100000"
    )
    project = make_project(status=ProjectStatus.APPROVED)
    commitment = ledger.commitment_create(
        actor=official,
        title="改造补贴",
        project=project,
        lines=[(central_line, "250000.00"), (district_line, "100000.00")],
        committed_on=PAST,
    )
    assert commitment.enterprise == project.enterprise
    assert balances.line_committed(central_line) == D("250000.00")
    with pytest.raises(Conflict) as excinfo:
        ledger.commitment_create(actor=official, title="再一笔", lines=[(central_line, "50000.01")])
    assert excinfo.value.code == "budget_line_overdrawn"
    ledger.commitment_create(actor=official, title="再一笔", lines=[(central_line, "50000.00")])
    assert balances.line_committed(central_line) == central_line.amount


def test_commitments_to_capped_purposes_stay_within_twenty_percent(central, finance, official):
    platform = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.PLATFORM, amount="20000000")
    ledger.commitment_create(actor=official, title="平台建设", lines=[(platform, "20000000")])
    # The line itself is full too, but the cap is checked on its own: a reduced grant would expose it.
    FundSource.objects.filter(pk=central.pk).update(amount=D("90000000.00"))
    platform.refresh_from_db()
    with pytest.raises(Conflict):
        ledger.commitment_create(actor=official, title="再一笔", lines=[(platform, "1")])


def test_only_district_officials_commit_and_finance_pays(central, finance, official, users):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="100")
    for role in (Role.FINANCE_OFFICER, Role.AUDITOR, Role.UNIT_STAFF, Role.PROVIDER_USER):
        with pytest.raises(PermissionDenied):
            ledger.commitment_create(actor=users[role], title="x", lines=[(line, "1")])
    commitment = ledger.commitment_create(actor=users[Role.ADMIN], title="x", lines=[(line, "10")])
    cl = commitment.lines.get()
    payment = ledger.disbursement_request(actor=official, commitment_line=cl, amount="5")
    with pytest.raises(PermissionDenied):
        ledger.disbursement_approve(actor=official, disbursement=payment)
    with pytest.raises(PermissionDenied):
        ledger.disbursement_approve(actor=users[Role.AUDITOR], disbursement=payment)
    ledger.disbursement_approve(actor=finance, disbursement=payment)


def test_disbursed_never_exceeds_committed_and_requests_claim_at_once(central, finance, finance2, official):
    line = ledger.budget_line_set(
        actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="1000"
    )
    cl = ledger.commitment_create(actor=official, title="诊断补贴", lines=[(line, "100")]).lines.get()
    first = ledger.disbursement_request(actor=official, commitment_line=cl, amount="60")
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_request(actor=official, commitment_line=cl, amount="40.01")
    assert excinfo.value.code == "over_commitment"
    ledger.disbursement_reject(actor=finance, disbursement=first, reason="金额有误")
    second = ledger.disbursement_request(actor=official, commitment_line=cl, amount="100")
    assert balances.commitment_line_claimed(cl) == D("100")
    ledger.disbursement_approve(actor=finance, disbursement=second)
    ledger.disbursement_pay(actor=finance2, disbursement=second, voucher_no="PZ-001")
    assert balances.commitment_line_paid(cl) == D("100")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc", "NaN", "Infinity"])
def test_bad_amounts_are_refused_with_a_message(central, finance, official, amount):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="10")
    cl = ledger.commitment_create(actor=official, title="x", lines=[(line, "10")]).lines.get()
    with pytest.raises(DomainError) as excinfo:
        ledger.disbursement_request(actor=official, commitment_line=cl, amount=amount)
    assert excinfo.value.code == "invalid_amount" and excinfo.value.field == "amount"


def test_dates_in_the_future_are_refused(central, finance, official):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="10")
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(DomainError) as excinfo:
        ledger.commitment_create(actor=official, title="x", lines=[(line, "10")], committed_on=tomorrow)
    assert excinfo.value.code == "date_in_future"


def test_a_reversal_is_a_negative_payment_that_frees_the_commitment(central, finance, finance2, official):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="500")
    cl = ledger.commitment_create(actor=official, title="x", lines=[(line, "300")]).lines.get()
    paid = ledger.disbursement_request(actor=official, commitment_line=cl, amount="200")
    ledger.disbursement_approve(actor=finance, disbursement=paid)
    ledger.disbursement_pay(actor=finance2, disbursement=paid, voucher_no="PZ-9", date=PAST)
    reversal = ledger.disbursement_reverse(actor=finance, disbursement=paid, reason="收款账户错误", date=PAST)
    assert reversal.amount == D("-200") and reversal.reverses == paid and reversal.status == DisbursementStatus.PAID
    paid.refresh_from_db()
    assert paid.status == DisbursementStatus.PAID and paid.amount == D("200")  # the original is never edited
    assert balances.commitment_line_paid(cl) == D("0") and balances.line_paid(line) == D("0")
    with pytest.raises(Conflict):
        ledger.disbursement_reverse(actor=finance, disbursement=paid, reason="again")
    with pytest.raises(Conflict):
        ledger.disbursement_reverse(actor=finance, disbursement=reversal, reason="reverse the reversal")
    # The freed 200 can be paid again, and the whole 300 at most.
    again = ledger.disbursement_request(actor=official, commitment_line=cl, amount="300")
    assert balances.commitment_line_claimed(cl) == D("300")
    with pytest.raises(Conflict):
        ledger.disbursement_request(actor=official, commitment_line=cl, amount="0.01")
    assert Disbursement.objects.filter(commitment_line=cl).count() == 3 and again.amount == D("300")


def test_a_released_commitment_frees_its_line_only_when_nothing_is_claimed(central, finance, official, official2):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="100")
    commitment = ledger.commitment_create(actor=official, title="x", lines=[(line, "100")])
    request = ledger.disbursement_request(actor=official, commitment_line=commitment.lines.get(), amount="1")
    with pytest.raises(Conflict):
        ledger.commitment_cancel(actor=official2, commitment=commitment, reason="项目终止")
    ledger.disbursement_reject(actor=finance, disbursement=request, reason="项目终止")
    ledger.commitment_cancel(actor=official2, commitment=commitment, reason="项目终止")
    assert balances.line_committed(line) == D("0")
    with pytest.raises(Conflict):
        ledger.disbursement_request(actor=official, commitment_line=commitment.lines.get(), amount="1")


class TestTheCentralTransformationGate:
    @pytest.fixture
    def setup(self, central, finance, official):
        line = ledger.budget_line_set(
            actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="1000000"
        )
        project = make_project(status=ProjectStatus.APPROVED)
        commitment = ledger.commitment_create(
            actor=official, title="改造补贴", project=project, lines=[(line, "200000")], committed_on=PAST
        )
        return project, commitment.lines.get()

    def test_no_payment_before_acceptance_passed(self, setup, official):
        project, cl = setup
        evaluate(project.enterprise, 3)
        with pytest.raises(Conflict) as excinfo:
            ledger.disbursement_request(actor=official, commitment_line=cl, amount="1000")
        assert excinfo.value.code == "acceptance_not_passed"

    @pytest.mark.parametrize(
        ("assessments", "allowed"),
        [
            ([], False),
            ([(Stage.POST, Method.ONSITE, 1)], False),
            ([(Stage.POST, Method.ONSITE, 2)], True),
            ([(Stage.POST, Method.SELF, 4)], False),  # a self-assessment never counts
            ([(Stage.BASELINE, Method.ONSITE, 3)], False),  # a baseline is not a post evaluation
            ([(Stage.POST, Method.ONSITE, 3), (Stage.POST, Method.ONSITE, 1)], False),  # the latest one counts
        ],
    )
    def test_payment_needs_an_onsite_post_level_of_two(self, setup, official, assessments, allowed):
        project, cl = setup
        project.status = ProjectStatus.PASSED
        project.save()
        for offset, (stage, method, level) in enumerate(assessments):
            evaluate(project.enterprise, level, stage=stage, method=method, on=PAST + datetime.timedelta(days=offset))
        if allowed:
            assert ledger.disbursement_request(actor=official, commitment_line=cl, amount="1000").pk
        else:
            with pytest.raises(Conflict) as excinfo:
                ledger.disbursement_request(actor=official, commitment_line=cl, amount="1000")
            assert excinfo.value.code == "post_level_below_2"

    def test_the_gate_is_checked_again_when_paying(self, setup, official, finance):
        project, cl = setup
        project.status = ProjectStatus.PASSED
        project.save()
        evaluate(project.enterprise, 2)
        payment = ledger.disbursement_request(actor=official, commitment_line=cl, amount="1000")
        ledger.disbursement_approve(actor=finance, disbursement=payment)
        project.status = ProjectStatus.FAILED  # a corrected acceptance
        project.save()
        with pytest.raises(Conflict):
            ledger.disbursement_pay(actor=finance, disbursement=payment, voucher_no="PZ-1")

    def test_the_district_funds_and_diagnosis_subsidies_are_not_gated(self, district_funds, central, finance, official):
        demo = ledger.budget_line_set(
            actor=finance, source=district_funds, purpose=BudgetPurpose.BENCHMARK_DEMO, amount="1000"
        )
        project = make_project(status=ProjectStatus.APPROVED)
        cl = ledger.commitment_create(actor=official, title="标杆", project=project, lines=[(demo, "100")]).lines.get()
        assert ledger.disbursement_request(actor=official, commitment_line=cl, amount="100").pk
        diagnosis = ledger.budget_line_set(
            actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="1000"
        )
        no_project = ledger.commitment_create(
            actor=official, title="诊断补贴", enterprise=project.enterprise, lines=[(diagnosis, "100")]
        ).lines.get()
        assert ledger.disbursement_request(actor=official, commitment_line=no_project, amount="100").pk


def test_the_policy_limits_a_project_subsidy_by_ratio_and_cap(central, finance, official):
    line = ledger.budget_line_set(
        actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="10000000"
    )
    policy = SubsidyPolicy.objects.get()  # 40%, at most 500,000 per enterprise
    small = make_project(status=ProjectStatus.APPROVED, spend=D("300000.00"))
    assert ledger.subsidy_for(small, policy) == D("120000.00")
    with pytest.raises(Conflict) as excinfo:
        ledger.commitment_create(actor=official, title="x", project=small, policy=policy, lines=[(line, "120000.01")])
    assert excinfo.value.code == "above_policy"
    big = make_project(status=ProjectStatus.APPROVED, spend=D("2000000.00"))
    assert ledger.subsidy_for(big, policy) == D("500000.00")
    ledger.commitment_create(actor=official, title="x", project=big, policy=policy, lines=[(line, "500000")])
    # A second project of the same enterprise has no room left under the cap.
    from funding.models import Project

    second = Project.objects.create(
        enterprise=big.enterprise,
        provider=big.provider,
        contract_no="HT-2",
        total_investment=D("100000"),
        software_amount=D("100000"),
        status=ProjectStatus.APPROVED,
        filed_on=PAST,
    )
    assert ledger.subsidy_for(second, policy) == D("0")


def test_a_filed_project_gets_no_commitment(central, finance, official):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="10")
    with pytest.raises(Conflict) as excinfo:
        ledger.commitment_create(
            actor=official, title="x", project=make_project(status=ProjectStatus.FILED), lines=[(line, "1")]
        )
    assert excinfo.value.code == "project_not_approved"


def test_the_ledger_figures_in_one_query(central, finance, finance2, official, django_assert_num_queries):
    line = ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="900")
    cl = ledger.commitment_create(actor=official, title="x", lines=[(line, "500")]).lines.get()
    paid = ledger.disbursement_request(actor=official, commitment_line=cl, amount="200")
    ledger.disbursement_approve(actor=finance, disbursement=paid)
    ledger.disbursement_pay(actor=finance2, disbursement=paid, voucher_no="1")
    ledger.disbursement_request(actor=official, commitment_line=cl, amount="50")
    with django_assert_num_queries(1):
        row = next(iter(balances.lines_with_figures()))
    assert (row.amount, row.committed, row.claimed, row.paid) == (D("900"), D("500"), D("250"), D("200"))


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_never_overdraw_a_nearly_empty_line(users):
    """Twenty requests of 100 yuan race for the last 750 yuan of a line: exactly seven succeed."""
    finance, official = users[Role.FINANCE_OFFICER], users[Role.DISTRICT_OFFICIAL]
    central = FundSource.objects.get(code="central")
    line = ledger.budget_line_set(
        actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="10750"
    )
    cl = ledger.commitment_create(actor=official, title="诊断补贴", lines=[(line, "10750")]).lines.get()
    ledger.disbursement_request(actor=official, commitment_line=cl, amount="10000")  # nearly empty now

    barrier = threading.Barrier(20)
    outcomes = []
    lock = threading.Lock()

    def request():
        try:
            barrier.wait()
            ledger.disbursement_request(actor=official, commitment_line=cl, amount="100")
            result = "ok"
        except Conflict as exc:
            result = exc.code
        except Exception as exc:
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(set(outcomes)) == ["ok", "over_commitment"], outcomes
    assert outcomes.count("ok") == 7
    assert balances.commitment_line_claimed(cl) == D("10700.00") <= CommitmentLine.objects.get(pk=cl.pk).amount
    assert balances.line_claimed(line) <= line.amount
