"""Who reaches what: every page and endpoint of the providers app, for anonymous callers, each role,
in scope and out of scope (out of scope answers 404, exactly as a missing record)."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from providers import services
from providers.scorecard import scorecard_metrics

A, D, F, U, P, E, AU = (
    Role.ADMIN,
    Role.DISTRICT_OFFICIAL,
    Role.FINANCE_OFFICER,
    Role.UNIT_STAFF,
    Role.PROVIDER_USER,
    Role.EVALUATOR,
    Role.AUDITOR,
)
ROLES = [F, AU, U, P, E, D, A]  # the district and admin last: their successful writes change the world


@pytest.fixture
def cards(world):
    services.scorecard_compute(actor=world["district"], period="2025")
    from providers.models import ProviderScorecard

    return {
        "a": ProviderScorecard.objects.get(provider=world["prov_a"], period="2025"),
        "b": ProviderScorecard.objects.get(provider=world["prov_b"], period="2025"),
    }


def _expect(default, **by_role):
    table = dict.fromkeys(ROLES, default)
    for key, value in by_role.items():
        table[Role(key)] = value
    return table


# (id, method, url(world, cards), data, expected per role)
PAGES = [
    ("list", "get", lambda w, c: reverse("providers:list"), None, _expect(200)),
    ("detail in scope", "get", lambda w, c: reverse("providers:detail", args=[w["prov_a"].pk]), None, _expect(200)),
    (
        "detail other provider",
        "get",
        lambda w, c: reverse("providers:detail", args=[w["prov_b"].pk]),
        None,
        _expect(200, provider_user=404),
    ),
    ("detail missing", "get", lambda w, c: reverse("providers:detail", args=[999999]), None, _expect(404)),
    ("create", "get", lambda w, c: reverse("providers:create"), None, _expect(403, admin=200, district_official=200)),
    (
        "edit",
        "get",
        lambda w, c: reverse("providers:edit", args=[w["prov_b"].pk]),
        None,
        _expect(403, admin=200, district_official=200, provider_user=404),
    ),
    (
        "edit own",
        "get",
        lambda w, c: reverse("providers:edit", args=[w["prov_a"].pk]),
        None,
        _expect(403, admin=200, district_official=200),
    ),
    (
        "assign",
        "get",
        lambda w, c: reverse("providers:assign", args=[w["prov_b"].pk]),
        None,
        _expect(403, admin=200, district_official=200, provider_user=404),
    ),
    ("export", "get", lambda w, c: reverse("providers:export") + "?format=csv", None, _expect(200)),
    (
        "pool status",
        "post",
        lambda w, c: reverse("providers:action", args=[w["prov_b"].pk, "pool"]),
        {"status": "suspended"},
        _expect(403, admin=302, district_official=302, provider_user=404),
    ),
    (
        "key provider",
        "post",
        lambda w, c: reverse("providers:action", args=[w["prov_a"].pk, "key"]),
        {"date": "2025-01-01"},
        _expect(403, admin=302, district_official=302),
    ),
    ("products", "get", lambda w, c: reverse("providers:product_list"), None, _expect(200)),
    ("product export", "get", lambda w, c: reverse("providers:product_export") + "?format=xlsx", None, _expect(200)),
    (
        "product recognised",
        "get",
        lambda w, c: reverse("providers:product_detail", args=[w["b_recognised"].pk]),
        None,
        _expect(200),
    ),
    (
        "product other draft",
        "get",
        lambda w, c: reverse("providers:product_detail", args=[w["b_draft"].pk]),
        None,
        _expect(200, provider_user=404),
    ),
    (
        "product create",
        "get",
        lambda w, c: reverse("providers:product_create"),
        None,
        _expect(403, admin=200, district_official=200, provider_user=200),
    ),
    (
        "product edit own",
        "get",
        lambda w, c: reverse("providers:product_edit", args=[w["a_draft"].pk]),
        None,
        _expect(403, admin=200, district_official=200, provider_user=200),
    ),
    (
        "product edit other",
        "get",
        lambda w, c: reverse("providers:product_edit", args=[w["b_draft"].pk]),
        None,
        _expect(403, admin=200, district_official=200, provider_user=404),
    ),
    (
        "product recognise",
        "post",
        lambda w, c: reverse("providers:product_action", args=[w["a_draft"].pk, "recognise"]),
        {},
        _expect(403, admin=302, district_official=302),
    ),
    ("bodies", "get", lambda w, c: reverse("providers:body_list"), None, _expect(200, provider_user=403)),
    (
        "body own",
        "get",
        lambda w, c: reverse("providers:body_detail", args=[w["body_a"].pk]),
        None,
        _expect(200, provider_user=403),
    ),
    (
        "body other",
        "get",
        lambda w, c: reverse("providers:body_detail", args=[w["body_b"].pk]),
        None,
        _expect(200, provider_user=403, evaluator=404),
    ),
    (
        "body create",
        "get",
        lambda w, c: reverse("providers:body_create"),
        None,
        _expect(403, admin=200, district_official=200),
    ),
    (
        "body edit",
        "get",
        lambda w, c: reverse("providers:body_edit", args=[w["body_b"].pk]),
        None,
        _expect(403, admin=200, district_official=200, evaluator=404),
    ),
    (
        "body assign",
        "get",
        lambda w, c: reverse("providers:body_assign", args=[w["body_b"].pk]),
        None,
        _expect(403, admin=200, district_official=200, evaluator=404),
    ),
    (
        "end other's assignment",
        "post",
        lambda w, c: reverse("providers:assignment_end", args=["provider", w["b_theirs"].pk]),
        {"reason": "r"},
        _expect(403, provider_user=404, unit_staff=404, evaluator=404, district_official=302, admin=404),
    ),
    (
        "end body assignment",
        "post",
        lambda w, c: reverse("providers:assignment_end", args=["body", w["ev_ours"].pk]),
        {"reason": "r"},
        _expect(403, provider_user=404, district_official=302, admin=404),
    ),
    (
        "assign from enterprise",
        "post",
        lambda w, c: reverse("providers:enterprise_assign", args=[w["ours"].pk, "body"]),
        lambda w, c: {"body-target": w["body_b"].pk},
        _expect(403, admin=302, district_official=302),
    ),
    (
        "assign outside scope",
        "post",
        lambda w, c: reverse("providers:enterprise_assign", args=[w["theirs"].pk, "provider"]),
        {},
        _expect(403, unit_staff=404, provider_user=404, evaluator=404, admin=302, district_official=302),
    ),
    (
        "rate",
        "post",
        lambda w, c: reverse("providers:rating_create"),
        lambda w, c: {"enterprise": w["ours"].pk, "provider": w["prov_b"].pk, "score": "4"},
        _expect(403, unit_staff=302, district_official=302, admin=302, provider_user=404),
    ),
    (
        "scorecards",
        "get",
        lambda w, c: reverse("providers:scorecards"),
        None,
        _expect(200, unit_staff=403, evaluator=403),
    ),
    (
        "recompute",
        "post",
        lambda w, c: reverse("providers:scorecards"),
        {"period": "2025"},
        _expect(403, admin=302, district_official=302),
    ),
    (
        "weights",
        "get",
        lambda w, c: reverse("providers:scorecard_weights"),
        None,
        _expect(200, unit_staff=403, evaluator=403, provider_user=403),
    ),
    (
        "set weights",
        "post",
        lambda w, c: reverse("providers:scorecard_weights"),
        lambda w, c: {f"w_{m.code}": "10" for m in scorecard_metrics()},
        _expect(403, admin=302, district_official=302),
    ),
    (
        "own card",
        "get",
        lambda w, c: reverse("providers:scorecard_detail", args=[c["a"].pk]),
        None,
        _expect(200, unit_staff=403, evaluator=403),
    ),
    (
        "other card",
        "get",
        lambda w, c: reverse("providers:scorecard_detail", args=[c["b"].pk]),
        None,
        _expect(200, unit_staff=403, evaluator=403, provider_user=404),
    ),
    (
        "reply own card",
        "post",
        lambda w, c: reverse("providers:scorecard_detail", args=[c["a"].pk]),
        {"reply": "收到"},
        _expect(403, provider_user=302, admin=302),
    ),
    (
        "reply other card",
        "post",
        lambda w, c: reverse("providers:scorecard_detail", args=[c["b"].pk]),
        {"reply": "收到"},
        _expect(403, provider_user=404, admin=302),
    ),
]


@pytest.mark.parametrize(("label", "method", "url", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, users, world, cards, label, method, url, data, expected):
    target = url(world, cards)
    data = data(world, cards) if callable(data) else data
    anonymous = getattr(client, method)(target, data or {})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url, label
    for role in ROLES:
        client.force_login(users[role])
        response = getattr(client, method)(target, data or {})
        assert response.status_code == expected[role], (label, role, response.status_code)


API = [
    ("providers", "get", lambda w, c: "/api/v1/providers/", None, _expect(200)),
    (
        "provider other",
        "get",
        lambda w, c: f"/api/v1/providers/{w['prov_b'].pk}/",
        None,
        _expect(200, provider_user=404),
    ),
    (
        "provider create",
        "post",
        lambda w, c: "/api/v1/providers/",
        {"credit_code": "91350100M000100Y43", "name": "新", "type": "specialised"},
        _expect(403, district_official=201, admin=409),
    ),
    (
        "provider patch",
        "patch",
        lambda w, c: f"/api/v1/providers/{w['prov_b'].pk}/",
        {"key_provider_since": "2025-02-02"},
        _expect(403, provider_user=404, district_official=200, admin=200),
    ),
    (
        "provider events",
        "get",
        lambda w, c: f"/api/v1/providers/{w['prov_b'].pk}/events/",
        None,
        _expect(200, provider_user=404),
    ),
    ("evaluators", "get", lambda w, c: "/api/v1/evaluators/", None, _expect(200, provider_user=403)),
    (
        "evaluator other",
        "get",
        lambda w, c: f"/api/v1/evaluators/{w['body_b'].pk}/",
        None,
        _expect(200, provider_user=403, evaluator=404),
    ),
    (
        "evaluator patch",
        "patch",
        lambda w, c: f"/api/v1/evaluators/{w['body_b'].pk}/",
        {"name": "丙"},
        _expect(403, evaluator=404, district_official=200, admin=200),
    ),
    ("products", "get", lambda w, c: "/api/v1/products/", None, _expect(200)),
    (
        "product other draft",
        "get",
        lambda w, c: f"/api/v1/products/{w['b_draft'].pk}/",
        None,
        _expect(200, provider_user=404),
    ),
    (
        "product create",
        "post",
        lambda w, c: "/api/v1/products/",
        lambda w, c: {"provider": w["prov_a"].pk, "name": "矩阵"},
        _expect(403, provider_user=201, district_official=409, admin=409),
    ),
    (
        "product recognise",
        "post",
        lambda w, c: f"/api/v1/products/{w['a_draft'].pk}/recognise/",
        {},
        _expect(403, district_official=200, admin=200),
    ),
    ("provider assignments", "get", lambda w, c: "/api/v1/provider-assignments/", None, _expect(200)),
    (
        "provider assignment other",
        "get",
        lambda w, c: f"/api/v1/provider-assignments/{w['b_theirs'].pk}/",
        None,
        _expect(200, provider_user=404, unit_staff=404, evaluator=404),
    ),
    (
        "provider assign",
        "post",
        lambda w, c: "/api/v1/provider-assignments/",
        lambda w, c: {"enterprise": w["unassigned"].pk, "provider": w["prov_a"].pk},
        _expect(403, district_official=201, admin=201),
    ),
    ("evaluator assignments", "get", lambda w, c: "/api/v1/evaluator-assignments/", None, _expect(200)),
    (
        "evaluator assignment other",
        "get",
        lambda w, c: f"/api/v1/evaluator-assignments/{w['ev_theirs'].pk}/",
        None,
        _expect(200, provider_user=404, unit_staff=404, evaluator=404),
    ),
    ("ratings", "get", lambda w, c: "/api/v1/provider-ratings/", None, _expect(200, evaluator=403)),
    (
        "rating other",
        "get",
        lambda w, c: f"/api/v1/provider-ratings/{w['rating_b'].pk}/",
        None,
        _expect(200, evaluator=403, provider_user=404, unit_staff=404),
    ),
    (
        "rate",
        "post",
        lambda w, c: "/api/v1/provider-ratings/",
        lambda w, c: {"enterprise": w["ours"].pk, "provider": w["prov_a"].pk, "score": 3},
        _expect(403, unit_staff=201, district_official=201, admin=201),
    ),
    ("scorecards", "get", lambda w, c: "/api/v1/scorecards/", None, _expect(200, unit_staff=403, evaluator=403)),
    (
        "scorecard other",
        "get",
        lambda w, c: f"/api/v1/scorecards/{c['b'].pk}/",
        None,
        _expect(200, unit_staff=403, evaluator=403, provider_user=404),
    ),
    (
        "scorecard reply",
        "post",
        lambda w, c: f"/api/v1/scorecards/{c['a'].pk}/reply/",
        {"reply": "好"},
        _expect(403, provider_user=200, admin=200),
    ),
    (
        "compute",
        "post",
        lambda w, c: "/api/v1/scorecards/compute/",
        {"period": "2025"},
        _expect(403, district_official=202, admin=202),
    ),
    (
        "weights",
        "get",
        lambda w, c: "/api/v1/scorecard-weights/",
        None,
        _expect(200, unit_staff=403, evaluator=403, provider_user=403),
    ),
    (
        "set weights",
        "put",
        lambda w, c: "/api/v1/scorecard-weights/",
        {"weights": {"on_time": 10}},
        _expect(403, district_official=200, admin=200),
    ),
]


@pytest.mark.parametrize(("label", "method", "url", "data", "expected"), API, ids=[a[0] for a in API])
def test_api(api, users, world, cards, label, method, url, data, expected):
    target = url(world, cards)
    data = data(world, cards) if callable(data) else data
    anonymous = getattr(api, method)(target, data or {}, format="json")
    assert anonymous.status_code == 401, label
    for role in ROLES:
        response = getattr(api.as_user(users[role]), method)(target, data or {}, format="json")
        assert response.status_code == expected[role], (label, role, response.status_code, response.content[:300])
        assert response.status_code < 500


def test_scope_a_provider_never_sees_another_providers_enterprises(client, api, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    assert client.get(reverse("enterprises:detail", args=[world["ours"].pk])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[world["theirs"].pk])).status_code == 404
    assert api.as_user(users[Role.PROVIDER_USER]).get(f"/api/v1/enterprises/{world['theirs'].pk}/").status_code == 404
    page = client.get(reverse("providers:detail", args=[world["prov_a"].pk])).content.decode()
    assert "上海车墩乙独家公司" not in page


def test_dates_default_to_today_in_shanghai(world):
    rating = services.rating_create(
        actor=world["district"], enterprise=world["theirs"], provider=world["prov_b"], score=5
    )
    from django.utils import timezone

    assert rating.rated_on == timezone.localdate()
    assert isinstance(rating.rated_on, datetime.date)
