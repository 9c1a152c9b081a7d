"""The enterprises API of docs/api.md: list, create, read, patch, confirm, withdraw — and who may."""

import pytest

from core.roles import Role
from enterprises.models import Enterprise, EnterpriseStatusChange
from providers.services import provider_assign
from tests.factories import EnterpriseFactory, make_credit_code

BAD_CHECK = "91350100M0001TGQXM"  # real-world code issued before the standard: fails its check character


def payload(**overrides):
    data = {
        "credit_code": make_credit_code(424242),
        "name": "上海岳阳测试精密机械有限公司",
        "unit": "310117001",
        "sector": "high_end_equipment",
        "scale": "above",
        "size": "small",
    }
    data.update(overrides)
    return data


@pytest.fixture
def registry(users, units):
    yueyang = EnterpriseFactory(unit=units["310117001"], name="上海岳阳一号公司")
    chedun = EnterpriseFactory(unit=units["310117104"], name="上海车墩二号公司")
    provider_assign(actor=users[Role.DISTRICT_OFFICIAL], enterprise=chedun, provider=users[Role.PROVIDER_USER].provider)
    return {"yueyang": yueyang, "chedun": chedun}


def test_unit_staff_create_a_proposed_enterprise_in_their_unit(api, users):
    response = api.as_user(users[Role.UNIT_STAFF]).post("/api/v1/enterprises/", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unit"] == "310117001" and body["status"] == "proposed" and body["tier"] == "none"
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert enterprise.history.latest().history_user == users[Role.UNIT_STAFF]
    assert enterprise.status_changes.get().kind == EnterpriseStatusChange.Kind.CREATED


def test_the_districts_additions_are_active_at_once(api, users):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        "/api/v1/enterprises/", payload(unit="310117104"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "active"


def test_unit_staff_creating_outside_their_unit_get_403(api, users):
    response = api.as_user(users[Role.UNIT_STAFF]).post(
        "/api/v1/enterprises/", payload(unit="310117104"), format="json"
    )
    assert response.status_code == 403
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("role", [Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_other_roles_cannot_create_enterprises(api, users, role):
    assert api.as_user(users[role]).post("/api/v1/enterprises/", payload(), format="json").status_code == 403


def test_codes_are_normalised_and_checked(api, users):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    messy = "９１３５０２００-７７６０ ４９６５３ａ"
    response = client.post("/api/v1/enterprises/", payload(credit_code=messy), format="json")
    assert response.status_code == 201
    assert response.json()["credit_code"] == "91350200776049653A"
    duplicate = client.post("/api/v1/enterprises/", payload(credit_code="91350200776049653A"), format="json")
    assert duplicate.status_code == 409
    bad = client.post(
        "/api/v1/enterprises/", payload(credit_code=BAD_CHECK), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "credit_code"
    assert "校验" in bad.json()["message"]


def test_a_district_official_accepts_a_code_failing_only_its_check_character(api, users):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = client.post(
        "/api/v1/enterprises/",
        payload(credit_code=BAD_CHECK, credit_code_override_reason="2015年前颁发的老代码，已核实营业执照"),
        format="json",
    )
    assert response.status_code == 201
    enterprise = Enterprise.objects.get(credit_code=BAD_CHECK)
    assert enterprise.credit_code_override_reason.startswith("2015")
    assert enterprise.status_changes.filter(kind="code_accepted").exists()


def test_unit_staff_cannot_override_a_failing_code(api, users):
    response = api.as_user(users[Role.UNIT_STAFF]).post(
        "/api/v1/enterprises/", payload(credit_code=BAD_CHECK, credit_code_override_reason="我说没问题"), format="json"
    )
    assert response.status_code == 403


def test_patch_with_override_reason_accepts_a_corrected_code(api, users, registry):
    enterprise = registry["yueyang"]
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"credit_code": BAD_CHECK, "credit_code_override_reason": "营业执照原件核对无误"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["credit_code"] == BAD_CHECK


def test_patch_records_cloud_adoption(api, users, registry):
    enterprise = registry["yueyang"]
    response = api.as_user(users[Role.UNIT_STAFF]).patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"cloud_verified_on": "2025-03-15"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["cloud_verified_on"] == "2025-03-15"
    future = api.as_user(users[Role.UNIT_STAFF]).patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"cloud_verified_on": "2999-01-01"}, format="json"
    )
    assert future.status_code == 400


def test_list_is_scoped_and_filtered(api, users, registry):
    unit_view = api.as_user(users[Role.UNIT_STAFF]).get("/api/v1/enterprises/").json()
    assert [r["name"] for r in unit_view["results"]] == ["上海岳阳一号公司"]
    provider_view = api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/enterprises/").json()
    assert [r["name"] for r in provider_view["results"]] == ["上海车墩二号公司"]
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    r = district.get("/api/v1/enterprises/?unit=310117104").json()
    assert r["count"] == 1
    assert district.get("/api/v1/enterprises/?search=一号").json()["count"] == 1
    assert district.get(f"/api/v1/enterprises/?search={registry['chedun'].credit_code.lower()}").json()["count"] == 1
    assert district.get("/api/v1/enterprises/?status=withdrawn").json()["count"] == 0
    assert district.get("/api/v1/enterprises/?sector=nonsense").status_code == 400


def test_an_enterprise_outside_scope_answers_404_like_a_missing_one(api, users, registry):
    client = api.as_user(users[Role.UNIT_STAFF])
    outside = client.get(f"/api/v1/enterprises/{registry['chedun'].pk}/")
    missing = client.get("/api/v1/enterprises/99999999/")
    assert outside.status_code == missing.status_code == 404
    assert (
        client.patch(f"/api/v1/enterprises/{registry['chedun'].pk}/", {"name": "x"}, format="json").status_code == 404
    )


def test_phone_numbers_are_masked_for_auditors(api, users, registry):
    enterprise = registry["yueyang"]
    full = api.as_user(users[Role.UNIT_STAFF]).get(f"/api/v1/enterprises/{enterprise.pk}/").json()["contact_phone"]
    masked = api.as_user(users[Role.AUDITOR]).get(f"/api/v1/enterprises/{enterprise.pk}/").json()["contact_phone"]
    assert full == enterprise.contact_phone and masked == full[:3] + "****" + full[-4:]


def test_confirm_moves_a_proposed_enterprise_into_the_pilot_list(api, users):
    created = api.as_user(users[Role.UNIT_STAFF]).post("/api/v1/enterprises/", payload(), format="json").json()
    assert (
        api.as_user(users[Role.UNIT_STAFF])
        .post(f"/api/v1/enterprises/{created['id']}/confirm/", {}, format="json")
        .status_code
        == 403
    )
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        f"/api/v1/enterprises/{created['id']}/confirm/", {"date": "2024-11-02"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "active"
    change = EnterpriseStatusChange.objects.get(enterprise_id=created["id"], kind="confirmed")
    assert str(change.happened_on) == "2024-11-02" and change.actor == users[Role.DISTRICT_OFFICIAL]
    again = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        f"/api/v1/enterprises/{created['id']}/confirm/", {}, format="json"
    )
    assert again.status_code == 409


def test_withdraw_with_a_replacement(api, users, registry, units):
    replacement = EnterpriseFactory(unit=units["310117001"], name="上海岳阳接替公司", status="proposed")
    client = api.as_user(users[Role.UNIT_STAFF])
    response = client.post(
        f"/api/v1/enterprises/{registry['yueyang'].pk}/withdraw/",
        {"reason": "moved_out", "date": "2025-05-20", "replacement": replacement.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "withdrawn" and body["withdrawal_reason"] == "moved_out"
    assert body["withdrawn_on"] == "2025-05-20" and body["replacement"] == replacement.pk
    change = EnterpriseStatusChange.objects.get(enterprise=registry["yueyang"], kind="withdrawn")
    assert change.replacement == replacement and change.actor == users[Role.UNIT_STAFF]
    assert (
        client.post(
            f"/api/v1/enterprises/{registry['yueyang'].pk}/withdraw/",
            {"reason": "ceased", "date": "2025-05-21"},
            format="json",
        ).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"reason": "bored", "date": "2025-05-20"}, 400),
        ({"reason": "ceased", "date": "2999-01-01"}, 400),
        ({"reason": "ceased", "date": "2025-05-20", "replacement": 99999999}, 400),
    ],
)
def test_bad_withdrawals_are_refused(api, users, registry, body, status):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        f"/api/v1/enterprises/{registry['yueyang'].pk}/withdraw/", body, format="json"
    )
    assert response.status_code == status
    registry["yueyang"].refresh_from_db()
    assert registry["yueyang"].status == "active"


def test_withdrawal_by_other_roles_is_refused(api, users, registry):
    for role in (Role.AUDITOR, Role.FINANCE_OFFICER):
        response = api.as_user(users[role]).post(
            f"/api/v1/enterprises/{registry['yueyang'].pk}/withdraw/",
            {"reason": "ceased", "date": "2025-05-20"},
            format="json",
        )
        assert response.status_code == 403
    provider = api.as_user(users[Role.PROVIDER_USER]).post(
        f"/api/v1/enterprises/{registry['chedun'].pk}/withdraw/",
        {"reason": "ceased", "date": "2025-05-20"},
        format="json",
    )
    assert provider.status_code == 403


def test_district_corrections_reinstate_and_move(api, users, registry, units):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    pk = registry["yueyang"].pk
    client.post(f"/api/v1/enterprises/{pk}/withdraw/", {"reason": "other", "date": "2025-01-10"}, format="json")
    assert client.post(f"/api/v1/enterprises/{pk}/reinstate/", {}, format="json").status_code == 400  # needs a reason
    response = client.post(f"/api/v1/enterprises/{pk}/reinstate/", {"note": "误操作退出，恢复"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    moved = client.post(
        f"/api/v1/enterprises/{pk}/move/", {"unit": "310117501", "note": "注册地变更至经开区"}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["unit"] == "310117501"
    kinds = list(EnterpriseStatusChange.objects.filter(enterprise_id=pk).values_list("kind", flat=True))
    assert {"withdrawn", "reinstated", "moved"} <= set(kinds)
    unit_staff_move = api.as_user(users[Role.UNIT_STAFF]).post(
        f"/api/v1/enterprises/{registry['yueyang'].pk}/move/", {"unit": "310117001", "note": "x"}, format="json"
    )
    assert unit_staff_move.status_code == 404  # it is no longer in their unit


def test_anonymous_callers_are_refused(api, db):
    assert api.get("/api/v1/enterprises/").status_code == 401
    assert api.post("/api/v1/enterprises/", payload(), format="json").status_code == 401


def test_list_query_count_does_not_grow_with_rows(api, users, units, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(30, unit=units["310117001"])
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/enterprises/?page_size=100").json()["count"] == 30
