"""The home page's enterprise figures and per-unit table: one grouped count of the viewer's scope
(by unit and status) gives both, the same numbers as counting each separately."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from enterprises.selectors import enterprise_counts, enterprise_status_counts, unit_enterprise_counts
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(units):
    for code, status, n in (
        ("310117001", "active", 3),
        ("310117001", "proposed", 2),
        ("310117001", "withdrawn", 1),
        ("310117002", "active", 4),
        ("310117002", "declined", 1),
        ("310117104", "proposed", 1),
    ):
        for _ in range(n):
            EnterpriseFactory(unit=units[code], status=status)


def grouped_counts(queries):
    return [
        q["sql"]
        for q in queries
        if 'FROM "enterprises_enterprise"' in q["sql"] and "GROUP BY" in q["sql"] and "COUNT(" in q["sql"]
    ]


def test_the_district_home_counts_the_registry_once_for_the_figures_and_the_unit_table(client, users, registry):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["status_counts"] == {"proposed": 3, "active": 7, "declined": 1, "withdrawn": 1, "merged": 0}
    rows = {row["unit__code"]: row for row in response.context["unit_rows"]}
    assert (rows["310117001"]["active"], rows["310117001"]["proposed"], rows["310117001"]["withdrawn"]) == (3, 2, 1)
    assert (rows["310117002"]["active"], rows["310117002"]["proposed"], rows["310117002"]["withdrawn"]) == (4, 0, 0)
    assert (rows["310117104"]["active"], rows["310117104"]["proposed"]) == (0, 1)
    counted = grouped_counts(queries.captured_queries)
    # One scan of the registry, COUNT(*) so that PostgreSQL can answer from the (unit, status) index.
    assert len(counted) == 1 and "COUNT(*)" in counted[0]


def test_unit_staff_home_counts_only_their_unit(client, users, registry):
    client.force_login(users[Role.UNIT_STAFF])  # 岳阳街道 (310117001)
    response = client.get(reverse("home"))
    assert response.context["status_counts"] == {"proposed": 2, "active": 3, "declined": 0, "withdrawn": 1, "merged": 0}
    assert [row["unit__code"] for row in response.context["unit_rows"]] == ["310117001"]


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.UNIT_STAFF, Role.PROVIDER_USER]
)
def test_the_shared_counts_give_what_the_selectors_count_on_their_own(users, registry, role):
    viewer = users[role]
    counts = enterprise_counts(viewer=viewer)
    assert enterprise_status_counts(viewer=viewer, counts=counts) == enterprise_status_counts(viewer=viewer)
    assert unit_enterprise_counts(viewer=viewer, counts=counts) == unit_enterprise_counts(viewer=viewer)


def test_the_provider_figures_on_the_home_page(client, users):
    from providers.models import Provider

    client.force_login(users[Role.DISTRICT_OFFICIAL])
    context = client.get(reverse("home")).context
    assert context["provider_count"] == Provider.objects.count()
    assert context["key_provider_count"] == Provider.objects.filter(key_provider_since__isnull=False).count()
