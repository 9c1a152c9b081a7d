"""Unit target allocation: the grid with the district target and the units' sum, edits by district
officials (all or nothing, validated), the history of every change, and who sees what."""

from decimal import Decimal

import pytest
from django.utils import translation

from core.errors import PermissionDenied
from core.roles import Role
from reports.models import IndicatorTarget, ReportingPeriod
from reports.selectors.targets import target_grid, target_history
from reports.services.targets import TargetValuesInvalid, unit_targets_set

URL = "/reports/targets/"
HISTORY = "/reports/targets/history/"


@pytest.fixture
def p2025(db):
    return ReportingPeriod.objects.get(code="2025")


def allocated(period, code, number):
    return (
        IndicatorTarget.objects.filter(period=period, unit__code=code, indicator__number=number)
        .values_list("target", flat=True)
        .first()
    )


def test_the_service_sets_targets_and_records_who_changed_them(users, p2025):
    district = users[Role.DISTRICT_OFFICIAL]
    changed = unit_targets_set(
        actor=district,
        period=p2025,
        values={("310117001", "1"): "20", ("310117104", "1"): "15", ("310117001", "R1"): "90%"},
    )
    assert changed == 3
    assert allocated(p2025, "310117001", "1") == Decimal("20") and allocated(p2025, "310117001", "R1") == Decimal("0.9")
    # Unchanged cells write nothing; a changed one and a blank (removed) one do.
    assert unit_targets_set(actor=district, period=p2025, values={("310117001", "1"): "20"}) == 0
    admin = users[Role.ADMIN]
    assert unit_targets_set(actor=admin, period=p2025, values={("310117001", "1"): "25", ("310117104", "1"): ""}) == 2
    assert allocated(p2025, "310117104", "1") is None
    history = target_history(viewer=users[Role.AUDITOR], period=p2025)
    moves = {(h["unit"].code, h["indicator"].number, h["old"], h["new"], h["who"].username) for h in history}
    assert ("310117001", "1", 20, 25, admin.username) in moves
    assert ("310117001", "1", None, 20, district.username) in moves
    assert ("310117104", "1", 15, None, admin.username) in moves


@pytest.mark.parametrize(
    ("raw", "number", "fragment"),
    [
        ("-1", "1", "cannot be negative"),
        ("abc", "1", "is not a number"),
        ("2.5", "1", "whole numbers"),
        ("1.2", "R1", "at most 1"),
        ("120%", "R2", "at most 1"),
        ("NaN", "1", "is not a number"),
        ("123456789012", "1", "at most 8 digits"),
    ],
)
def test_invalid_values_are_refused_with_a_message_and_nothing_is_saved(users, p2025, raw, number, fragment):
    values = {("310117002", "1"): "7", ("310117001", number): raw}
    with translation.override("en"), pytest.raises(TargetValuesInvalid) as caught:
        unit_targets_set(actor=users[Role.DISTRICT_OFFICIAL], period=p2025, values=values)
    assert fragment in str(caught.value.errors[("310117001", number)]) and "岳阳街道" in caught.value.message
    assert allocated(p2025, "310117002", "1") is None


def test_unknown_units_and_indicators_not_allocated_are_refused(users, p2025):
    with translation.override("en"), pytest.raises(TargetValuesInvalid) as caught:
        unit_targets_set(
            actor=users[Role.DISTRICT_OFFICIAL], period=p2025, values={("999", "1"): "1", ("310117001", "6"): "1"}
        )
    assert "Unknown unit" in str(caught.value.errors[("999", "1")])
    assert "not allocated" in str(caught.value.errors[("310117001", "6")])


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR, Role.UNIT_STAFF, Role.PROVIDER_USER])
def test_only_district_officials_and_admins_edit(users, p2025, role):
    with pytest.raises(PermissionDenied):
        unit_targets_set(actor=users[role], period=p2025, values={("310117001", "1"): "1"})


def test_the_grid_shows_the_units_sum_beside_the_district_target(users, p2025):
    unit_targets_set(
        actor=users[Role.DISTRICT_OFFICIAL], period=p2025, values={("310117001", "1"): "200", ("310117104", "1"): "75"}
    )
    grid = target_grid(viewer=users[Role.AUDITOR], period=p2025)
    column = {c["indicator"].number: c for c in grid["indicators"]}
    assert column["1"]["sum"] == 275 and column["1"]["district"] == 275 and not column["1"]["differs"]
    assert column["2"]["sum"] is None and "6" not in column and "9" not in column
    unit_targets_set(actor=users[Role.DISTRICT_OFFICIAL], period=p2025, values={("310117104", "1"): "70"})
    grid = target_grid(viewer=users[Role.AUDITOR], period=p2025)
    assert next(c for c in grid["indicators"] if c["indicator"].number == "1")["differs"]
    assert len(grid["rows"]) == 18
    own = target_grid(viewer=users[Role.UNIT_STAFF], period=p2025)
    assert [r["unit"].code for r in own["rows"]] == ["310117001"] and own["rows"][0]["cells"][0] == 200


def test_the_page_saves_the_grid_and_warns_when_the_sum_differs(client, users, p2025):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(
        URL, {"period": "2025", "t-310117001-1": "100", "t-310117104-1": "50", "t-310117001-R1": "0.9"}
    )
    assert response.status_code == 302 and allocated(p2025, "310117104", "1") == Decimal("50")
    page = client.get(URL, {"period": "2025"}).content.decode()
    assert 'class="alert alert-warning py-2 mb-2 target-mismatch" data-number="1"' in page
    assert 'name="t-310117001-1" id="t-310117001-1" value="100"' in page
    assert 'id="targets-sum"' in page and ">150<" in page


def test_the_page_refuses_bad_cells_keeps_what_was_typed_and_saves_nothing(client, users, p2025):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(URL, {"period": "2025", "t-310117001-1": "-3", "t-310117104-1": "50"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="targets-errors"' in page and "<li>岳阳街道 · " in page and 'value="-3"' in page
    assert "is-invalid" in page and allocated(p2025, "310117104", "1") is None


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        (Role.ADMIN, 200, 302),
        (Role.DISTRICT_OFFICIAL, 200, 302),
        (Role.FINANCE_OFFICER, 200, 403),
        (Role.AUDITOR, 200, 403),
        (Role.UNIT_STAFF, 200, 403),
        (Role.PROVIDER_USER, 403, 403),
        (Role.EVALUATOR, 403, 403),
    ],
)
def test_who_reads_and_who_edits_the_targets_page(client, users, p2025, role, get, post):
    client.force_login(users[role])
    assert client.get(URL).status_code == get
    assert client.get(HISTORY).status_code == get
    assert client.post(URL, {"period": "2025", "t-310117001-1": "9"}).status_code == post
    if role == Role.UNIT_STAFF:
        page = client.get(URL).content.decode()
        assert 'data-unit="310117001"' in page and 'data-unit="310117104"' not in page and "<input class" not in page


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for path in (URL, HISTORY):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_history_page_shows_who_when_old_and_new(client, users, p2025):
    unit_targets_set(actor=users[Role.DISTRICT_OFFICIAL], period=p2025, values={("310117104", "R3"): "0.8"})
    unit_targets_set(actor=users[Role.ADMIN], period=p2025, values={("310117104", "R3"): "1"})
    client.force_login(users[Role.AUDITOR])
    page = client.get(HISTORY, {"period": "2025"}).content.decode()
    assert page.count('data-unit="310117104" data-number="R3"') == 2
    assert "80%" in page and "100%" in page and users[Role.ADMIN].username in page
    client.force_login(users[Role.UNIT_STAFF])  # another unit's changes are not shown to unit staff
    assert 'data-unit="310117104"' not in client.get(HISTORY, {"period": "2025"}).content.decode()


def test_an_unknown_period_is_explained(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(URL, {"period": "2031"}, follow=True)
    # The message names the periods one may choose (the page itself is in the viewer's language).
    assert response.status_code == 200 and "2025, 2026, total" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_the_nav_entry_is_there_for_report_readers_and_unit_staff(users, role):
    from core.navigation import nav_for

    urls = {item["url"] for item in nav_for(users[role])}
    assert (URL in urls) == (role not in (Role.PROVIDER_USER, Role.EVALUATOR))
