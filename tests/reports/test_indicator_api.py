"""GET /api/v1/indicators/report/: the contract's shape, targets as data, scope and bad input."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from reports.models import Indicator, IndicatorTarget, ReportingPeriod
from tests.factories import EnterpriseFactory

NUMBERS = ["1", "2", "1+2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "R1", "R2", "R3"]


def test_the_indicator_table_comes_with_every_database(db):
    assert list(Indicator.objects.order_by("order").values_list("number", flat=True)) == NUMBERS
    assert list(ReportingPeriod.objects.values_list("code", "start", "end")) == [
        ("2025", datetime.date(2024, 10, 1), datetime.date(2025, 12, 31)),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 10, 31)),
        ("total", datetime.date(2024, 10, 1), None),
    ]
    target = IndicatorTarget.objects.get(indicator__number="1+2", period__code="total", unit=None)
    assert target.target == 520
    assert IndicatorTarget.objects.get(indicator__number="R1", period__code="2025").target == Decimal("0.9")


def test_the_report_has_all_seventeen_rows_in_the_contracts_shape(api, users):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).get(
        "/api/v1/indicators/report/", {"period": "2025", "as_of": "2025-12-31"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {"period", "unit", "as_of", "indicators"}
    assert (body["period"], body["unit"], body["as_of"]) == ("2025", None, "2025-12-31")
    assert [row["number"] for row in body["indicators"]] == NUMBERS
    row = {r["number"]: r for r in body["indicators"]}
    assert set(row["1"]) == {"number", "name", "unit_of_measure", "target", "actual", "completion"}
    assert row["1"]["target"] == 275 and row["1+2"]["target"] == 281 and row["R1"]["target"] == 0.9
    assert row["1"]["actual"] == 0 and row["1"]["completion"] == 0
    assert row["R2"]["actual"] is None and row["R2"]["completion"] is None  # no enterprise counted in 1+2


def test_cloud_adoption_counts_and_completion_is_actual_over_target(api, users, units):
    for day in (datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)):
        EnterpriseFactory(unit=units["310117001"], cloud_verified_on=day)
    EnterpriseFactory(unit=units["310117001"], cloud_verified_on=datetime.date(2024, 9, 30))  # before the pilot
    body = api.as_user(users[Role.AUDITOR]).get("/api/v1/indicators/report/", {"period": "2025"}).json()
    five = next(r for r in body["indicators"] if r["number"] == "5")
    assert five["actual"] == 2 and five["completion"] == pytest.approx(2 / 281, abs=1e-4)


def test_a_units_report_uses_its_own_targets_and_leaves_6_and_9_empty(api, users, units):
    indicator = Indicator.objects.get(number="5")
    period = ReportingPeriod.objects.get(code="2025")
    IndicatorTarget.objects.create(indicator=indicator, period=period, unit=units["310117001"], target=10)
    body = api.as_user(users[Role.UNIT_STAFF]).get("/api/v1/indicators/report/", {"period": "2025"}).json()
    assert body["unit"] == "310117001"
    rows = {r["number"]: r for r in body["indicators"]}
    assert rows["5"]["target"] == 10 and rows["1"]["target"] is None
    assert rows["6"] == {**rows["6"], "target": None, "actual": None, "completion": None}
    assert rows["9"]["actual"] is None


@pytest.mark.parametrize(
    ("role", "query", "status"),
    [
        (Role.DISTRICT_OFFICIAL, {"period": "total"}, 200),
        (Role.FINANCE_OFFICER, {"period": "2026"}, 200),
        (Role.AUDITOR, {"period": "2026", "unit": "310117104"}, 200),
        (Role.UNIT_STAFF, {"period": "2025", "unit": "310117001"}, 200),
        (Role.UNIT_STAFF, {"period": "2025", "unit": "310117104"}, 403),
        (Role.PROVIDER_USER, {"period": "2025"}, 403),
        (Role.EVALUATOR, {"period": "2025"}, 403),
        (Role.DISTRICT_OFFICIAL, {"period": "2027"}, 400),
        (Role.DISTRICT_OFFICIAL, {}, 400),
        (Role.DISTRICT_OFFICIAL, {"period": "2025", "unit": "999"}, 400),
        (Role.DISTRICT_OFFICIAL, {"period": "2025", "as_of": "2025-13-01"}, 400),
    ],
)
def test_who_may_ask_and_what_is_refused(api, users, role, query, status):
    response = api.as_user(users[role]).get("/api/v1/indicators/report/", query)
    assert response.status_code == status, response.json()
    if status == 400:
        assert {"code", "message"} <= set(response.json())


def test_an_as_of_after_today_is_a_400_and_anonymous_callers_are_refused(api, users):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).get(
        "/api/v1/indicators/report/", {"period": "total", "as_of": tomorrow}
    )
    assert response.status_code == 400 and response.json()["code"] == "as_of_in_future"
    assert APIClient().get("/api/v1/indicators/report/", {"period": "total"}).status_code in (401, 403)
