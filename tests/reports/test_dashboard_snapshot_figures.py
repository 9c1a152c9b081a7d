"""A dashboard served from a snapshot reads the levels and the money frozen with it (no aggregate over
the whole programme), for the district and for a unit out of the district snapshot's annex; an explicit
as-of date, or a snapshot without them, computes them now."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from diagnostics.choices import Stage
from reports.models import ReportingPeriod, ReportSnapshot
from reports.services.snapshots import snapshot_compute, snapshot_request

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("reports:indicators")


def money(response):
    return {m["source"].code: m for m in response.context["money"]}


@pytest.fixture
def frozen(users, dash):
    """A total snapshot after 100,000 committed (40,000 paid) in 310117104 and a level 1 → 3 enterprise."""
    enterprise = dash.transformed(D(2025, 5, 1))
    dash.evaluation(enterprise, Stage.BASELINE, 1, D(2025, 1, 10))
    dash.evaluation(enterprise, Stage.POST, 3, D(2025, 6, 10))
    dash.money(enterprise, "100000", paid="40000")
    snapshot = snapshot_request(actor=users[Role.DISTRICT_OFFICIAL], period=ReportingPeriod.objects.get(code="total"))
    assert snapshot_compute(snapshot.pk) == "done"
    snapshot.refresh_from_db()
    # After the snapshot: more money and another evaluated enterprise.
    later = dash.enterprise("310117001")
    dash.evaluation(later, Stage.BASELINE, 2, D(2025, 2, 1))
    dash.money(later, "50000")
    return snapshot


def test_the_snapshot_stores_levels_and_money_for_the_district_and_each_unit(frozen):
    extras = frozen.extras
    assert extras["levels"]["before"][1] == 1 and extras["levels"]["after"][3] == 1
    central = next(m for m in extras["money"] if m["source"] == "central")
    assert Decimal(central["committed"]) == Decimal("100000") and Decimal(central["paid"]) == Decimal("40000")
    assert len(extras["units"]) == 18
    assert extras["units"]["310117104"]["levels"]["after"][3] == 1
    assert extras["units"]["310117001"]["levels"]["before"] == [0, 0, 0, 0, 0]


def test_the_district_dashboard_reads_them_from_the_snapshot(client, users, frozen):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(URL)
    assert response.context["extras_snapshot"].pk == frozen.pk
    assert money(response)["central"]["committed"] == Decimal("100000")  # not the 50,000 committed since
    assert response.context["levels"]["before"][2] == 0  # nor the level-2 baseline since
    assert frozen.as_of.isoformat() in response.content.decode().split('id="money-source"')[1][:200]


def test_a_unit_reads_its_figures_from_the_district_snapshots_annex(client, users, frozen):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(URL, {"unit": "310117104"})
    assert response.context["extras_snapshot"].pk == frozen.pk
    assert money(response)["central"]["paid"] == Decimal("40000")
    client.force_login(users[Role.UNIT_STAFF])  # 岳阳街道: nothing in the snapshot, 50,000 since
    own = client.get(URL)
    assert money(own)["central"]["committed"] == 0


def test_an_explicit_as_of_date_or_an_older_snapshot_computes_them_now(client, users, frozen):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    live = client.get(URL, {"as_of": frozen.as_of.isoformat()})
    assert live.context["extras_snapshot"] is None
    assert money(live)["central"]["committed"] == Decimal("150000")
    ReportSnapshot.objects.filter(pk=frozen.pk).update(extras={})  # as stored before they were kept
    older = client.get(URL)
    assert older.context["extras_snapshot"] is None and money(older)["central"]["committed"] == Decimal("150000")


def test_served_from_snapshots_the_dashboard_costs_few_queries_whatever_the_size(client, users, dash, frozen):
    for period in ("2025", "2026"):
        snapshot = snapshot_request(
            actor=users[Role.DISTRICT_OFFICIAL], period=ReportingPeriod.objects.get(code=period)
        )
        assert snapshot_compute(snapshot.pk) == "done"
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for i in range(6):
        dash.transformed(D(2025, 3, 1 + i))
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small) <= 20, [q["sql"][:120] for q in large.captured_queries]


def test_the_dashboard_reads_a_snapshots_rows_without_the_ids_behind_them(users, frozen):
    from reports.selectors.snapshots import snapshot_latest

    latest = snapshot_latest(viewer=users[Role.DISTRICT_OFFICIAL], period=frozen.period)
    rows = {row["number"]: row for row in latest["indicators"]}
    assert list(rows) == [row["number"] for row in frozen.indicators]  # all 17, in order
    assert rows["1+2"]["actual"] == 1 and "ids" not in rows["1+2"] and "denominator_ids" not in rows["R1"]
    assert frozen.indicators[2]["ids"]  # still stored: the compare, the XLSX and the evidence read them
    annex = snapshot_latest(viewer=users[Role.UNIT_STAFF], period=frozen.period)  # 岳阳街道, from the annex
    assert annex["source"] == "annex" and {row["number"] for row in annex["indicators"]} == set(rows)
