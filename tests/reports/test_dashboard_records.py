"""The drill-down behind a number: the records counted (linked), the denominator with "meets" for
ratios, the near misses with their reasons, scope, bad inputs and a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from enterprises.choices import Status
from funding.choices import RecognitionKind, RecognitionLevel
from funding.models import Recognition

D = datetime.date


def url(number):
    return f"/reports/indicators/{number}/"


def test_the_records_counted_and_the_near_misses_with_their_reasons(client, users, dash):
    counted = dash.transformed(D(2025, 12, 31), name="上海末日精工有限公司")
    late = dash.transformed(D(2026, 1, 1), name="上海次日精工有限公司")
    gone = dash.transformed(D(2025, 3, 1), status=Status.WITHDRAWN, withdrawn_on=D(2025, 9, 1))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(url("1"), {"period": "2025", "as_of": "2026-06-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert [e.pk for e in response.context["counted"]] == [counted.pk]
    assert f'href="/enterprises/{counted.pk}/"' in page and "上海末日精工有限公司" in page
    assert '<td class="record-looked-at">2025-12-31</td>' in page
    assert f'<tr data-id="{late.pk}" data-reasons="accepted_after_period">' in page
    assert f'<tr data-id="{gone.pk}" data-reasons="withdrawn">' in page
    assert response.context["evidence_url"].endswith("?period=2025&number=1&as_of=2026-06-30")


def test_a_ratio_lists_its_denominator_with_meets(client, users, dash):
    good = dash.enterprise()
    dash.evaluation(good, dash.Stage.BASELINE, 2, D(2025, 1, 10))
    low = dash.enterprise()
    dash.evaluation(low, dash.Stage.POST, 1, D(2025, 3, 10))
    client.force_login(users[Role.AUDITOR])
    response = client.get(url("R1"), {"period": "total", "as_of": "2026-06-30"})
    page = response.content.decode()
    assert f'data-id="{good.pk}"' in page and 'data-meets="1"' in page and 'data-meets="0"' in page
    assert response.context["meets"] == 1 and len(response.context["counted"]) == 2
    assert response.context["share"] == "50%" and "1 / 2 · 50%" in page
    assert '<td class="record-looked-at">2</td>' in page and '<td class="record-looked-at">1</td>' in page
    assert f'data-id="{low.pk}" data-reasons="level_below_2"' in page


def test_recognitions_link_to_their_pages_and_unit_reports_tie_them_to_their_enterprises(client, users, dash):
    mine = dash.enterprise("310117001")
    theirs = dash.enterprise("310117104")
    r1 = Recognition.objects.create(
        kind=RecognitionKind.SMART_FACTORY, level=RecognitionLevel.MUNICIPAL, recognised_on=D(2025, 4, 1),
        title="车间A", enterprise=mine,
    )  # fmt: skip
    Recognition.objects.create(
        kind=RecognitionKind.SMART_FACTORY, level=RecognitionLevel.MUNICIPAL, recognised_on=D(2025, 4, 1),
        title="车间B", enterprise=theirs,
    )  # fmt: skip
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(url("7"), {"period": "2025", "as_of": "2026-06-30"})
    assert [r.pk for r in response.context["counted"]] == [r1.pk]
    assert f'href="/funding/recognitions/{r1.pk}/"' in response.content.decode()


def test_indicators_not_broken_down_by_unit_say_so_in_a_unit_scope(client, users):
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(url("6"))
    assert response.status_code == 200 and 'id="records-not-by-unit"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "params", "status"),
    [
        (None, {}, 302),
        (Role.PROVIDER_USER, {}, 403),
        (Role.EVALUATOR, {}, 403),
        (Role.UNIT_STAFF, {}, 200),
        (Role.UNIT_STAFF, {"unit": "310117001"}, 200),
        (Role.UNIT_STAFF, {"unit": "310117104"}, 403),
        (Role.DISTRICT_OFFICIAL, {"unit": "310117104"}, 200),
        (Role.AUDITOR, {}, 200),
        (Role.FINANCE_OFFICER, {}, 200),
    ],
)
def test_who_may_drill_down(client, users, role, params, status):
    if role:
        client.force_login(users[role])
    assert client.get(url("1+2"), params).status_code == status


def test_bad_inputs_get_a_message(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get("/reports/indicators/99x/").status_code == 404
    for params in ({"period": "2030"}, {"as_of": "2025-13-01"}, {"unit": "12345"}):
        response = client.get(url("5"), params)
        assert response.status_code == 400 and 'id="records-error"' in response.content.decode(), params


def _queries(client, number):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(number), {"period": "2025", "as_of": "2026-06-30"}).status_code == 200
    return len(ctx.captured_queries)


def test_the_drill_down_costs_a_bounded_number_of_queries(client, users, dash):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    dash.transformed(D(2025, 5, 1))
    dash.transformed(D(2026, 5, 1))
    before = {n: _queries(client, n) for n in ("1", "R2", "7")}
    for i in range(6):
        dash.transformed(D(2025, 6, 1 + i), unit=("310117001", "310117104")[i % 2])
        dash.transformed(D(2026, 6, 1 + i))
    assert {n: _queries(client, n) for n in ("1", "R2", "7")} == before


def test_the_records_come_a_page_at_a_time_with_the_totals_counted_in_full(client, users, dash, monkeypatch):
    from reports.views import dashboards as views

    monkeypatch.setattr(views, "RECORDS_PER_PAGE", 2)
    monkeypatch.setattr(views, "MISSES_SHOWN", 1)
    for day in (1, 2, 3):
        dash.transformed(D(2025, 5, day))
    dash.transformed(D(2026, 2, 1))  # accepted after 2025: near misses of the 2025 number
    dash.transformed(D(2026, 2, 2))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    first = client.get(url("1+2"), {"period": "2025", "as_of": "2026-06-30"})
    second = client.get(url("1+2"), {"period": "2025", "as_of": "2026-06-30", "page": 2})
    assert first.context["counted_total"] == second.context["counted_total"] == 3
    assert len(first.context["counted"]) == 2 and len(second.context["counted"]) == 1
    assert {e.pk for e in first.context["counted"]}.isdisjoint(e.pk for e in second.context["counted"])
    assert 'id="records-count" class="fw-semibold">3<' in first.content.decode()
    assert first.context["misses_total"] == 2 and len(first.context["misses"]) == 1
    assert 'id="near-miss-more"' in first.content.decode()
