"""The funding API: the contract's project flow with only the named fields, recognitions, the ledger."""

import datetime

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from funding.models import Project
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

from .helpers import assign

PAST = "2025-05-20"


@pytest.fixture
def world(users, make_user):
    provider = ProviderFactory()
    body = EvaluationBodyFactory()
    enterprise = EnterpriseFactory()
    assign(enterprise, provider, body, datetime.date(2025, 1, 2))
    Diagnosis.objects.create(
        enterprise=enterprise,
        provider=provider,
        edition=IndexEdition.objects.get(code="2024"),
        status=DiagnosisStatus.ACCEPTED,
        is_current=True,
    )
    return {
        "enterprise": enterprise,
        "provider": provider,
        "provider_user": make_user(Role.PROVIDER_USER, provider=provider),
        "evaluator": make_user(Role.EVALUATOR, evaluation_body=body),
        "stranger": make_user(Role.PROVIDER_USER, provider=ProviderFactory()),
    }


def test_the_contract_flow_from_filing_to_acceptance(api, users, world):
    provider_api = api.as_user(world["provider_user"])
    response = provider_api.post(
        "/api/v1/projects/",
        {
            "enterprise": world["enterprise"].pk,
            "provider": world["provider"].pk,
            "contract_no": "HT-001",
            "total_investment": "500000.00",
            "software_amount": "320000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    project = response.json()
    assert project["status"] == "filed" and project["total_investment"] == "500000.00" and project["id"]
    url = f"/api/v1/projects/{project['id']}"
    assert provider_api.post(f"{url}/approve/", {}, format="json").status_code == 403
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    assert district.post(f"{url}/approve/", {"date": "2025-06-01"}, format="json").json()["approved_on"] == "2025-06-01"
    assert district.post(f"{url}/approve/", {}, format="json").status_code == 409
    assert provider_api.post(f"{url}/request-acceptance/", {}, format="json").status_code == 200
    evaluator = api.as_user(world["evaluator"])
    failed = evaluator.post(
        f"{url}/acceptance/", {"passed": False, "accepted_on": "2025-09-01", "findings": "发票不全"}, format="json"
    )
    assert failed.status_code == 200 and failed.json()["status"] == "failed"
    assert provider_api.post(f"{url}/request-acceptance/", {"date": "2025-09-10"}, format="json").status_code == 200
    passed = evaluator.post(f"{url}/acceptance/", {"passed": True, "accepted_on": "2025-10-01"}, format="json")
    assert passed.json()["status"] == "passed" and passed.json()["accepted_on"] == "2025-10-01"
    again = evaluator.post(f"{url}/acceptance/", {"passed": True, "accepted_on": "2025-10-02"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_passed"
    steps = district.get(f"{url}/transitions/").json()
    assert [step["action"] for step in steps] == [
        "file",
        "approve",
        "request_acceptance",
        "fail",
        "request_acceptance",
        "pass",
    ]


def test_a_project_outside_scope_is_a_404_and_bad_input_a_400(api, users, world):
    project = Project.objects.create(
        enterprise=world["enterprise"],
        provider=world["provider"],
        contract_no="x",
        total_investment=1,
        filed_on=datetime.date(2025, 1, 5),
    )
    stranger = api.as_user(world["stranger"])
    assert stranger.get(f"/api/v1/projects/{project.pk}/").status_code == 404
    assert stranger.post(f"/api/v1/projects/{project.pk}/request-acceptance/", {}).status_code == 404
    assert api.as_user(users[Role.UNIT_STAFF]).get(f"/api/v1/projects/{project.pk}/").status_code in (200, 404)
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        f"/api/v1/projects/{project.pk}/approve/", {"date": future}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "date_in_future"
    response = api.as_user(world["provider_user"]).post(
        "/api/v1/projects/",
        {"enterprise": world["enterprise"].pk, "provider": world["provider"].pk, "contract_no": "y"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"total_investment", "software_amount"}
    assert APIClient().get("/api/v1/projects/").status_code in (401, 403)


def test_recognitions_as_in_the_contract(api, users, world):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = district.post(
        "/api/v1/recognitions/",
        {
            "kind": "smart_factory",
            "level": "municipal",
            "recognised_on": PAST,
            "title": "上海市智能工厂",
            "enterprise": world["enterprise"].pk,
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["id"]
    platform = district.post(
        "/api/v1/recognitions/",
        {"kind": "platform", "level": "district", "recognised_on": PAST, "title": "公共服务平台", "enterprise": None},
        format="json",
    )
    assert platform.status_code == 201
    assert api.as_user(users[Role.AUDITOR]).post("/api/v1/recognitions/", {}, format="json").status_code in (400, 403)
    forbidden = api.as_user(users[Role.AUDITOR]).post(
        "/api/v1/recognitions/",
        {"kind": "platform", "level": "district", "recognised_on": PAST, "title": "x"},
        format="json",
    )
    assert forbidden.status_code == 403
    assert district.get("/api/v1/recognitions/").json()["count"] == 2


def test_the_ledger_through_the_api(api, users, world, finance2):
    finance = api.as_user(users[Role.FINANCE_OFFICER])
    payer = api.as_user(finance2)
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    line = finance.post(
        "/api/v1/budget-lines/", {"source": "central", "purpose": "sme_transformation", "amount": "1000000.00"}
    )
    assert line.status_code == 201 and line.json()["available"] == "1000000.00"
    project = Project.objects.create(
        enterprise=world["enterprise"],
        provider=world["provider"],
        contract_no="x",
        total_investment=600000,
        software_amount=600000,
        status="passed",
        filed_on=datetime.date(2025, 1, 5),
    )
    commitment = district.post(
        "/api/v1/commitments/",
        {"title": "改造补贴", "project": project.pk, "lines": [{"budget_line": line.json()["id"], "amount": "200000"}]},
        format="json",
    )
    assert commitment.status_code == 201, commitment.json()
    commitment_line = commitment.json()["lines"][0]["id"]
    refused = district.post("/api/v1/disbursements/", {"commitment_line": commitment_line, "amount": "100000"})
    assert refused.status_code == 409 and refused.json()["code"] == "post_level_below_2"
    Assessment.objects.create(
        enterprise=world["enterprise"],
        edition=IndexEdition.objects.get(code="2024"),
        stage=Stage.POST,
        method=Method.ONSITE,
        status=AssessmentStatus.SUBMITTED,
        evaluated_on=datetime.date(2025, 10, 1),
        level=2,
    )
    payment = district.post("/api/v1/disbursements/", {"commitment_line": commitment_line, "amount": "100000"})
    assert payment.status_code == 201
    pid = payment.json()["id"]
    assert district.post(f"/api/v1/disbursements/{pid}/approve/", {}).status_code == 403
    assert finance.post(f"/api/v1/disbursements/{pid}/approve/", {}).json()["status"] == "approved"
    assert payer.post(f"/api/v1/disbursements/{pid}/pay/", {}).status_code == 400
    assert payer.post(f"/api/v1/disbursements/{pid}/pay/", {"voucher_no": "PZ-1"}).json()["status"] == "paid"
    reversal = finance.post(f"/api/v1/disbursements/{pid}/reverse/", {"reason": "账户错误"})
    assert reversal.status_code == 201 and reversal.json()["amount"] == "-100000.00"
    figures = finance.get(f"/api/v1/budget-lines/{line.json()['id']}/").json()
    assert (figures["committed"], figures["paid"], figures["available"]) == ("200000.00", "0.00", "800000.00")
    assert api.as_user(users[Role.UNIT_STAFF]).get("/api/v1/budget-lines/").json()["count"] == 0
    assert api.as_user(users[Role.AUDITOR]).get("/api/v1/budget-lines/").json()["count"] == 1
