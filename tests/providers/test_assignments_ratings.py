"""Assignments of enterprises to providers and evaluation bodies, and satisfaction ratings: pages, the
enterprise section, the API, and scope (a provider never sees another provider's assignments,
ratings or enterprises)."""

import datetime

from django.urls import reverse

from core.roles import Role
from providers.models import EvaluatorAssignment, ProviderAssignment, ProviderRating
from tests.factories import EnterpriseFactory


def test_the_district_assigns_several_enterprises_from_a_filtered_list(client, world, units):
    extra = [EnterpriseFactory(unit=units["310117104"], name=f"上海车墩候选{i}公司") for i in range(3)]
    EnterpriseFactory(unit=units["310117104"], name="上海车墩退出公司", status="withdrawn")
    client.force_login(world["district"])
    url = reverse("providers:assign", args=[world["prov_a"].pk])
    page = client.get(url, {"unit": "310117104"})
    listed = {e.name for e in page.context["page_obj"]}
    assert {e.name for e in extra} <= listed
    assert "上海车墩退出公司" not in listed  # pilot enterprises only, unless asked
    assert "上海岳阳甲乙共同公司" not in {e.name for e in client.get(url).context["page_obj"]}  # already assigned
    response = client.post(
        url + "?unit=310117104", {"ids": [e.pk for e in extra[:2]], "assigned_on": "2025-05-05"}, follow=True
    )
    assert response.status_code == 200
    assigned = ProviderAssignment.objects.filter(provider=world["prov_a"], enterprise__in=extra)
    assert {a.enterprise_id for a in assigned} == {extra[0].pk, extra[1].pk}
    assert {a.assigned_on for a in assigned} == {datetime.date(2025, 5, 5)}
    nothing = client.post(url, {"ids": []}, follow=True)
    assert any(m.level_tag == "error" for m in nothing.context["messages"])
    future = client.post(url, {"ids": [extra[2].pk], "assigned_on": "2999-01-01"}, follow=True)
    assert any(m.level_tag == "error" for m in future.context["messages"])
    assert not ProviderAssignment.objects.filter(enterprise=extra[2]).exists()


def test_the_district_assigns_to_an_evaluation_body(client, world):
    client.force_login(world["district"])
    url = reverse("providers:body_assign", args=[world["body_b"].pk])
    client.post(url, {"ids": [world["unassigned"].pk]})
    assert EvaluatorAssignment.objects.filter(evaluation_body=world["body_b"], enterprise=world["unassigned"]).exists()


def test_ending_an_assignment_takes_the_enterprise_out_of_the_providers_scope(client, users, world):
    provider_client = client
    provider_client.force_login(users[Role.PROVIDER_USER])
    enterprise_url = reverse("enterprises:detail", args=[world["ours"].pk])
    assert provider_client.get(enterprise_url).status_code == 200
    provider_client.force_login(world["district"])
    response = provider_client.post(
        reverse("providers:assignment_end", args=["provider", world["a_ours"].pk]),
        {"reason": "企业更换服务商", "date": "2025-09-30", "next": enterprise_url},
    )
    assert response.url == enterprise_url
    assert not ProviderAssignment.objects.filter(pk=world["a_ours"].pk).exists()
    record = ProviderAssignment.history.filter(id=world["a_ours"].pk).latest()
    assert record.history_type == "-" and record.history_user == world["district"]
    assert "2025-09-30" in record.history_change_reason
    provider_client.force_login(users[Role.PROVIDER_USER])
    assert provider_client.get(enterprise_url).status_code == 404


def test_only_the_district_ends_assignments(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    url = reverse("providers:assignment_end", args=["provider", world["a_ours"].pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(users[Role.PROVIDER_USER])
    assert (
        client.post(
            reverse("providers:assignment_end", args=["provider", world["b_ours"].pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert ProviderAssignment.objects.filter(pk__in=[world["a_ours"].pk, world["b_ours"].pk]).count() == 2


def test_the_enterprise_section_offers_the_districts_actions(client, users, world):
    client.force_login(world["district"])
    page = client.get(reverse("enterprises:detail", args=[world["unassigned"].pk])).content.decode()
    assert 'id="section-assignments"' in page and 'id="assign-provider-form"' in page
    response = client.post(
        reverse("providers:enterprise_assign", args=[world["unassigned"].pk, "provider"]),
        {"provider-target": world["prov_b"].pk, "provider-assigned_on": "2025-02-02"},
    )
    assert response.status_code == 302
    assert ProviderAssignment.objects.filter(enterprise=world["unassigned"], provider=world["prov_b"]).exists()
    client.post(
        reverse("providers:enterprise_assign", args=[world["unassigned"].pk, "body"]),
        {"body-target": world["body_a"].pk},
    )
    assert EvaluatorAssignment.objects.filter(enterprise=world["unassigned"], evaluation_body=world["body_a"]).exists()
    empty = client.post(reverse("providers:enterprise_assign", args=[world["unassigned"].pk, "body"]), {}, follow=True)
    assert any(m.level_tag == "error" for m in empty.context["messages"])


def test_the_section_hides_other_providers_assignments_and_ratings(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    page = client.get(reverse("enterprises:detail", args=[world["ours"].pk]))
    section = next(s for s in page.context["sections"] if s["key"] == "assignments")["context"]
    assert [a.provider_id for a in section["provider_assignments"]] == [world["prov_a"].pk]
    assert [r.provider_id for r in section["ratings"]] == [world["prov_a"].pk]
    assert section["evaluator_assignments"] == []
    assert not section["can_assign"] and not section["can_rate"]


def test_unit_staff_rate_an_assigned_provider_from_the_enterprise_page(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    enterprise_url = reverse("enterprises:detail", args=[world["ours"].pk])
    page = client.get(enterprise_url).content.decode()
    assert 'id="section-rating-form"' in page
    response = client.post(
        reverse("providers:rating_create"),
        {
            "enterprise": world["ours"].pk,
            "provider": world["prov_b"].pk,
            "score": "3",
            "rated_on": "2025-10-10",
            "comment": "现场支持及时",
            "next": enterprise_url,
        },
    )
    assert response.url == enterprise_url
    rating = ProviderRating.objects.get(provider=world["prov_b"], enterprise=world["ours"])
    assert rating.score == 3 and rating.rated_by == users[Role.UNIT_STAFF]
    bad = client.post(
        reverse("providers:rating_create"),
        {"enterprise": world["ours"].pk, "provider": world["prov_b"].pk, "score": "9", "next": enterprise_url},
        follow=True,
    )
    assert any(m.level_tag == "error" for m in bad.context["messages"])
    future = client.post(
        reverse("providers:rating_create"),
        {"enterprise": world["ours"].pk, "provider": world["prov_b"].pk, "score": "4", "rated_on": "2999-01-01"},
        follow=True,
    )
    assert any(m.level_tag == "error" for m in future.context["messages"])
    assert ProviderRating.objects.filter(provider=world["prov_b"], enterprise=world["ours"]).count() == 1


def test_ratings_need_an_assigned_provider_and_the_right_unit(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    not_assigned = client.post(
        reverse("providers:rating_create"),
        {"enterprise": world["unassigned"].pk, "provider": world["prov_a"].pk, "score": "5"},
        follow=True,
    )
    assert any(m.level_tag == "error" for m in not_assigned.context["messages"])
    other_unit = client.post(
        reverse("providers:rating_create"),
        {"enterprise": world["theirs"].pk, "provider": world["prov_b"].pk, "score": "5"},
    )
    assert other_unit.status_code == 404
    client.force_login(users[Role.PROVIDER_USER])
    own = client.post(
        reverse("providers:rating_create"),
        {"enterprise": world["ours"].pk, "provider": world["prov_a"].pk, "score": "5"},
    )
    assert own.status_code == 403  # a provider never rates itself
    assert ProviderRating.objects.count() == 2


def test_the_provider_page_rating_form_picks_the_enterprise(client, world):
    client.force_login(world["district"])
    page = client.get(reverse("providers:detail", args=[world["prov_b"].pk]))
    assert set(page.context["rating_form"].fields["enterprise"].queryset) == {world["ours"], world["theirs"]}


# --- API -------------------------------------------------------------------------------------------


def test_api_assignments_are_scoped(api, users, world):
    mine = api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/provider-assignments/").json()
    assert [a["id"] for a in mine["results"]] == [world["a_ours"].pk]
    assert api.get(f"/api/v1/provider-assignments/{world['b_ours'].pk}/").status_code == 404
    assert api.get("/api/v1/evaluator-assignments/").json()["count"] == 0
    evaluator = api.as_user(users[Role.EVALUATOR])
    assert [a["id"] for a in evaluator.get("/api/v1/evaluator-assignments/").json()["results"]] == [world["ev_ours"].pk]
    assert evaluator.get(f"/api/v1/evaluator-assignments/{world['ev_theirs'].pk}/").status_code == 404
    unit = api.as_user(users[Role.UNIT_STAFF])
    ids = {a["id"] for a in unit.get("/api/v1/provider-assignments/").json()["results"]}
    assert ids == {world["a_ours"].pk, world["b_ours"].pk}
    assert unit.get("/api/v1/provider-assignments/", {"provider": world["prov_b"].pk}).json()["count"] == 1


def test_api_assign_and_end(api, users, world):
    district = api.as_user(world["district"])
    response = district.post(
        "/api/v1/provider-assignments/",
        {"enterprise": world["unassigned"].pk, "provider": world["prov_a"].pk, "assigned_on": "2025-06-06"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["assigned_on"] == "2025-06-06"
    pk = response.json()["id"]
    assert district.post(f"/api/v1/provider-assignments/{pk}/end/", {}, format="json").status_code == 400
    assert (
        district.post(f"/api/v1/provider-assignments/{pk}/end/", {"reason": "合同终止"}, format="json").status_code
        == 204
    )
    assert not ProviderAssignment.objects.filter(pk=pk).exists()
    body = district.post(
        "/api/v1/evaluator-assignments/",
        {"enterprise": world["unassigned"].pk, "evaluation_body": world["body_b"].pk},
        format="json",
    )
    assert body.status_code == 201
    assert (
        district.post(
            "/api/v1/evaluator-assignments/",
            {"enterprise": 999999, "evaluation_body": world["body_b"].pk},
            format="json",
        ).json()["field"]
        == "enterprise"
    )
    for role in (Role.UNIT_STAFF, Role.PROVIDER_USER, Role.AUDITOR):
        refused = api.as_user(users[role]).post(
            "/api/v1/provider-assignments/",
            {"enterprise": world["ours"].pk, "provider": world["prov_a"].pk},
            format="json",
        )
        assert refused.status_code == 403


def test_api_ratings(api, users, world):
    unit = api.as_user(users[Role.UNIT_STAFF])
    created = unit.post(
        "/api/v1/provider-ratings/",
        {"enterprise": world["ours"].pk, "provider": world["prov_b"].pk, "score": 5, "rated_on": "2025-11-11"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["score"] == 5
    assert (
        unit.post(
            "/api/v1/provider-ratings/",
            {"enterprise": world["ours"].pk, "provider": world["prov_b"].pk, "score": 6},
            format="json",
        ).status_code
        == 400
    )
    not_assigned = unit.post(
        "/api/v1/provider-ratings/",
        {"enterprise": world["unassigned"].pk, "provider": world["prov_b"].pk, "score": 4},
        format="json",
    )
    assert not_assigned.status_code == 400 and not_assigned.json()["code"] == "provider_not_assigned"
    outside = unit.post(
        "/api/v1/provider-ratings/",
        {"enterprise": world["theirs"].pk, "provider": world["prov_b"].pk, "score": 4},
        format="json",
    )
    assert outside.status_code == 400 and outside.json()["field"] == "enterprise"
    mine = api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/provider-ratings/").json()
    assert [r["provider"] for r in mine["results"]] == [world["prov_a"].pk]
    assert api.get(f"/api/v1/provider-ratings/{world['rating_b'].pk}/").status_code == 404
    assert api.as_user(users[Role.EVALUATOR]).get("/api/v1/provider-ratings/").status_code == 403
    assert (
        api.as_user(users[Role.UNIT_STAFF]).get(f"/api/v1/provider-ratings/{world['rating_b'].pk}/").status_code == 404
    )


def test_the_enterprise_page_never_names_another_provider(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    page = client.get(reverse("enterprises:detail", args=[world["ours"].pk]))
    assert [a.provider_id for a in page.context["provider_assignments"]] == [world["prov_a"].pk]
    assert list(page.context["evaluator_assignments"]) == []
    others = [a.provider.name for a in world["ours"].provider_assignments.exclude(provider=world["prov_a"])]
    assert others and not any(name in page.content.decode() for name in others)
