"""The 小快轻准 catalogue: the API contract, who adds, edits and recognises, scope, pages and forms."""

import datetime

from django.urls import reverse

from core.roles import Role
from providers.models import Product


def test_post_products_answers_201_with_the_id(api, world):
    response = api.as_user(world["district"]).post(
        "/api/v1/products/",
        {"provider": world["prov_a"].pk, "name": "甲·质量云", "recognised_on": "2025-05-20"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    product = Product.objects.get(pk=body["id"])
    assert product.recognised_on == datetime.date(2025, 5, 20) and body["recognised_on"] == "2025-05-20"
    assert product.history.latest().history_user == world["district"]
    unrecognised = api.post(
        "/api/v1/products/", {"provider": world["prov_a"].pk, "name": "甲·排程", "recognised_on": None}, format="json"
    )
    assert unrecognised.status_code == 201 and unrecognised.json()["recognised_on"] is None


def test_product_input_errors_are_4xx_with_messages(api, world):
    client = api.as_user(world["district"])
    assert client.post("/api/v1/products/", {"name": "无主"}, format="json").json().keys() >= {"provider"}
    unknown = client.post("/api/v1/products/", {"provider": 999999, "name": "x"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "provider"
    future = client.post(
        "/api/v1/products/", {"provider": world["prov_a"].pk, "name": "y", "recognised_on": "2999-01-01"}, format="json"
    )
    assert future.status_code == 400 and future.json()["field"] == "recognised_on"
    scenes = client.post(
        "/api/v1/products/",
        {"provider": world["prov_a"].pk, "name": "z", "scenes": ["marketing", "alchemy"]},
        format="json",
    )
    assert scenes.status_code == 400 and "alchemy" in str(scenes.json()["scenes"])
    duplicate = client.post("/api/v1/products/", {"provider": world["prov_a"].pk, "name": "甲·设备云"}, format="json")
    assert duplicate.status_code == 409
    bad_date = client.post(
        "/api/v1/products/", {"provider": world["prov_a"].pk, "name": "w", "recognised_on": "soon"}, format="json"
    )
    assert bad_date.status_code == 400 and "recognised_on" in bad_date.json()


def test_a_provider_user_adds_its_own_products_but_never_recognises_them(api, users, world):
    client = api.as_user(users[Role.PROVIDER_USER])
    own = client.post("/api/v1/products/", {"provider": world["prov_a"].pk, "name": "甲·新品"}, format="json")
    assert own.status_code == 201
    recognised = client.post(
        "/api/v1/products/",
        {"provider": world["prov_a"].pk, "name": "甲·自荐", "recognised_on": "2025-01-01"},
        format="json",
    )
    assert recognised.status_code == 403
    other = client.post("/api/v1/products/", {"provider": world["prov_b"].pk, "name": "冒名"}, format="json")
    assert other.status_code == 400 and other.json()["field"] == "provider"
    assert not Product.objects.filter(name__in=["甲·自荐", "冒名"]).exists()
    patch = client.patch(
        f"/api/v1/products/{own.json()['id']}/", {"deployments": 12, "price_model": "subscription"}, format="json"
    )
    assert patch.status_code == 200 and patch.json()["deployments"] == 12
    self_recognise = client.patch(
        f"/api/v1/products/{own.json()['id']}/", {"recognised_on": "2025-02-02"}, format="json"
    )
    assert self_recognise.status_code == 403


def test_a_recognised_product_is_frozen_for_its_provider(api, world):
    client = api.as_user(world["user_b"])
    response = client.patch(f"/api/v1/products/{world['b_recognised'].pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    assert (
        client.patch(f"/api/v1/products/{world['b_draft'].pk}/", {"name": "乙·正式方案"}, format="json").status_code
        == 200
    )


def test_the_district_recognises_and_withdraws(api, world):
    client = api.as_user(world["district"])
    url = f"/api/v1/products/{world['b_draft'].pk}/"
    assert (
        client.post(url + "recognise/", {"date": "2025-09-01"}, format="json").json()["recognised_on"] == "2025-09-01"
    )
    assert (
        client.post(url + "withdraw-recognition/", {"reason": "产品下架"}, format="json").json()["recognised_on"]
        is None
    )
    assert client.post(url + "withdraw-recognition/", {"reason": "again"}, format="json").status_code == 409
    assert client.patch(url, {"recognised_on": "2025-10-10"}, format="json").json()["recognised_on"] == "2025-10-10"


def test_a_provider_never_sees_another_providers_unrecognised_products(api, client, users, world):
    api_client = api.as_user(users[Role.PROVIDER_USER])
    names = {p["name"] for p in api_client.get("/api/v1/products/", {"page_size": 100}).json()["results"]}
    assert names == {"甲·设备云", "乙·轻量MES"}  # its own, and the other's recognised one
    assert api_client.get(f"/api/v1/products/{world['b_draft'].pk}/").status_code == 404
    assert (
        api_client.patch(f"/api/v1/products/{world['b_recognised'].pk}/", {"name": "x"}, format="json").status_code
        == 403
    )
    client.force_login(users[Role.PROVIDER_USER])
    assert client.get(reverse("providers:product_detail", args=[world["b_draft"].pk])).status_code == 404
    assert client.get(reverse("providers:product_edit", args=[world["b_draft"].pk])).status_code == 404
    assert client.get(reverse("providers:product_detail", args=[world["b_recognised"].pk])).status_code == 200
    catalogue = client.get(reverse("providers:product_list")).content.decode()
    assert "乙·草稿方案" not in catalogue and "乙·轻量MES" in catalogue


def test_catalogue_filters(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    url = reverse("providers:product_list")

    def names(**params):
        return {p.name for p in client.get(url, params).context["page_obj"]}

    assert names() == {"甲·设备云", "乙·草稿方案", "乙·轻量MES"}
    assert names(recognised="yes") == {"乙·轻量MES"}
    assert names(recognised="no") == {"甲·设备云", "乙·草稿方案"}
    assert names(provider=world["prov_b"].pk) == {"乙·草稿方案", "乙·轻量MES"}
    assert names(scene="equipment_management") == {"甲·设备云"}
    assert names(search="MES") == {"乙·轻量MES"}


def test_a_provider_user_adds_a_product_through_the_form(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    page = client.get(reverse("providers:product_create"))
    assert list(page.context["form"].fields["provider"].queryset) == [world["prov_a"]]
    assert "recognised_on" not in page.context["form"].fields
    bad = client.post(
        reverse("providers:product_create"), {"provider": world["prov_a"].pk, "name": "", "deployments": -1}
    )
    assert set(bad.context["form"].errors) >= {"name", "deployments"}
    other = client.post(
        reverse("providers:product_create"), {"provider": world["prov_b"].pk, "name": "冒名", "deployments": 0}
    )
    assert "provider" in other.context["form"].errors
    duplicate = client.post(
        reverse("providers:product_create"), {"provider": world["prov_a"].pk, "name": "甲·设备云", "deployments": 0}
    )
    assert duplicate.context["form"].errors["name"]
    response = client.post(
        reverse("providers:product_create"),
        {"provider": world["prov_a"].pk, "name": "甲·能耗云", "scenes": ["energy_management"], "deployments": 3},
    )
    product = Product.objects.get(name="甲·能耗云")
    assert response.url == reverse("providers:product_detail", args=[product.pk])
    assert product.scenes == ["energy_management"] and product.recognised_on is None
    edit = client.post(
        reverse("providers:product_edit", args=[product.pk]),
        {"name": "甲·能耗云2", "deployments": 4, "price_model": "free"},
    )
    assert edit.status_code == 302
    product.refresh_from_db()
    assert product.name == "甲·能耗云2" and product.price_model == "free"


def test_the_district_recognises_on_the_product_page(client, world):
    client.force_login(world["district"])
    pk = world["a_draft"].pk
    page = client.get(reverse("providers:product_detail", args=[pk])).content.decode()
    assert 'id="recognise-form"' in page
    client.post(reverse("providers:product_action", args=[pk, "recognise"]), {"date": "2025-07-07"})
    assert Product.objects.get(pk=pk).recognised_on == datetime.date(2025, 7, 7)
    future = client.post(
        reverse("providers:product_action", args=[pk, "recognise"]), {"date": "2999-07-07"}, follow=True
    )
    assert any(m.level_tag == "error" for m in future.context["messages"])
    assert Product.objects.get(pk=pk).recognised_on == datetime.date(2025, 7, 7)
    client.post(reverse("providers:product_action", args=[pk, "withdraw"]), {"reason": "资料不全"})
    assert Product.objects.get(pk=pk).recognised_on is None


def test_only_the_district_recognises_on_the_page(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    url = reverse("providers:product_action", args=[world["a_draft"].pk, "recognise"])
    assert client.post(url, {"date": "2025-07-07"}).status_code == 403
    assert Product.objects.get(pk=world["a_draft"].pk).recognised_on is None
