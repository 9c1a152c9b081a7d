"""Who reaches what on every funding page: anonymous callers (sent to log in), each role, in scope and
out of scope (out of scope answers 404, exactly as a missing record does)."""

import pytest
from django.urls import reverse

from core.roles import Role
from funding.models import Recognition
from funding.services import recognitions

A, D, F, U, P, E, AU = (
    Role.ADMIN,
    Role.DISTRICT_OFFICIAL,
    Role.FINANCE_OFFICER,
    Role.UNIT_STAFF,
    Role.PROVIDER_USER,
    Role.EVALUATOR,
    Role.AUDITOR,
)
#: Beside the seven role fixtures: the provider and evaluator who serve E1 (in scope).
EXTRA = ("pa", "ex")
ROLES = [A, D, F, U, P, E, AU, *EXTRA]
LEDGER = {A: 200, D: 200, F: 200, AU: 200}


@pytest.fixture
def world(world):
    w = world
    w["recognition"] = recognitions.recognition_create(
        actor=w["district"], kind="digital_workshop", level="district", recognised_on="2025-06-01",
        title="岳阳甲数字化车间", enterprise=w["e1"],
    )  # fmt: skip
    w["recognition_e2"] = recognitions.recognition_create(
        actor=w["district"], kind="smart_factory", level="municipal", recognised_on="2025-07-01",
        title="永丰乙智能工厂", enterprise=w["e2"],
    )  # fmt: skip
    return w


def expect(default, **by_role):
    table = dict.fromkeys(ROLES, default)
    for key, value in by_role.items():
        table[Role(key) if key not in EXTRA else key] = value
    return table


def ledger_only(**more):
    return expect(403, **{"admin": 200, "district_official": 200, "finance_officer": 200, "auditor": 200, **more})


PAGES = [
    ("project list", lambda w: reverse("funding:project_list"), expect(200)),
    ("project export", lambda w: reverse("funding:project_export") + "?format=csv", expect(200)),
    (
        "project in E1",
        lambda w: reverse("funding:project_detail", args=[w["filed"].pk]),
        expect(200, provider_user=404, evaluator=404),
    ),
    (
        "project in E2 (another unit, provider, body)",
        lambda w: reverse("funding:project_detail", args=[w["passed"].pk]),
        expect(200, unit_staff=404, provider_user=404, evaluator=404, pa=404, ex=404),
    ),
    ("missing project", lambda w: reverse("funding:project_detail", args=[999999]), expect(404)),
    (
        "file a project",
        lambda w: reverse("funding:project_create"),
        expect(403, admin=200, district_official=200, provider_user=200, pa=200),
    ),  # fmt: skip
    (
        "edit a filed project",
        lambda w: reverse("funding:project_edit", args=[w["filed"].pk]),
        expect(403, admin=200, district_official=200, pa=200, provider_user=404, evaluator=404),
    ),
    (
        "acceptance form",
        lambda w: reverse("funding:acceptance_create", args=[w["requested"].pk]),
        expect(403, admin=200, ex=200, provider_user=404, evaluator=404),
    ),
    ("acceptance queue", lambda w: reverse("funding:acceptance_queue"), expect(403, admin=200, evaluator=200, ex=200)),
    ("recognition list", lambda w: reverse("funding:recognition_list"), expect(200)),
    ("recognition export", lambda w: reverse("funding:recognition_export") + "?format=xlsx", expect(200)),
    (
        "recognition of E1",
        lambda w: reverse("funding:recognition_detail", args=[w["recognition"].pk]),
        expect(200, provider_user=404, evaluator=404),
    ),
    (
        "recognition of E2",
        lambda w: reverse("funding:recognition_detail", args=[w["recognition_e2"].pk]),
        expect(200, unit_staff=404, provider_user=404, evaluator=404, pa=404, ex=404),
    ),
    ("new recognition", lambda w: reverse("funding:recognition_create"), expect(403, admin=200, district_official=200)),
    (
        "edit recognition",
        lambda w: reverse("funding:recognition_edit", args=[w["recognition"].pk]),
        expect(403, admin=200, district_official=200, provider_user=404, evaluator=404),
    ),
    ("ledger", lambda w: reverse("funding:ledger"), ledger_only()),
    ("ledger source", lambda w: reverse("funding:ledger_source", args=["central"]), ledger_only()),
    (
        "unknown source",
        lambda w: reverse("funding:ledger_source", args=["nowhere"]),
        ledger_only(admin=404, district_official=404, finance_officer=404, auditor=404),
    ),  # fmt: skip
    ("budget line", lambda w: reverse("funding:budget_line", args=[w["sme_line"].pk]), ledger_only()),
    ("ledger export", lambda w: reverse("funding:ledger_export"), ledger_only()),
    ("set a budget", lambda w: reverse("funding:budget_line_create"), expect(403, admin=200, finance_officer=200)),
    (
        "change a budget",
        lambda w: reverse("funding:budget_line_edit", args=[w["sme_line"].pk]),
        expect(403, admin=200, finance_officer=200),
    ),
    ("commitments", lambda w: reverse("funding:commitment_list"), ledger_only()),
    ("commitment", lambda w: reverse("funding:commitment_detail", args=[w["commitment"].pk]), ledger_only()),
    ("new commitment", lambda w: reverse("funding:commitment_create"), expect(403, admin=200, district_official=200)),
    (
        "commit a project's subsidy",
        lambda w: reverse("funding:project_commit", args=[w["passed"].pk]),
        expect(403, admin=200, district_official=200, unit_staff=404, provider_user=404, evaluator=404, pa=404, ex=404),
    ),  # fmt: skip
    ("payment queue", lambda w: reverse("funding:payment_queue"), ledger_only()),
    ("payment", lambda w: reverse("funding:disbursement_detail", args=[w["payment"].pk]), ledger_only()),
    ("policy", lambda w: reverse("funding:policy_list"), ledger_only()),
    (
        "edit policy",
        lambda w: reverse("funding:policy_edit", args=[w["policy"].pk]),
        expect(403, admin=200, district_official=200, finance_officer=200),
    ),
    ("financing list", lambda w: reverse("funding:financing"), expect(200)),
    ("financing export", lambda w: reverse("funding:financing_export"), ledger_only(unit_staff=200)),
    (
        "new financial product",
        lambda w: reverse("funding:product_create"),
        expect(403, admin=200, district_official=200),
    ),  # fmt: skip
    (
        "grant an interest subsidy",
        lambda w: reverse("funding:interest_subsidy_create"),
        expect(403, admin=200, district_official=200),
    ),
]


def _user(users, world, role):
    return world[role] if role in EXTRA else users[role]


@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permission_matrix(client, users, world, name, url, expected):
    target = url(world)
    response = client.get(target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    for role in ROLES:
        client.force_login(_user(users, world, role))
        response = client.get(target)
        assert response.status_code == expected[role], (name, role, response.status_code)


POSTS = [
    ("approve", lambda w: reverse("funding:project_action", args=[w["filed"].pk, "approve"]), {}),
    ("cancel", lambda w: reverse("funding:project_action", args=[w["filed"].pk, "cancel"]), {"cancel-reason": "x"}),
    (
        "progress",
        lambda w: reverse("funding:project_action", args=[w["filed"].pk, "progress"]),
        {"progress-progress": 5},
    ),
    ("correct", lambda w: reverse("funding:acceptance_correct", args=[w["acceptance"].pk]), {"correct-reason": "x"}),
    ("request payment", lambda w: reverse("funding:commitment_action", args=[w["commitment"].pk, "request"]), {}),
    ("approve payment", lambda w: reverse("funding:disbursement_action", args=[w["payment"].pk, "approve"]), {}),
    ("pay", lambda w: reverse("funding:disbursement_action", args=[w["payment"].pk, "pay"]), {"pay-voucher_no": "V1"}),
]


@pytest.mark.parametrize(("name", "url", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_actions_refuse_roles_that_may_not_take_them(client, users, world, name, url, data):
    """Unit staff, auditors and evaluators never move a project or money (403, or 404 when out of scope);
    nothing changes."""
    target = url(world)
    before = (world["filed"].status, world["payment"].status)
    for role, allowed in ((U, {403, 404}), (AU, {403}), (E, {403, 404}), (P, {403, 404})):
        client.force_login(users[role])
        response = client.post(target, data)
        assert response.status_code in allowed, (name, role, response.status_code)
    world["filed"].refresh_from_db()
    world["payment"].refresh_from_db()
    assert (world["filed"].status, world["payment"].status) == before


def test_a_finance_officer_cannot_move_a_project_and_a_district_official_cannot_pay(client, world):
    client.force_login(world["finance"])
    assert client.post(reverse("funding:project_action", args=[world["filed"].pk, "approve"])).status_code == 403
    client.force_login(world["district"])
    response = client.post(
        reverse("funding:disbursement_action", args=[world["payment"].pk, "approve"]), {"approve-date": ""}
    )
    assert response.status_code == 403
    world["payment"].refresh_from_db()
    assert world["payment"].status == "requested"


def test_the_menu_shows_each_role_its_funding_entries(client, users, world):
    expectations = {
        Role.FINANCE_OFFICER: ({"funding:ledger", "funding:payment_queue", "funding:project_list"}, set()),
        Role.EVALUATOR: ({"funding:acceptance_queue", "funding:project_list"}, {"funding:ledger"}),
        Role.PROVIDER_USER: ({"funding:project_list"}, {"funding:ledger", "funding:payment_queue"}),
        Role.UNIT_STAFF: ({"funding:project_list"}, {"funding:ledger"}),
        Role.DISTRICT_OFFICIAL: ({"funding:ledger", "funding:project_list"}, {"funding:payment_queue"}),
    }
    for role, (present, absent) in expectations.items():
        client.force_login(users[role])
        nav = client.get("/").content.decode()
        nav = nav[nav.index('id="mainnav"') : nav.index("</aside>", nav.index('id="mainnav"'))]
        for name in present:
            assert f'href="{reverse(name)}"' in nav, (role, name)
        for name in absent:
            assert f'href="{reverse(name)}"' not in nav, (role, name)


def test_the_funding_tabs_lead_to_recognitions_and_the_financing_list(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    html = client.get(reverse("funding:project_list")).content.decode()
    for name in ("funding:recognition_list", "funding:financing"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("funding:ledger")}"' not in html  # the ledger tab only for those who may read it
    client.force_login(users[Role.AUDITOR])
    html = client.get(reverse("funding:project_list")).content.decode()
    assert f'href="{reverse("funding:ledger")}"' in html and f'href="{reverse("funding:payment_queue")}"' in html


def test_list_pages_stay_within_a_fixed_number_of_queries(client, users, world, django_assert_max_num_queries):
    for n in range(5):
        recognitions.recognition_create(
            actor=world["district"], kind="typical_scenario", level="district", recognised_on="2025-05-01",
            title=f"典型场景 {n}", enterprise=world["e1"],
        )  # fmt: skip
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    for name in ("funding:project_list", "funding:recognition_list", "funding:ledger", "funding:payment_queue"):
        with django_assert_max_num_queries(40):
            assert client.get(reverse(name)).status_code == 200
    assert Recognition.objects.count() == 7
