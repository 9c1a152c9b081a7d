"""The project filing page types the enterprise and the provider (credit code, exact name or id) instead of
picking them from drop-downs of every fileable enterprise and every pool provider: the page does not grow with
the programme, and what is typed is checked against the same scoped querysets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Project
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory, ProviderFactory

from .helpers import FILING, PAST, accepted_diagnosis

URL = "/funding/projects/new/"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["sjp_language"] = "en"


def file(client, user, enterprise, provider, **changes):
    client.force_login(user)
    return client.post(
        reverse("funding:project_create"), {**FILING, "enterprise": enterprise, "provider": provider, **changes}
    )


def measure(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("funding:project_create"))
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_the_page_does_not_grow_with_the_providers_and_enterprises(client, world, units):
    client.force_login(world["district"])
    client.get(URL)
    before = measure(client)
    for n in range(30):
        enterprise = EnterpriseFactory(unit=units["310117001"], name=f"上海新增{n}号制造有限公司")
        provider = ProviderFactory(name=f"上海新增{n}号服务有限公司")
        ProviderAssignment.objects.create(enterprise=enterprise, provider=provider, assigned_on=PAST)
        accepted_diagnosis(enterprise, provider)
    queries, size = measure(client)
    assert queries == before[0]
    assert size == before[1]  # no name of a new enterprise or provider is on the page
    assert "上海新增" not in client.get(URL).content.decode()


def test_filing_by_credit_code(client, world):
    e1, provider_a = world["e1"], world["provider_a"]
    response = file(client, world["pa"], e1.credit_code.lower(), f" {provider_a.credit_code} ")
    project = Project.objects.get(contract_no="HT-NEW-1")
    assert response.status_code == 302 and (project.enterprise, project.provider) == (e1, provider_a)


def test_the_district_files_by_exact_names(client, world):
    e2, provider_b = world["e2"], world["provider_b"]
    response = file(client, world["district"], e2.name, provider_b.name)
    assert response.status_code == 302
    project = Project.objects.get(contract_no="HT-NEW-1")
    assert (project.enterprise, project.provider) == (e2, provider_b)


@pytest.mark.parametrize(
    ("who", "enterprise", "provider", "field", "message"),
    [
        # not in the provider's scope (the district's other enterprise), by credit code, name and id
        (
            "pa",
            lambda w: w["e2"].credit_code,
            lambda w: w["provider_a"].credit_code,
            "enterprise",
            "No enterprise you can file for matches",
        ),
        (
            "pa",
            lambda w: w["e2"].name,
            lambda w: w["provider_a"].credit_code,
            "enterprise",
            "No enterprise you can file for matches",
        ),
        (
            "pa",
            lambda w: str(w["e2"].pk),
            lambda w: w["provider_a"].credit_code,
            "enterprise",
            "No enterprise you can file for matches",
        ),
        # a provider files only as itself
        ("pa", lambda w: w["e1"].credit_code, lambda w: w["provider_b"].credit_code, "provider", "Nothing matches"),
        (
            "district",
            lambda w: "上海不存在的公司",
            lambda w: w["provider_a"].name,
            "enterprise",
            "No enterprise you can file for matches",
        ),
        ("district", lambda w: w["e1"].name, lambda w: "不存在的服务商", "provider", "Nothing matches"),
        ("district", lambda w: w["e1"].name, lambda w: "", "provider", "This field is required."),
    ],
)
def test_refusals_name_the_field_and_keep_the_input(client, world, who, enterprise, provider, field, message):
    typed = enterprise(world)
    response = file(client, world[who], typed, provider(world))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field]), response.context["form"].errors
    assert f'value="{typed}"' in response.content.decode()
    assert not Project.objects.filter(contract_no="HT-NEW-1").exists()


def test_an_enterprise_without_an_accepted_diagnosis_is_refused(client, world, units):
    bare = EnterpriseFactory(unit=units["310117001"], name="上海未诊断制造有限公司")
    response = file(client, world["district"], bare.credit_code, world["provider_a"].credit_code)
    assert response.status_code == 200
    assert "No enterprise you can file for matches" in response.context["form"].errors["enterprise"][0]


def test_a_name_shared_by_two_enterprises_asks_for_the_credit_code(client, world, units):
    twin = EnterpriseFactory(unit=units["310117001"], name=world["e1"].name + "X")
    twin.name = world["e1"].name
    twin.save()
    accepted_diagnosis(twin, world["provider_a"])
    response = file(client, world["district"], world["e1"].name, world["provider_a"].credit_code)
    assert response.status_code == 200
    assert "give the credit code" in response.context["form"].errors["enterprise"][0]
    assert "Several match" in response.context["form"].errors["enterprise"][0]


def test_opened_from_the_enterprise_page_the_enterprise_is_filled_in(client, world):
    client.force_login(world["pa"])
    html = client.get(f"{URL}?enterprise={world['e1'].pk}").content.decode()
    assert f'value="{world["e1"].credit_code}"' in html and world["e1"].name in html
    assert f'value="{world["provider_a"].credit_code}"' in html  # a provider files as itself
    assert 'id="find-enterprise"' in html and 'id="find-provider"' not in html
    # an enterprise the viewer may not file for is not filled in
    html = client.get(f"{URL}?enterprise={world['e2'].pk}").content.decode()
    assert world["e2"].credit_code not in html and world["e2"].name not in html


def test_the_district_gets_links_to_find_an_enterprise_and_a_provider(client, world):
    client.force_login(world["district"])
    html = client.get(URL).content.decode()
    assert "/diagnoses/?status=accepted&amp;is_current=true" in html
    assert "/providers/?pool_status=in_pool" in html
    assert html.count('target="_blank"') >= 2
