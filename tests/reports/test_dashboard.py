"""The indicator dashboard: three periods side by side, the heat map, levels before and after, money
committed and paid, freshness and the snapshot button, scope, and a bounded number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from enterprises.choices import Size
from reports.models import Indicator, IndicatorTarget, ReportingPeriod
from reports.services.snapshots import snapshot_compute, snapshot_request

D = datetime.date
URL = "/reports/indicators/"


def cells(response, number):
    """{period code: cell} of one row of the dashboard's table."""
    row = next(r for r in response.context["table"] if r["indicator"].number == number)
    return {c["period"]: c for c in row["cells"]}


def test_the_table_shows_2025_2026_and_total_side_by_side(client, users, dash):
    dash.transformed(D(2025, 5, 1), cloud_verified_on=D(2025, 6, 1))
    dash.transformed(D(2026, 3, 1))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(URL)
    assert response.status_code == 200
    one = cells(response, "1")
    assert (one["2025"]["actual"], one["2026"]["actual"], one["total"]["actual"]) == ("1", "1", "2")
    assert (one["2025"]["target"], one["2026"]["target"], one["total"]["target"]) == ("275", "239", "514")
    # Ratios as per cent: one of the two pilot enterprises has verified cloud adoption.
    r3 = cells(response, "R3")
    assert r3["total"]["actual"] == "50%" and r3["total"]["target"] == "100%" and r3["total"]["completion"] == 50
    page = response.content.decode()
    assert page.count("data-number=") >= 17 and page.count('class="progress"') >= 3
    assert 'data-period="total" data-source="live"' in page


def test_every_number_links_to_the_records_behind_it(client, users, dash):
    dash.transformed(D(2025, 5, 1))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get(URL).content.decode()
    links = re.findall(r'class="indicator-(?:actual|target)[^"]*" href="([^"]+)"', page)
    assert len(links) == 17 * 3 * 2
    assert "/reports/indicators/1/?period=2025&amp;as_of=" in page
    assert "/reports/indicators/1+2/?period=total" in page and "/reports/indicators/R1/?period=2026" in page


def test_the_heat_map_shows_each_units_completion_against_its_allocated_target(client, users, dash, units):
    dash.transformed(D(2025, 5, 1))
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(number="1"),
        period=ReportingPeriod.objects.get(code="total"),
        unit=units["310117104"],
        target=Decimal("4"),
    )
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(URL)
    heat = response.context["heat"]
    assert len(heat["units"]) == 18 and "6" not in heat["numbers"] and "9" not in heat["numbers"]
    x, y = heat["numbers"].index("1"), heat["codes"].index("310117104")
    cell = next(c for c in heat["cells"] if c[0] == x and c[1] == y)
    assert cell[2:] == [25, "1", "4"]
    other = next(c for c in heat["cells"] if c[0] == x and c[1] == heat["codes"].index("310117001"))
    assert other[2] is None  # no target allocated: no completion
    assert 'id="heat-chart"' in response.content.decode()


def test_level_distribution_before_and_after(client, users, dash):
    a = dash.enterprise()
    dash.evaluation(a, dash.Stage.BASELINE, 1, D(2025, 1, 10))
    dash.evaluation(a, dash.Stage.POST, 2, D(2025, 6, 1))
    dash.evaluation(a, dash.Stage.POST, 3, D(2025, 9, 1))  # the latest post counts
    b = dash.enterprise()
    dash.evaluation(b, dash.Stage.BASELINE, 2, D(2025, 1, 10))
    dash.evaluation(b, dash.Stage.POST, 4, D(2025, 6, 1), method="self")  # not on site
    dash.enterprise()
    large = dash.enterprise(size=Size.LARGE)
    dash.evaluation(large, dash.Stage.BASELINE, 4, D(2025, 1, 10))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    levels = client.get(URL).context["levels"]
    assert levels["before"] == [0, 1, 1, 0, 0] and levels["not_before"] == 1
    assert levels["after"] == [0, 0, 0, 1, 0] and levels["not_after"] == 2


def test_money_committed_and_paid_by_fund_source_district_and_unit(client, users, dash):
    dash.money(dash.enterprise("310117104"), "100000", paid="40000")
    dash.money(dash.enterprise("310117001"), "50000")
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    money = {m["source"].code: m for m in client.get(URL).context["money"]}
    assert money["central"]["committed"] == Decimal("150000") and money["central"]["paid"] == Decimal("40000")
    assert money["district"]["committed"] == 0
    unit = {m["source"].code: m for m in client.get(URL, {"unit": "310117104"}).context["money"]}
    assert unit["central"]["committed"] == Decimal("100000") and unit["central"]["paid"] == Decimal("40000")
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(URL)
    own = {m["source"].code: m for m in response.context["money"]}
    assert own["central"]["committed"] == Decimal("50000") and own["central"]["paid"] == 0
    # 万元, the exact 元 on hover.
    assert re.search(
        r'<td class="text-end money-committed"><span class="money" title="50,000.00 元"[^>]*>5.00</span></td>',
        response.content.decode(),
    )


def test_the_dashboard_reads_the_latest_snapshot_and_says_how_fresh_it_is(client, users, dash):
    dash.transformed(D(2025, 5, 1))
    district = users[Role.DISTRICT_OFFICIAL]
    snapshot = snapshot_request(actor=district, period=ReportingPeriod.objects.get(code="2025"), as_of="2025-12-31")
    assert snapshot_compute(snapshot.pk) == "done"
    dash.transformed(D(2025, 6, 1))  # after the snapshot: the 2025 column does not see it yet
    client.force_login(district)
    response = client.get(URL)
    columns = {c["period"].code: c for c in response.context["columns"]}
    assert columns["2025"]["snapshot"].pk == snapshot.pk and columns["2025"]["as_of"] == D(2025, 12, 31)
    assert columns["total"]["snapshot"] is None
    one = cells(response, "1")
    assert one["2025"]["actual"] == "1" and one["total"]["actual"] == "2"
    assert 'data-period="2025" data-source="district"' in response.content.decode()
    # The trend of the 2025 period comes from its snapshots.
    trend = client.get(URL, {"period": "2025"}).context["trend"]
    assert trend["dates"] == ["2025-12-31"] and {"name": "1", "data": [1.0]} in trend["series"]
    # An explicit as-of date computes every period now.
    live = client.get(URL, {"as_of": "2025-12-31"})
    assert all(c["snapshot"] is None for c in live.context["columns"])
    assert cells(live, "1")["2025"]["actual"] == "2"


@pytest.mark.parametrize(("role", "shown"), [(Role.DISTRICT_OFFICIAL, True), (Role.AUDITOR, True),
                                             (Role.UNIT_STAFF, True), (Role.FINANCE_OFFICER, False)])  # fmt: skip
def test_the_snapshot_button_is_shown_to_roles_that_may_request(client, users, role, shown):
    client.force_login(users[role])
    page = client.get(URL).content.decode()
    assert ('id="snapshot-request-form"' in page) is shown
    if shown:
        assert f'action="{reverse("reports:snapshot_request")}"' in page


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
    assert client.get(URL).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unit_staff_see_their_units_version_only(client, users, dash):
    dash.transformed(D(2025, 5, 1), unit="310117001")
    dash.transformed(D(2025, 5, 1), unit="310117104")
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(URL)
    assert response.context["unit"].code == "310117001" and response.context["heat"] is None
    assert cells(response, "1")["total"]["actual"] == "1" and cells(response, "6")["total"]["actual"] == "—"
    assert 'id="heat-chart"' not in response.content.decode() and not response.context["units"]
    assert client.get(URL, {"unit": "310117104"}).status_code == 403


def test_bad_inputs_are_explained_not_a_500(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    for params in ({"as_of": future}, {"as_of": "31/12/2025"}, {"unit": "999"}, {"period": "2030"}):
        response = client.get(URL, params)
        assert response.status_code == 200 and response.context["error"], params
        assert 'id="dashboard-error"' in response.content.decode()


def _queries(client, params=None):
    cache.clear()  # cold: the snapshots' cached payloads and series would hide queries
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_costs_a_bounded_number_of_queries(client, users, dash):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    for i in range(2):
        e = dash.transformed(D(2025, 5, 1 + i), unit="310117001", cloud_verified_on=D(2025, 6, 1))
        dash.evaluation(e, dash.Stage.POST, 2, D(2025, 6, 1))
        dash.money(e, "1000", paid="500")
    small, small_unit = _queries(client), _queries(client, {"unit": "310117001"})
    for i in range(10):
        e = dash.transformed(D(2025, 7, 1 + i), unit=("310117104", "310117001")[i % 2])
        dash.evaluation(e, dash.Stage.BASELINE, 1, D(2025, 1, 1))
        dash.money(e, "1000", paid="200")
    assert _queries(client) == small and _queries(client, {"unit": "310117001"}) == small_unit
    assert small <= 50
