"""Helpers of the funding tests: a small programme (``build_world``, the ``world`` fixture of
tests/funding/conftest.py), accepted diagnoses, post evaluations and a project filing form.

Two providers (A serves E1 in 岳阳街道, the unit staff fixture's unit; B serves E2 in 永丰街道), two
evaluation bodies (X for E1, Y for E2), accepted diagnoses, budget lines for both sources, and projects:
``filed`` (E1), ``requested`` (E1, acceptance requested), ``passed`` (E2, passed, with a post level 3,
a subsidy committed and a payment requested).
"""

import datetime
from decimal import Decimal

from core.roles import Role
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from funding.choices import BudgetPurpose
from funding.models import FundSource, SubsidyPolicy
from funding.services import ledger, projects
from providers.models import EvaluatorAssignment, ProviderAssignment
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

D = Decimal
PAST = datetime.date(2025, 4, 1)


def assign(enterprise, provider, body, on=PAST):
    """``provider`` serves ``enterprise`` and ``body`` evaluates it, from ``on``."""
    ProviderAssignment.objects.create(enterprise=enterprise, provider=provider, assigned_on=on)
    EvaluatorAssignment.objects.create(enterprise=enterprise, evaluation_body=body, assigned_on=on)


def accepted_diagnosis(enterprise, provider, **fields):
    """The enterprise's current accepted diagnosis by ``provider`` (targets: level 2, production control)."""
    values = {"target_level": 2, "target_scenes": ["production_control"], "accepted_on": PAST, **fields}
    return Diagnosis.objects.create(
        enterprise=enterprise,
        provider=provider,
        edition=IndexEdition.objects.get(code="2024"),
        status=DiagnosisStatus.ACCEPTED,
        is_current=True,
        **values,
    )


def post_evaluation(enterprise, level, on=datetime.date(2025, 9, 1)):
    return Assessment.objects.create(
        enterprise=enterprise,
        edition=IndexEdition.objects.get(code="2024"),
        stage=Stage.POST,
        method=Method.ONSITE,
        status=AssessmentStatus.SUBMITTED,
        evaluated_on=on,
        level=level,
        score=D("65.5"),
    )


def build_world(users, make_user, units):
    provider_a, provider_b = ProviderFactory(), ProviderFactory()
    body_x, body_y = EvaluationBodyFactory(), EvaluationBodyFactory()
    e1 = EnterpriseFactory(unit=units["310117001"], name="上海岳阳甲精密制造有限公司")
    e2 = EnterpriseFactory(unit=units["310117002"], name="上海永丰乙汽车零部件有限公司")
    for enterprise, provider, body in ((e1, provider_a, body_x), (e2, provider_b, body_y)):
        assign(enterprise, provider, body)
        accepted_diagnosis(enterprise, provider)
    w = {
        "e1": e1,
        "e2": e2,
        "provider_a": provider_a,
        "provider_b": provider_b,
        "pa": make_user(Role.PROVIDER_USER, provider=provider_a, username="prov_a"),
        "pb": make_user(Role.PROVIDER_USER, provider=provider_b, username="prov_b"),
        "ex": make_user(Role.EVALUATOR, evaluation_body=body_x, username="eval_x"),
        "ey": make_user(Role.EVALUATOR, evaluation_body=body_y, username="eval_y"),
        "district": users[Role.DISTRICT_OFFICIAL],
        "finance": users[Role.FINANCE_OFFICER],
        # A second finance officer: a payment's approval and its payment are two people (four eyes).
        "finance2": make_user(Role.FINANCE_OFFICER, username="finance_b"),
        # A second district official: a commitment is released by someone other than who made it.
        "district2": make_user(Role.DISTRICT_OFFICIAL, username="district_b"),
        "central": FundSource.objects.get(code="central"),
        "district_source": FundSource.objects.get(code="district"),
        "policy": SubsidyPolicy.objects.get(),
    }
    finance = w["finance"]
    w["sme_line"] = ledger.budget_line_set(
        actor=finance, source=w["central"], purpose=BudgetPurpose.SME_TRANSFORMATION, amount="80000000"
    )
    w["platform_line"] = ledger.budget_line_set(
        actor=finance, source=w["central"], purpose=BudgetPurpose.PLATFORM, amount="10000000"
    )
    w["benchmark_line"] = ledger.budget_line_set(
        actor=finance, source=w["district_source"], purpose=BudgetPurpose.BENCHMARK_DEMO, amount="20000000"
    )
    w["interest_line"] = ledger.budget_line_set(
        actor=finance, source=w["district_source"], purpose=BudgetPurpose.INTEREST_SUBSIDY, amount="1000000"
    )
    district = w["district"]

    def file(actor, enterprise, provider, contract_no, **kwargs):
        return projects.project_file(
            actor=actor,
            enterprise=enterprise,
            provider=provider,
            contract_no=contract_no,
            total_investment=kwargs.pop("total_investment", "1000000.00"),
            software_amount=kwargs.pop("software_amount", "600000.00"),
            date=PAST,
            **kwargs,
        )

    w["filed"] = file(w["pa"], e1, provider_a, "HT-E1-001", title="岳阳甲 MES 项目")
    w["requested"] = file(w["pa"], e1, provider_a, "HT-E1-002", title="岳阳甲 WMS 项目")
    projects.project_approve(actor=district, project=w["requested"], date=PAST)
    projects.project_request_acceptance(actor=w["pa"], project=w["requested"], date=PAST)
    w["passed"] = file(w["pb"], e2, provider_b, "HT-E2-001", title="永丰乙质量追溯项目")
    projects.project_approve(actor=district, project=w["passed"], date=PAST)
    projects.project_request_acceptance(actor=w["pb"], project=w["passed"], date=PAST)
    w["post"] = post_evaluation(e2, 3)
    w["acceptance"] = projects.project_accept(
        actor=w["ey"],
        project=w["passed"],
        passed=True,
        accepted_on=datetime.date(2025, 9, 5),
        post_assessment=w["post"],
    )
    for key in ("filed", "requested", "passed"):
        w[key].refresh_from_db()
    w["commitment"] = ledger.commitment_create(
        actor=district,
        title="数字化改造补贴：永丰乙",
        lines=[(w["sme_line"], D("300000.00")), (w["benchmark_line"], D("100000.00"))],
        committed_on=datetime.date(2025, 9, 20),
        project=w["passed"],
        policy=w["policy"],
    )
    w["central_cl"] = w["commitment"].lines.get(budget_line=w["sme_line"])
    w["district_cl"] = w["commitment"].lines.get(budget_line=w["benchmark_line"])
    w["payment"] = ledger.disbursement_request(
        actor=district, commitment_line=w["central_cl"], amount="300000.00", requested_on=datetime.date(2025, 9, 25)
    )
    return w


#: A project filing form's fields but the enterprise and the provider.
FILING = {
    "contract_no": "HT-NEW-1",
    "total_investment": "800000",
    "software_amount": "500000",
    "cloud_amount": "",
    "equipment_amount": "",
    "other_amount": "",
    "scenes": ["production_control", "quality_management"],
    "date": "2025-05-06",
}
