"""POST /api/v1/providers/, PATCH (key provider), POST /api/v1/evaluators/: the contract and who may call it."""

import pytest

from core.roles import Role
from providers.models import EvaluationBody, Provider

VALID = "91350100M000100Y43"


def test_district_official_registers_a_provider(api, users):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        "/api/v1/providers/",
        {"credit_code": " 9135-0100m000100y43 ", "name": "上海松数科技有限公司", "type": "comprehensive"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_code"] == VALID and body["type"] == "comprehensive" and isinstance(body["id"], int)
    assert Provider.objects.get(pk=body["id"]).history.latest().history_user == users[Role.DISTRICT_OFFICIAL]


def test_full_width_codes_are_normalised(api, users):
    response = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/providers/",
        {"credit_code": "９１３５０２００７７６０４９６５３Ａ", "name": "甲", "type": "specialised"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["credit_code"] == "91350200776049653A"


def test_patch_designates_a_key_provider(api, users):
    provider = users[Role.PROVIDER_USER].provider
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).patch(
        f"/api/v1/providers/{provider.pk}/", {"key_provider_since": "2025-04-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["key_provider_since"] == "2025-04-01"


def test_a_future_designation_date_is_refused(api, users):
    provider = users[Role.PROVIDER_USER].provider
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).patch(
        f"/api/v1/providers/{provider.pk}/", {"key_provider_since": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "key_provider_since"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M0001TGQXM", "invalid_credit_code"),
        ("9135010", "invalid_credit_code"),
        ("91350100M000100Y4I", "invalid_credit_code"),
    ],
)
def test_invalid_credit_codes_are_refused_with_a_reason(api, users, code, expected):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        "/api/v1/providers/",
        {"credit_code": code, "name": "乙", "type": "comprehensive"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["code"] == expected
    assert response.json()["message"]


def test_a_duplicate_credit_code_is_a_conflict(api, users):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    payload = {"credit_code": VALID, "name": "丙", "type": "comprehensive"}
    assert client.post("/api/v1/providers/", payload, format="json").status_code == 201
    assert client.post("/api/v1/providers/", payload, format="json").status_code == 409


def test_missing_fields_give_a_field_map(api, users):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post("/api/v1/providers/", {"name": "丁"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"credit_code", "type"}


def test_district_registers_an_evaluation_body(api, users):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        "/api/v1/evaluators/", {"credit_code": "913502000728319549", "name": "上海评测中心"}, format="json"
    )
    assert response.status_code == 201
    assert EvaluationBody.objects.filter(credit_code="913502000728319549").exists()


@pytest.mark.parametrize(
    "role", [Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER]
)
def test_other_roles_cannot_change_the_registries(api, users, role):
    client = api.as_user(users[role])
    assert (
        client.post(
            "/api/v1/providers/", {"credit_code": VALID, "name": "戊", "type": "comprehensive"}, format="json"
        ).status_code
        == 403
    )
    assert client.post("/api/v1/evaluators/", {"credit_code": VALID, "name": "己"}, format="json").status_code == 403
    own = users[Role.PROVIDER_USER].provider
    patch = client.patch(f"/api/v1/providers/{own.pk}/", {"key_provider_since": "2025-01-01"}, format="json")
    assert patch.status_code in (403, 404)
    assert not Provider.objects.filter(credit_code=VALID).exists()


def test_anonymous_callers_are_refused(api, db):
    assert api.get("/api/v1/providers/").status_code == 401
    assert api.post("/api/v1/evaluators/", {}, format="json").status_code == 401


def test_lists_are_paginated_with_page_size_up_to_500(api, users):
    response = api.as_user(users[Role.AUDITOR]).get("/api/v1/providers/?page_size=1000")
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == Provider.objects.count()


def test_the_schema_and_its_browsable_page_are_served_offline(client, users):
    client.force_login(users[Role.AUDITOR])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    content = schema.content.decode()
    for path in (
        "/api/v1/providers/",
        "/api/v1/evaluators/",
        "/api/v1/users/",
        "/api/v1/units/",
        "/api/v1/auth/token/",
    ):
        assert path in content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
