"""The enterprise page's "assign a provider" box: the provider is typed (credit code or exact name), not
picked from a drop-down of the whole pool, so the page does not grow with the number of providers; the
server resolves what was typed to exactly one provider or says why it cannot."""

from django.urls import reverse

from providers.choices import PoolStatus
from providers.models import ProviderAssignment
from tests.factories import ProviderFactory


def assign(client, enterprise, target):
    return client.post(
        reverse("providers:enterprise_assign", args=[enterprise.pk, "provider"]),
        {"provider-target": target},
        follow=True,
    )


def errors(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def test_the_enterprise_page_does_not_list_the_provider_pool(client, world, django_assert_max_num_queries):
    client.force_login(world["district"])
    url = reverse("enterprises:detail", args=[world["unassigned"].pk])
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        small = client.get(url).content.decode()
    pool = ProviderFactory.create_batch(40, pool_status=PoolStatus.IN_POOL)
    with django_assert_max_num_queries(len(before.captured_queries)):
        large = client.get(url).content.decode()
    assert 'id="assign-provider-form"' in large and '<input name="provider-target"' in large
    assert not any(p.name in large or p.credit_code in large for p in pool)
    assert abs(len(large) - len(small)) < 200  # the CSRF token may differ; nothing per provider


def test_the_district_assigns_a_provider_by_credit_code_or_exact_name(client, world):
    pool = ProviderFactory.create_batch(2, pool_status=PoolStatus.IN_POOL)
    client.force_login(world["district"])
    response = assign(client, world["unassigned"], f" {pool[0].credit_code.lower()} ")
    assert not errors(response)
    assert response.redirect_chain[-1][0].endswith(
        reverse("enterprises:detail", args=[world["unassigned"].pk]) + "#section-assignments"
    )
    assert not errors(assign(client, world["unassigned"], pool[1].name))
    assigned = ProviderAssignment.objects.filter(enterprise=world["unassigned"]).values_list("provider", flat=True)
    assert set(assigned) == {pool[0].pk, pool[1].pk}


def test_a_typed_provider_that_matches_none_or_several_is_refused_with_a_reason(client, world):
    twins = ProviderFactory.create_batch(2, name="同名数字服务有限公司", pool_status=PoolStatus.IN_POOL)
    suspended = ProviderFactory(pool_status=PoolStatus.SUSPENDED)
    client.force_login(world["district"])
    enterprise = world["unassigned"]
    assert "同名数字服务有限公司" in " ".join(errors(assign(client, enterprise, "同名数字服务有限公司")))
    assert errors(assign(client, enterprise, "同名数字"))  # a part of a name is not enough to assign
    assert errors(assign(client, enterprise, "没有这家服务商"))
    assert errors(assign(client, enterprise, "9" * 30))  # digits too long for an id: no overflow, no 500
    assert errors(assign(client, enterprise, suspended.credit_code))  # the service's rule: in the pool only
    assert not ProviderAssignment.objects.filter(enterprise=enterprise).exists()
    assert not errors(assign(client, enterprise, twins[1].credit_code))  # the credit code settles it
    assert ProviderAssignment.objects.get(enterprise=enterprise).provider == twins[1]


def test_only_the_district_sees_and_uses_the_assign_box(client, users, world):
    from core.roles import Role

    client.force_login(users[Role.UNIT_STAFF])
    page = client.get(reverse("enterprises:detail", args=[world["unassigned"].pk])).content.decode()
    assert 'id="assign-provider-form"' not in page
    response = client.post(
        reverse("providers:enterprise_assign", args=[world["unassigned"].pk, "provider"]),
        {"provider-target": world["prov_b"].credit_code},
    )
    assert response.status_code == 403
    assert not ProviderAssignment.objects.filter(enterprise=world["unassigned"]).exists()
