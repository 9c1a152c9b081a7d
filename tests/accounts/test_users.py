"""User management: only the admin creates, changes, deactivates, resets and unlocks users."""

import pytest
from django.urls import reverse

from accounts.models import User
from core.roles import Role


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("district_official", {}),
        ("finance_officer", {}),
        ("auditor", {}),
        ("admin", {}),
        ("unit_staff", {"unit": "310117104"}),
    ],
)
def test_admin_creates_users_of_every_role(api, users, role, extra):
    response = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/users/",
        {"username": f"new_{role}", "password": "Chedun-town-2025", "role": role, **extra},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = User.objects.get(username=f"new_{role}")
    assert created.role == role
    assert created.check_password("Chedun-town-2025")
    if role == "unit_staff":
        assert created.unit.code == "310117104"
        assert response.json()["unit"] == "310117104"


def test_admin_creates_provider_users_and_evaluators_by_credit_code(api, users):
    provider = users[Role.PROVIDER_USER].provider
    body = users[Role.EVALUATOR].evaluation_body
    client = api.as_user(users[Role.ADMIN])
    r1 = client.post(
        "/api/v1/users/",
        {"username": "p2", "password": "Provider-pass-2025", "role": "provider_user", "provider": provider.credit_code},
        format="json",
    )
    r2 = client.post(
        "/api/v1/users/",
        {"username": "e2", "password": "Evaluator-pass-2025", "role": "evaluator", "organisation": body.credit_code},
        format="json",
    )
    assert r1.status_code == r2.status_code == 201
    assert User.objects.get(username="p2").provider == provider
    assert User.objects.get(username="e2").evaluation_body == body


def test_a_user_without_a_password_gets_a_one_time_password(api, users):
    response = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/users/", {"username": "otp", "role": "auditor"}, format="json"
    )
    assert response.status_code == 201
    issued = response.json()["one_time_password"]
    user = User.objects.get(username="otp")
    assert user.check_password(issued) and user.must_change_password


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "unit_staff"}, "unit"),
        ({"role": "unit_staff", "unit": "999999999"}, "unit"),
        ({"role": "provider_user"}, "provider"),
        ({"role": "evaluator", "organisation": "91350100M000100Y43"}, "organisation"),
        ({"role": "wizard"}, "role"),
    ],
)
def test_user_creation_refuses_missing_or_unknown_organisations(api, users, body, field):
    response = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/users/", {"username": "x1", **body}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    data = response.json()
    assert data.get("field") == field or field in data
    assert not User.objects.filter(username="x1").exists()


def test_duplicate_user_names_are_refused(api, users):
    response = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/users/", {"username": "DISTRICT_USER", "role": "auditor"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "username_taken"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_other_roles_cannot_create_users(api, users, role):
    response = api.as_user(users[role]).post("/api/v1/users/", {"username": "sneaky", "role": "admin"}, format="json")
    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_anonymous_cannot_create_users(api, db):
    assert api.post("/api/v1/users/", {"username": "sneaky", "role": "admin"}, format="json").status_code == 401


def test_superuser_acts_as_admin(api, make_user):
    root = make_user(Role.AUDITOR, username="root", is_superuser=True)
    response = api.as_user(root).post("/api/v1/users/", {"username": "made_by_root", "role": "auditor"}, format="json")
    assert response.status_code == 201


# --- the admin's pages ---------------------------------------------------------------------------


def test_admin_manages_users_through_the_pages(client, users):
    client.force_login(users[Role.ADMIN])
    assert "unit_user" in client.get(reverse("accounts:user_list")).content.decode()
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "sijing_clerk",
            "display_name": "泗泾 张三",
            "role": "unit_staff",
            "unit": "",
            "phone": "13912345678",
        },
    )
    assert response.status_code == 200
    assert "街镇工作人员须指定所属街镇" in response.content.decode()  # the unit is required, said in Chinese
    from core.models import OrgUnit

    sijing = OrgUnit.objects.get(code="310117102")
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "sijing_clerk", "display_name": "泗泾 张三", "role": "unit_staff", "unit": sijing.pk},
    )
    assert response.status_code == 200
    clerk = User.objects.get(username="sijing_clerk")
    assert clerk.unit == sijing and clerk.must_change_password
    assert clerk.check_password(response.context["password"])

    client.post(reverse("accounts:user_action", args=[clerk.pk, "deactivate"]))
    clerk.refresh_from_db()
    assert not clerk.is_active
    client.post(reverse("accounts:user_action", args=[clerk.pk, "activate"]))
    response = client.post(reverse("accounts:user_action", args=[clerk.pk, "reset-password"]))
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.check_password(response.context["password"])
    response = client.post(reverse("accounts:user_action", args=[clerk.pk, "unlock"]), follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_user_pages_are_forbidden_to_other_roles(client, users, role):
    client.force_login(users[role])
    target = users[Role.AUDITOR]
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[target.pk])).status_code == 403
    assert client.post(reverse("accounts:user_action", args=[target.pk, "deactivate"])).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_phone_numbers_are_masked_for_roles_that_do_not_need_them(rf, users):
    from core.privacy import mask_phone, phone_for

    assert mask_phone("13812345678") == "138****5678"
    assert phone_for(users[Role.AUDITOR], "13812345678") == "138****5678"
    assert phone_for(users[Role.FINANCE_OFFICER], "13812345678") == "138****5678"
    assert phone_for(users[Role.UNIT_STAFF], "13812345678") == "13812345678"
