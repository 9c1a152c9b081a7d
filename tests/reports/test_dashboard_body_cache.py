"""The dashboard's figures are rendered once per set of snapshots and language, then served from the
cache; a new snapshot shows at once, and a page computed now is never cached."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from diagnostics.choices import Stage
from reports.models import ReportingPeriod
from reports.services.snapshots import snapshot_compute, snapshot_request

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("reports:indicators")
BODY = "reports/_dashboard_body.html"


def rendered_body(response):
    return BODY in [t.name for t in response.templates]


def snapshot_every_period(actor):
    for period in ReportingPeriod.objects.order_by("order"):
        snapshot = snapshot_request(actor=actor, period=period)
        assert snapshot_compute(snapshot.pk) == "done"


@pytest.fixture
def snapshots(users, dash):
    enterprise = dash.transformed(D(2025, 5, 1))
    dash.evaluation(enterprise, Stage.BASELINE, 1, D(2025, 1, 10))
    dash.money(enterprise, "100000", paid="40000")
    snapshot_every_period(users[Role.DISTRICT_OFFICIAL])


def actual(response, number, period="total"):
    row = next(r for r in response.context["table"] if r["indicator"].number == number)
    return next(c for c in row["cells"] if c["period"] == period)["actual"]


def test_the_body_is_rendered_once_then_read_from_the_cache(client, users, snapshots):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    first = client.get(URL)
    assert first.status_code == 200 and rendered_body(first) and first.context["body_html"]
    second = client.get(URL)
    assert not rendered_body(second)  # the cached HTML
    page = second.content.decode()
    assert page.count('id="indicator-table"') == 1 and 'id="dashboard-data"' in page
    assert second.context["body_html"] == first.context["body_html"]
    # Another official reads the same body; the user-specific parts around it stay live.
    client.force_login(users[Role.AUDITOR])
    third = client.get(URL)
    assert not rendered_body(third) and third.context["body_html"] == first.context["body_html"]


def test_a_new_snapshot_shows_at_once(client, users, snapshots, dash):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    before = client.get(URL)
    assert actual(before, "1") == "1"
    dash.transformed(D(2025, 6, 1), unit="310117001")
    snapshot_every_period(users[Role.DISTRICT_OFFICIAL])
    after = client.get(URL)
    assert rendered_body(after) and actual(after, "1") == "2"
    assert after.context["body_html"] != before.context["body_html"]


def test_each_language_and_scope_has_its_own_body(client, users, snapshots):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    chinese = client.get(URL)
    client.cookies["sjp_language"] = "en"
    english = client.get(URL)
    assert rendered_body(english) and english.context["body_html"] != chinese.context["body_html"]
    assert "Completion" in english.context["body_html"] and "Completion" not in chinese.context["body_html"]
    unit = client.get(URL, {"unit": "310117104"})
    assert rendered_body(unit) and unit.context["heat"] is None and 'id="heat-chart"' not in unit.content.decode()


def test_a_page_computed_now_is_not_cached(client, users, snapshots):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    for _ in range(2):
        response = client.get(URL, {"as_of": "2025-12-31"})
        assert response.context["body_html"] is None and rendered_body(response)


def test_a_cached_page_costs_a_few_queries_and_shows_the_same(client, users, snapshots):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users[Role.DISTRICT_OFFICIAL])
    with CaptureQueriesContext(connection) as cold:
        first = client.get(URL)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(URL)
    # Session, user, units, the finished snapshots' marker: nothing of the figures is read again.
    assert len(warm.captured_queries) <= 5 < len(cold.captured_queries)
    for name in ("table", "heat", "trend", "levels", "money", "chart", "body_html"):
        assert second.context[name] == first.context[name], name
    assert second.context["extras_snapshot"].pk == first.context["extras_snapshot"].pk
    assert [c["snapshot"].pk for c in second.context["columns"]] == [c["snapshot"].pk for c in first.context["columns"]]
    assert second.content.decode().count('id="indicator-table"') == 1


def test_the_scope_is_checked_before_the_cache(client, users, snapshots):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get(URL, {"unit": "310117104"}).status_code == 200  # cached for that unit
    client.force_login(users[Role.UNIT_STAFF])  # staff of another unit
    assert client.get(URL, {"unit": "310117104"}).status_code == 403
    own = client.get(URL)
    assert own.status_code == 200 and own.context["unit"].pk == users[Role.UNIT_STAFF].unit_id
    client.force_login(users[Role.PROVIDER_USER])
    assert client.get(URL).status_code == 403


def test_the_cached_page_holds_no_account(client, users, snapshots):
    import pickle

    from django.core.cache import cache

    from reports.views.dashboards import _page_key

    official = users[Role.DISTRICT_OFFICIAL]
    official.set_password("a-password-for-this-test")
    official.save()
    client.force_login(official)
    client.get(URL)
    page = cache.get(_page_key(None, None, None))
    assert page is not None and page["body_html"]
    dumped = pickle.dumps(page)
    for user in users.values():
        if user.password:
            assert user.password.encode() not in dumped
    assert b"accounts.models" not in dumped


def test_another_units_snapshot_keeps_the_district_page(client, users, snapshots, units):
    from reports.views.dashboards import _page_key

    client.force_login(users[Role.DISTRICT_OFFICIAL])
    client.get(URL)
    unit = units["310117104"]
    district_key, unit_key = _page_key(None, None, None), _page_key(unit, None, None)
    other = snapshot_request(
        actor=users[Role.DISTRICT_OFFICIAL], period=ReportingPeriod.objects.get(code="total"), unit=units["310117001"]
    )
    assert snapshot_compute(other.pk) == "done"
    assert _page_key(None, None, None) == district_key  # the district page reads district snapshots only
    assert _page_key(unit, None, None) == unit_key  # nor does 310117104's
    assert _page_key(units["310117001"], None, None) != unit_key
    assert not rendered_body(client.get(URL))  # still the cached page
    own = snapshot_request(
        actor=users[Role.DISTRICT_OFFICIAL], period=ReportingPeriod.objects.get(code="total"), unit=unit
    )
    assert snapshot_compute(own.pk) == "done"
    assert _page_key(unit, None, None) != unit_key
