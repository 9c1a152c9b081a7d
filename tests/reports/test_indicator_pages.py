"""The indicator dashboard page: who sees it, what it shows."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import EnterpriseFactory


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("reports:indicators"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMIN, 200),
        (Role.DISTRICT_OFFICIAL, 200),
        (Role.FINANCE_OFFICER, 200),
        (Role.AUDITOR, 200),
        (Role.UNIT_STAFF, 200),
        (Role.PROVIDER_USER, 403),
        (Role.EVALUATOR, 403),
    ],
)
def test_who_may_open_the_dashboard(client, users, role, status):
    client.force_login(users[role])
    assert client.get(reverse("reports:indicators")).status_code == status


def test_the_district_sees_every_indicator_and_each_units_actuals(client, users, units):
    EnterpriseFactory(unit=units["310117104"], cloud_verified_on=datetime.date(2025, 5, 1))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(reverse("reports:indicators"), {"period": "2025"})
    page = response.content.decode()
    assert page.count("<tr data-number=") == 17 and 'id="heat-chart"' in page
    rows = {r["indicator"].number: {c["period"]: c for c in r["cells"]} for r in response.context["table"]}
    assert rows["5"]["2025"]["actual"] == "1" and rows["5"]["2026"]["actual"] == "0"
    heat = response.context["heat"]
    x = heat["numbers"].index("5")
    by_unit = {heat["codes"][c[1]]: c[3] for c in heat["cells"] if c[0] == x}
    assert by_unit["310117104"] == "1" and by_unit["310117001"] == "0"


def test_unit_staff_see_their_own_unit_only(client, users, units):
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(reverse("reports:indicators"), {"period": "2025"})
    assert response.context["unit"].code == "310117001" and response.context["heat"] is None
    assert client.get(reverse("reports:indicators"), {"unit": "310117104"}).status_code == 403


def test_a_bad_as_of_is_explained_not_a_500(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.get(reverse("reports:indicators"), {"period": "2025", "as_of": future})
    assert response.status_code == 200 and response.context["error"]
