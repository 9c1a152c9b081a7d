"""The provider registry (resource pool): pages, filters, counts, forms, dated decisions, scope and the API."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from providers import services
from providers.choices import ProviderEventKind
from providers.models import Provider, ProviderEvent

VALID = "91350100M000100Y43"


def test_the_list_filters_and_counts(client, world):
    services.provider_update(
        actor=world["district"],
        provider=world["prov_a"],
        sectors=["auto_parts"],
        scenes=["quality_management", "marketing"],
        key_provider_since=datetime.date(2025, 3, 1),
        type="comprehensive",
    )
    services.provider_update(
        actor=world["district"], provider=world["prov_b"], sectors=["electronics"], type="specialised"
    )
    client.force_login(world["district"])
    url = reverse("providers:list")

    def names(**params):
        page = client.get(url, params)
        assert page.status_code == 200
        return {p.name for p in page.context["page_obj"]}

    assert names() == {"甲数字科技有限公司", "乙智造服务有限公司"}
    assert names(sector="auto_parts") == {"甲数字科技有限公司"}
    assert names(scene="marketing") == {"甲数字科技有限公司"}
    assert names(type="specialised") == {"乙智造服务有限公司"}
    assert names(key_provider="yes") == {"甲数字科技有限公司"}
    assert names(key_provider="no") == {"乙智造服务有限公司"}
    assert names(search="乙智造") == {"乙智造服务有限公司"}
    assert names(search=world["prov_a"].credit_code.lower()) == {"甲数字科技有限公司"}
    assert names(pool_status="suspended") == set()
    page = client.get(url)
    counts = page.context["counts"]
    assert counts["total"] == 2 and counts["key"] == 1 and counts["by_type"]["specialised"] == 1
    rows = {p.name: p for p in page.context["page_obj"]}
    assert rows["乙智造服务有限公司"].enterprise_count == 2  # ours and theirs
    assert rows["乙智造服务有限公司"].product_count == 2 and rows["乙智造服务有限公司"].recognised_count == 1


def test_the_list_page_query_count_does_not_grow_with_providers(client, world, django_assert_max_num_queries):
    from tests.factories import ProviderFactory

    ProviderFactory.create_batch(30)
    client.force_login(world["district"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("providers:list")).status_code == 200


def test_a_provider_user_sees_only_its_own_record(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    page = client.get(reverse("providers:list"))
    assert [p.name for p in page.context["page_obj"]] == ["甲数字科技有限公司"]
    assert client.get(reverse("providers:detail", args=[world["prov_a"].pk])).status_code == 200
    assert client.get(reverse("providers:detail", args=[world["prov_b"].pk])).status_code == 404
    assert client.get(reverse("providers:detail", args=[999999])).status_code == 404


def test_the_detail_page_shows_users_products_enterprises_and_ratings(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    page = client.get(reverse("providers:detail", args=[world["prov_a"].pk])).content.decode()
    assert "provider_user" in page  # its user
    assert "甲·设备云" in page  # its product
    assert "上海岳阳甲乙共同公司" in page  # its enterprise
    assert "4/5" in page  # its rating
    assert 'id="pool-form"' not in page  # the district's actions are not offered
    client.force_login(world["district"])
    page = client.get(reverse("providers:detail", args=[world["prov_b"].pk])).content.decode()
    assert "上海车墩乙独家公司" in page and 'id="pool-form"' in page and 'id="key-form"' in page


def test_unit_staff_see_only_their_units_enterprises_on_a_provider_page(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    page = client.get(reverse("providers:detail", args=[world["prov_b"].pk])).content.decode()
    assert "上海岳阳甲乙共同公司" in page and "上海车墩乙独家公司" not in page
    assert "响应慢" not in page  # the rating of the other unit's enterprise


def test_the_district_adds_a_provider_through_the_form(client, world):
    client.force_login(world["district"])
    form = {
        "credit_code": "91350100M000100Y40",
        "name": "丁工业互联网有限公司",
        "type": "comprehensive",
        "sectors": ["auto_parts", "electronics"],
        "scenes": ["finance"],
        "pool_status": "in_pool",
    }
    bad = client.post(reverse("providers:create"), form)
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert bad.context["form"].errors["credit_code"]
    future = client.post(
        reverse("providers:create"), {**form, "credit_code": VALID, "key_provider_since": "2999-01-01"}
    )
    assert future.context["form"].errors["key_provider_since"]
    response = client.post(reverse("providers:create"), {**form, "credit_code": VALID})
    provider = Provider.objects.get(credit_code=VALID)
    assert response.url == reverse("providers:detail", args=[provider.pk])
    assert provider.sectors == ["auto_parts", "electronics"] and provider.scenes == ["finance"]
    assert provider.history.latest().history_user == world["district"]
    assert ProviderEvent.objects.filter(
        provider=provider, kind=ProviderEventKind.POOL_STATUS, to_value="in_pool"
    ).exists()
    missing = client.post(reverse("providers:create"), {"credit_code": VALID})
    assert set(missing.context["form"].errors) >= {"name", "type"}


def test_a_duplicate_code_is_a_form_error(client, world):
    client.force_login(world["district"])
    response = client.post(
        reverse("providers:create"),
        {"credit_code": world["prov_b"].credit_code, "name": "重复", "type": "comprehensive", "pool_status": "in_pool"},
    )
    assert response.status_code == 200 and response.context["form"].errors["credit_code"]


def test_the_district_edits_a_provider(client, world):
    client.force_login(world["district"])
    url = reverse("providers:edit", args=[world["prov_b"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "credit_code": world["prov_b"].credit_code,
            "name": "乙智造服务（上海）有限公司",
            "type": "specialised",
            "qualifications": "ISO 9001",
            "scenes": ["safety"],
        },
    )
    assert response.status_code == 302
    world["prov_b"].refresh_from_db()
    assert world["prov_b"].name == "乙智造服务（上海）有限公司" and world["prov_b"].scenes == ["safety"]


def test_pool_status_and_key_designation_are_dated_events(client, world):
    client.force_login(world["district"])
    pk = world["prov_b"].pk
    client.post(
        reverse("providers:action", args=[pk, "pool"]), {"status": "suspended", "date": "2025-08-01", "note": "整改"}
    )
    client.post(reverse("providers:action", args=[pk, "key"]), {"date": "2025-04-01"})
    provider = Provider.objects.get(pk=pk)
    assert provider.pool_status == "suspended" and provider.pool_status_since == datetime.date(2025, 8, 1)
    assert provider.key_provider_since == datetime.date(2025, 4, 1)
    events = list(ProviderEvent.objects.filter(provider=provider).values_list("kind", "happened_on", "to_value"))
    assert (ProviderEventKind.POOL_STATUS, datetime.date(2025, 8, 1), "suspended") in events
    assert (ProviderEventKind.KEY_DESIGNATED, datetime.date(2025, 4, 1), "2025-04-01") in events
    page = client.get(reverse("providers:detail", args=[pk])).content.decode()
    assert "整改" in page
    response = client.post(reverse("providers:action", args=[pk, "revoke"]), {"note": "年度考核未通过"}, follow=True)
    assert Provider.objects.get(pk=pk).key_provider_since is None
    assert ProviderEvent.objects.filter(provider=provider, kind=ProviderEventKind.KEY_REVOKED).exists()
    assert response.status_code == 200
    again = client.post(reverse("providers:action", args=[pk, "pool"]), {"status": "suspended"}, follow=True)
    assert any(m.level_tag == "error" for m in again.context["messages"])
    future = client.post(reverse("providers:action", args=[pk, "key"]), {"date": "2999-01-01"}, follow=True)
    assert Provider.objects.get(pk=pk).key_provider_since is None
    assert any(m.level_tag == "error" for m in future.context["messages"])


def test_a_suspended_provider_takes_no_new_enterprises(world, units):
    from core.errors import Conflict
    from tests.factories import EnterpriseFactory

    services.provider_set_pool_status(actor=world["district"], provider=world["prov_b"], status="suspended")
    with pytest.raises(Conflict):
        services.provider_assign(
            actor=world["district"], enterprise=EnterpriseFactory(unit=units["310117001"]), provider=world["prov_b"]
        )


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_scoped_providers_with_filters(api, users, world):
    body = api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/providers/").json()
    assert [p["name"] for p in body["results"]] == ["甲数字科技有限公司"]
    assert api.get(f"/api/v1/providers/{world['prov_b'].pk}/").status_code == 404
    client = api.as_user(users[Role.UNIT_STAFF])
    body = client.get("/api/v1/providers/", {"search": "乙"}).json()
    assert body["count"] == 1 and body["results"][0]["enterprise_count"] == 1  # only its unit's enterprise
    assert client.get("/api/v1/providers/", {"sector": "nonsense"}).status_code == 400


def test_api_patch_changes_pool_facts_and_records_events(api, world):
    response = api.as_user(world["district"]).patch(
        f"/api/v1/providers/{world['prov_b'].pk}/",
        {"pool_status": "removed", "pool_status_since": "2025-10-01", "scenes": ["finance", "finance", "safety"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["pool_status"] == "removed" and body["pool_status_since"] == "2025-10-01"
    assert body["scenes"] == ["finance", "safety"]
    events = api.get(f"/api/v1/providers/{world['prov_b'].pk}/events/").json()
    assert events[0]["kind"] == "pool_status" and events[0]["to_value"] == "removed"


def test_api_patch_key_provider_keeps_the_contract(api, world):
    client = api.as_user(world["district"])
    url = f"/api/v1/providers/{world['prov_a'].pk}/"
    response = client.patch(url, {"key_provider_since": "2025-04-01"}, format="json")
    assert response.status_code == 200 and response.json()["key_provider_since"] == "2025-04-01"
    assert client.patch(url, {"key_provider_since": None}, format="json").json()["key_provider_since"] is None
    kinds = list(ProviderEvent.objects.filter(provider=world["prov_a"]).values_list("kind", flat=True))
    assert ProviderEventKind.KEY_DESIGNATED in kinds and ProviderEventKind.KEY_REVOKED in kinds


def test_api_refuses_unknown_scene_codes_naming_them(api, world):
    response = api.as_user(world["district"]).post(
        "/api/v1/providers/",
        {"credit_code": VALID, "name": "戊", "type": "comprehensive", "scenes": ["finance", "teleportation"]},
        format="json",
    )
    assert response.status_code == 400
    assert "scenes" in response.json()
    assert "teleportation" in str(response.json()["scenes"])


def test_evaluation_body_api_and_pages(api, client, users, world):
    district = api.as_user(world["district"])
    response = district.patch(f"/api/v1/evaluators/{world['body_b'].pk}/", {"contact_name": "钱工"}, format="json")
    assert response.status_code == 200 and response.json()["contact_name"] == "钱工"
    evaluator = api.as_user(users[Role.EVALUATOR])
    assert [b["id"] for b in evaluator.get("/api/v1/evaluators/").json()["results"]] == [world["body_a"].pk]
    assert evaluator.get(f"/api/v1/evaluators/{world['body_b'].pk}/").status_code == 404
    assert api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/evaluators/").status_code == 403
    client.force_login(world["district"])
    page = client.get(reverse("providers:body_detail", args=[world["body_a"].pk])).content.decode()
    assert "evaluator_user" in page and "上海岳阳甲乙共同公司" in page
    created = client.post(
        reverse("providers:body_create"), {"credit_code": "913502000728319549", "name": "上海第三方评估所"}
    )
    assert created.status_code == 302
    missing = client.post(reverse("providers:body_create"), {"credit_code": "123", "name": ""})
    assert missing.context["form"].errors["name"]
    bad = client.post(reverse("providers:body_create"), {"credit_code": "123", "name": "某机构"})
    assert bad.context["form"].errors["credit_code"]
    edit = client.post(
        reverse("providers:body_edit", args=[world["body_b"].pk]),
        {"credit_code": world["body_b"].credit_code, "name": "丙评测中心（新）"},
    )
    assert edit.status_code == 302
    world["body_b"].refresh_from_db()
    assert world["body_b"].name == "丙评测中心（新）"
