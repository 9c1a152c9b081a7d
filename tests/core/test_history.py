"""Field-level audit history: every change recorded with its acting user, readable by auditors."""

import json

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from core.roles import Role
from providers.models import Provider
from providers.services import provider_create, provider_update


@pytest.fixture
def provider(users):
    return provider_create(
        actor=users[Role.DISTRICT_OFFICIAL],
        credit_code="91350200776049653A",
        name="上海松江智能制造服务有限公司",
        type="comprehensive",
    )


def test_a_change_through_a_service_is_recorded_with_the_acting_user(users, provider):
    import datetime

    provider_update(actor=users[Role.ADMIN], provider=provider, key_provider_since=datetime.date(2025, 3, 1))
    versions = list(provider.history.order_by("history_date"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert versions[0].history_user == users[Role.DISTRICT_OFFICIAL]
    assert versions[1].history_user == users[Role.ADMIN]
    delta = versions[1].diff_against(versions[0])
    assert [c.field for c in delta.changes] == ["key_provider_since"]


def test_an_api_write_is_recorded_with_the_caller_as_actor(api, users, provider):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).patch(
        f"/api/v1/providers/{provider.pk}/", {"key_provider_since": "2025-06-01"}, format="json"
    )
    assert response.status_code == 200
    assert provider.history.latest().history_user == users[Role.DISTRICT_OFFICIAL]


def test_a_change_in_the_django_admin_is_recorded_too(client, make_user, provider):
    root = make_user(Role.ADMIN, username="root", is_superuser=True)
    client.force_login(root)
    url = reverse("admin:providers_provider_change", args=[provider.pk])
    # The admin form's own fields, as the browser would send them back, with the name changed.
    data = {
        key: "" if value is None else json.dumps(value) if isinstance(value, (list, dict)) else value
        for key, value in model_to_dict(provider).items()
    }
    data.update(name="改名后的服务商", type="specialised")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = Provider.objects.get(pk=provider.pk).history.latest()
    assert latest.name == "改名后的服务商" and latest.history_user == root


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DISTRICT_OFFICIAL, Role.ADMIN])
def test_auditors_read_the_history_of_a_record_and_of_a_user(client, users, provider, role):
    import datetime

    provider_update(actor=users[Role.ADMIN], provider=provider, name="上海松江数字化服务有限公司")
    client.force_login(users[role])
    by_record = client.get(reverse("core:audit_history"), {"model": "providers.provider", "object": provider.pk})
    page = by_record.content.decode()
    assert by_record.status_code == 200
    assert "上海松江数字化服务有限公司" in page and "上海松江智能制造服务有限公司" in page
    by_user = client.get(reverse("core:audit_history"), {"user": users[Role.ADMIN].pk})
    assert "上海松江数字化服务有限公司" in by_user.content.decode()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    later = client.get(reverse("core:audit_history"), {"date_from": tomorrow.isoformat()})
    assert "上海松江数字化服务有限公司" not in later.content.decode()


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR, Role.FINANCE_OFFICER])
def test_the_history_page_is_forbidden_to_other_roles(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("core:audit_history")).status_code == 403
