"""Financing support (金融清单): products, interest subsidies committed on the district's line in the same
transaction, the subsidy policy's figures; the service and the API."""

import datetime
from decimal import Decimal

import pytest

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from funding import balances
from funding.choices import BudgetPurpose
from funding.models import Commitment, FinancialProduct, FundSource, InterestSubsidy, SubsidyPolicy
from funding.services import financing, ledger
from tests.factories import EnterpriseFactory

D = Decimal


@pytest.fixture
def world(users, units, finance2):
    finance, district = users[Role.FINANCE_OFFICER], users[Role.DISTRICT_OFFICIAL]
    district_source = FundSource.objects.get(code="district")
    central = FundSource.objects.get(code="central")
    return {
        "district": district,
        "finance": finance,
        "finance2": finance2,
        "line": ledger.budget_line_set(
            actor=finance, source=district_source, purpose=BudgetPurpose.INTEREST_SUBSIDY, amount="50000"
        ),
        "other_line": ledger.budget_line_set(
            actor=finance, source=district_source, purpose=BudgetPurpose.PUBLICITY, amount="50000"
        ),
        "central_line": ledger.budget_line_set(
            actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="50000"
        ),
        "enterprise": EnterpriseFactory(unit=units["310117001"]),
        "elsewhere": EnterpriseFactory(unit=units["310117002"]),
        "product": FinancialProduct.objects.create(bank="上海农商银行", name="数字化转型贷", rate=D("3.45")),
    }


def grant(world, **kwargs):
    values = {
        "actor": world["district"],
        "enterprise": world["enterprise"],
        "financial_product": world["product"],
        "loan_amount": "2000000",
        "loan_on": datetime.date(2025, 3, 1),
        "amount": "30000",
        "granted_on": datetime.date(2025, 5, 1),
        "budget_line": world["line"],
    }
    values.update(kwargs)
    return financing.interest_subsidy_grant(**values)


def test_an_interest_subsidy_is_granted_and_committed_on_the_interest_line(world):
    subsidy = grant(world, note="贴息 1.5 个百分点")
    commitment = Commitment.objects.get(interest_subsidy=subsidy)
    assert commitment.enterprise == world["enterprise"] and commitment.committed_on == datetime.date(2025, 5, 1)
    assert commitment.created_by == world["district"] and commitment.status == "active"
    line = commitment.lines.get()
    assert line.budget_line == world["line"] and line.amount == D("30000.00")
    assert balances.line_committed(world["line"]) == D("30000.00")
    assert subsidy.history.first().history_user == world["district"]
    # It is paid like any commitment.
    payment = ledger.disbursement_request(actor=world["district"], commitment_line=line, amount="30000")
    ledger.disbursement_approve(actor=world["finance"], disbursement=payment)
    ledger.disbursement_pay(actor=world["finance2"], disbursement=payment, voucher_no="TX-1")
    assert balances.line_paid(world["line"]) == D("30000.00")


def test_a_refused_commitment_leaves_no_subsidy_behind(world):
    grant(world, amount="40000")
    with pytest.raises(Conflict) as excinfo:
        grant(world, amount="10000.01", enterprise=world["elsewhere"])  # the line has 10,000 left
    assert excinfo.value.code == "budget_line_overdrawn"
    assert InterestSubsidy.objects.count() == 1 and Commitment.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"amount": "0"}, "invalid_amount"),
        ({"amount": "abc"}, "invalid_amount"),
        ({"amount": "2000001"}, "above_loan"),
        ({"loan_amount": "0"}, "invalid_amount"),
        ({"granted_on": datetime.date.today() + datetime.timedelta(days=2)}, "date_in_future"),
        ({"loan_on": "2025-13-01"}, "invalid_date"),
        ({"budget_line": None}, "budget_line_required"),
    ],
)
def test_bad_grants_are_refused_with_a_reason(world, kwargs, code):
    with pytest.raises(DomainError) as excinfo:
        grant(world, **kwargs)
    assert excinfo.value.code == code
    assert not InterestSubsidy.objects.exists()


def test_only_the_interest_subsidy_line_of_the_district_pays_it(world):
    for line in (world["other_line"], world["central_line"]):
        with pytest.raises(DomainError) as excinfo:
            grant(world, budget_line=line)
        assert excinfo.value.code == "wrong_budget_line"


def test_only_the_district_grants_and_keeps_the_list(world, users):
    for role in (Role.FINANCE_OFFICER, Role.UNIT_STAFF, Role.AUDITOR, Role.PROVIDER_USER, Role.EVALUATOR):
        with pytest.raises(PermissionDenied):
            grant(world, actor=users[role])
        with pytest.raises(PermissionDenied):
            financing.financial_product_create(actor=users[role], bank="b", name="n")
    product = financing.financial_product_create(
        actor=users[Role.ADMIN], bank=" 交通银行 ", name="技改贷", rate="3.3", limit="30000000", term_months=60
    )
    assert product.bank == "交通银行" and product.rate == D("3.300")
    with pytest.raises(DomainError) as excinfo:
        financing.financial_product_update(actor=world["district"], product=product, rate="120")
    assert excinfo.value.code == "invalid_rate"
    financing.financial_product_update(actor=world["district"], product=product, is_active=False)
    product.refresh_from_db()
    assert not product.is_active


def test_the_subsidy_policy_is_changed_by_finance_or_the_district_with_checked_tranches(world, users):
    policy = SubsidyPolicy.objects.get()
    with pytest.raises(PermissionDenied):
        financing.subsidy_policy_update(actor=users[Role.AUDITOR], policy=policy, ratio="0.3")
    with pytest.raises(DomainError) as excinfo:
        financing.subsidy_policy_update(
            actor=world["finance"], policy=policy, tranches=[{"share": "0.5"}, {"share": "0.3"}]
        )
    assert excinfo.value.code == "invalid_tranches"
    with pytest.raises(DomainError) as excinfo:
        financing.subsidy_policy_update(actor=world["finance"], policy=policy, ratio="1.2")
    assert excinfo.value.code == "invalid_ratio"
    financing.subsidy_policy_update(
        actor=world["district"],
        policy=policy,
        ratio="0.35",
        cap_per_enterprise="400000",
        tranches=[{"share": "0.5", "label": "验收"}, {"share": "0.5", "label": "评定"}],
        figures_are_defaults=False,
    )
    policy.refresh_from_db()
    assert policy.ratio == D("0.3500") and not policy.figures_are_defaults
    assert policy.history.first().history_user == world["district"]


# --- the API ----------------------------------------------------------------------------------


def test_the_api_lists_products_to_everyone_and_takes_new_ones_from_the_district(api, users, world):
    for role in Role:
        response = api.as_user(users[role]).get("/api/v1/financial-products/")
        assert response.status_code == 200 and response.json()["count"] == 1, role
    assert (
        api.as_user(users[Role.FINANCE_OFFICER])
        .post("/api/v1/financial-products/", {"bank": "x", "name": "y"}, format="json")
        .status_code
        == 403
    )
    district = api.as_user(world["district"])
    response = district.post(
        "/api/v1/financial-products/",
        {"bank": "上海银行", "name": "科创e贷", "rate": "3.6", "limit": "5000000.00", "term_months": 12},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["limit"] == "5000000.00" and body["id"]
    response = district.patch(f"/api/v1/financial-products/{body['id']}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = district.post("/api/v1/financial-products/", {"bank": "", "name": "y"}, format="json")
    assert response.status_code == 400 and "bank" in response.json()


def test_the_api_grants_interest_subsidies_with_their_commitment_and_scopes_the_list(api, users, world):
    district = api.as_user(world["district"])
    payload = {
        "enterprise": world["enterprise"].pk,
        "financial_product": world["product"].pk,
        "loan_amount": "1000000.00",
        "loan_on": "2025-03-01",
        "amount": "15000.00",
        "granted_on": "2025-05-01",
    }
    response = district.post("/api/v1/interest-subsidies/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    commitment = Commitment.objects.get(pk=body["commitment"])
    assert commitment.lines.get().budget_line == world["line"] and body["amount"] == "15000.00"
    response = district.post(
        "/api/v1/interest-subsidies/", {**payload, "enterprise": world["elsewhere"].pk, "amount": "99999.00"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 409 and response.json()["code"] == "budget_line_overdrawn"
    response = district.post(
        "/api/v1/interest-subsidies/", {**payload, "budget_line": world["other_line"].pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "wrong_budget_line"
    response = district.post("/api/v1/interest-subsidies/", {**payload, "granted_on": "2099-01-01"}, format="json")
    assert response.status_code == 400
    assert api.as_user(world["finance"]).post("/api/v1/interest-subsidies/", payload, format="json").status_code == 403
    assert api.as_user(users[Role.UNIT_STAFF]).get("/api/v1/interest-subsidies/").json()["count"] == 1
    assert api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/interest-subsidies/").json()["count"] == 0
    assert api.as_user(users[Role.AUDITOR]).get(f"/api/v1/interest-subsidies/{body['id']}/").status_code == 200
    assert api.as_user(users[Role.PROVIDER_USER]).get(f"/api/v1/interest-subsidies/{body['id']}/").status_code == 404
    assert InterestSubsidy.objects.count() == 1


def test_the_api_refuses_anonymous_callers(client, db):
    assert client.get("/api/v1/financial-products/").status_code in (401, 403)
    assert client.get("/api/v1/interest-subsidies/").status_code in (401, 403)
