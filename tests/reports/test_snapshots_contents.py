"""What a snapshot stores (the ids behind every number, the per-unit annex), the nightly snapshots,
the latest / series selection the dashboards read, the compare, and the summary PDF page by page."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import PermissionDenied
from core.roles import Role
from diagnostics.choices import Stage
from enterprises.choices import Scale, Sector, Status, Tier
from funding.choices import RecognitionKind, RecognitionLevel
from providers.models import Product
from reports.models import Indicator, IndicatorTarget, ReportingPeriod, ReportSnapshot
from reports.selectors import indicators
from reports.selectors.snapshots import snapshot_compare, snapshot_latest, snapshot_series
from reports.services.snapshots import counted_ids, nightly_snapshots, snapshot_compute, snapshot_contents
from reports.tasks import compute_snapshot_task, nightly_snapshots_task

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2025, 12, 31)


@pytest.fixture
def periods(db):
    return {p.code: p for p in ReportingPeriod.objects.all()}


@pytest.fixture
def world(make, u1, u2, provider):
    """Two units' worth of records around the 2025 period, with the boundary cases of §6."""
    w = {}
    w["giant"] = make.transformed(
        D(2025, 3, 1), scale=Scale.ABOVE, tier=Tier.LITTLE_GIANT, cloud_verified_on=D(2025, 2, 1), name="甲精密"
    )
    w["srdi_below"] = make.transformed(D(2025, 12, 31), scale=Scale.BELOW, tier=Tier.SRDI, name="乙电子")
    w["withdrawn"] = make.transformed(
        D(2025, 3, 1), scale=Scale.ABOVE, status=Status.WITHDRAWN, withdrawn_on=D(2025, 9, 1), name="丙退出"
    )
    w["late"] = make.transformed(D(2026, 1, 5), scale=Scale.ABOVE, name="丁迟到")
    w["baseline2"] = make.enterprise(scale=Scale.ABOVE, sector=Sector.ELECTRONICS, name="戊基线")
    make.evaluation(w["baseline2"], Stage.BASELINE, 2, D(2025, 1, 10))
    make.evaluation(w["giant"], Stage.POST, 4, D(2025, 5, 1))
    make.evaluation(w["giant"], Stage.POST, 4, D(2025, 11, 1))  # level 4 twice: counted once
    w["other_unit"] = make.transformed(D(2025, 7, 1), unit=u2, scale=Scale.ABOVE, name="己二号")
    w["workshop"] = make.recognition(RecognitionKind.DIGITAL_WORKSHOP, D(2025, 8, 1), enterprise=w["other_unit"])
    w["chain"] = make.recognition(
        RecognitionKind.CHAIN_MODEL,
        D(2025, 9, 1),
        level=RecognitionLevel.MUNICIPAL,
        enterprise=w["giant"],
        members=[w["other_unit"]],
    )
    w["old_recognition"] = make.recognition(RecognitionKind.PLATFORM, D(2024, 9, 30))
    w["product"] = Product.objects.create(provider=provider, name="轻量MES", recognised_on=D(2025, 4, 1))
    provider.key_provider_since = D(2025, 1, 15)
    provider.save()
    return w


def expected_ids(number, period, unit=None, as_of=AS_OF):
    """The ids ``indicators.records`` lists for one number (numerator, and denominator for ratios)."""
    found = indicators.records(number, start=period.start, end=period.end or as_of, as_of=as_of, unit=unit)
    if isinstance(found, dict):
        counted = list(found["counted"])
        if number.startswith("R"):
            return sorted(e.pk for e in counted if e.meets), sorted(e.pk for e in counted)
        return sorted(e.pk for e in counted), None
    return sorted(r.pk for r in found), None


# --- ids and annex -------------------------------------------------------------------------------


def test_every_rows_ids_agree_with_the_drill_down_district_wide(world, periods):
    period = periods["2025"]
    rows, annex = snapshot_contents(period=period, unit=None, as_of=AS_OF)
    by_number = {row["number"]: row for row in rows}
    assert list(by_number) == list(indicators.NUMBERS)
    for number, row in by_number.items():
        ids, denominator = expected_ids(number, period)
        assert row["ids"] == ids, number
        if not number.startswith("R"):
            assert len(ids) == Decimal(row["actual"]), number
        if denominator is not None:
            assert row["denominator_ids"] == denominator, number
    # the hand-built state, spelled out
    assert by_number["1"]["ids"] == sorted([world["giant"].pk, world["other_unit"].pk])
    assert by_number["1"]["record_type"] == "enterprise"
    assert by_number["2"]["ids"] == [world["srdi_below"].pk]  # accepted on the period's last day
    assert by_number["3"]["ids"] == [world["giant"].pk] and by_number["4"]["ids"] == [world["srdi_below"].pk]
    assert by_number["8"]["ids"] == [world["giant"].pk]
    assert world["withdrawn"].pk not in by_number["1+2"]["ids"] and world["late"].pk not in by_number["1+2"]["ids"]
    assert by_number["7"] == {**by_number["7"], "record_type": "recognition", "ids": [world["workshop"].pk]}
    assert by_number["10"]["ids"] == [world["chain"].pk] and by_number["13"]["ids"] == []
    assert by_number["6"] == {**by_number["6"], "record_type": "product", "ids": [world["product"].pk]}
    assert by_number["9"]["record_type"] == "provider" and len(by_number["9"]["ids"]) == 1
    assert world["baseline2"].pk in by_number["R1"]["ids"]
    r1 = by_number["R1"]
    assert Decimal(r1["actual"]) == indicators.ratio(len(r1["ids"]), len(r1["denominator_ids"]))
    assert len(annex) == 18


def test_a_units_rows_carry_its_ids_and_no_annex(world, periods, u1):
    period = periods["2025"]
    rows, annex = snapshot_contents(period=period, unit=u1, as_of=AS_OF)
    assert annex == []
    by_number = {row["number"]: row for row in rows}
    for number, row in by_number.items():
        if number in ("6", "9"):
            assert row["ids"] is None and row["actual"] is None
            continue
        ids, denominator = expected_ids(number, period, unit=u1)
        assert row["ids"] == ids, number
        if denominator is not None:
            assert row["denominator_ids"] == denominator
    assert by_number["1"]["ids"] == [world["giant"].pk]  # the other unit's enterprise is not here
    assert by_number["10"]["ids"] == [world["chain"].pk] and by_number["7"]["ids"] == []


def test_the_annex_agrees_with_each_units_own_report_and_uses_unit_targets(world, periods, u1, u2, units):
    period = periods["2025"]
    indicator_1 = Indicator.objects.get(number="1")
    IndicatorTarget.objects.create(indicator=indicator_1, period=period, unit=u1, target=4)
    IndicatorTarget.objects.create(indicator=Indicator.objects.get(number="R1"), period=period, unit=u1, target="0.9")
    _rows, annex = snapshot_contents(period=period, unit=None, as_of=AS_OF)
    assert [entry["unit"] for entry in annex] == sorted(units)
    for entry in annex:
        own = indicators.compute(start=period.start, end=period.end, as_of=AS_OF, unit=units[entry["unit"]])
        for cell in entry["indicators"]:
            expected = own[cell["number"]]
            stored = None if cell["actual"] is None else Decimal(cell["actual"])
            assert stored == expected, (entry["unit"], cell["number"])
    u1_rows = {c["number"]: c for c in next(e for e in annex if e["unit"] == u1.code)["indicators"]}
    assert (u1_rows["1"]["target"], u1_rows["1"]["actual"], u1_rows["1"]["completion"]) == ("4", "1", "0.25")
    assert u1_rows["R1"]["target"] == "0.9"
    assert u1_rows["6"] == {"number": "6", "target": None, "actual": None, "completion": None}
    u2_rows = {c["number"]: c for c in next(e for e in annex if e["unit"] == u2.code)["indicators"]}
    assert (u2_rows["1"]["target"], u2_rows["1"]["actual"], u2_rows["1"]["completion"]) == (None, "1", None)
    assert (u2_rows["7"]["actual"], u2_rows["10"]["actual"]) == ("1", "1")  # a chain model counts for its member


def _count_queries(func):
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def test_contents_cost_a_fixed_number_of_queries(world, periods, make, u2, django_assert_max_num_queries):
    period = periods["2025"]
    small = _count_queries(lambda: snapshot_contents(period=period, unit=None, as_of=AS_OF))
    for day in range(1, 11):
        enterprise = make.transformed(D(2025, 6, day), unit=u2, scale=Scale.ABOVE)
        make.recognition(RecognitionKind.TYPICAL_SCENARIO, D(2025, 6, day), enterprise=enterprise)
    with django_assert_max_num_queries(small):
        rows, _annex = snapshot_contents(period=period, unit=None, as_of=AS_OF)
    assert len({r["number"]: r for r in rows}["12"]["ids"]) == 10
    with django_assert_max_num_queries(20):
        counted_ids(period=period, unit=None, as_of=AS_OF)
        snapshot_contents(period=period, unit=u2, as_of=AS_OF)


def test_a_computed_snapshot_stores_ids_and_annex_but_the_api_shape_is_unchanged(world, periods, users):
    snapshot = ReportSnapshot.objects.create(period=periods["2025"], as_of=AS_OF, requested_by=users[Role.AUDITOR])
    assert compute_snapshot_task(str(snapshot.pk)) == "done"
    snapshot.refresh_from_db()
    assert len(snapshot.units) == 18 and all("ids" in row for row in snapshot.indicators)
    from reports.selectors.snapshots import snapshot_as_dict

    api_row = snapshot_as_dict(snapshot)["indicators"][0]
    assert set(api_row) == {"number", "name", "unit_of_measure", "target", "actual", "completion"}


# --- nightly -----------------------------------------------------------------------------------


def test_nightly_creates_one_district_snapshot_per_begun_period_once_a_day(periods, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = nightly_snapshots(today=D(2025, 6, 1))
    assert sorted(s.period.code for s in created) == ["2025", "total"]  # 2026 has not begun
    assert all(
        (s.unit_id, s.as_of, s.trigger, s.requested_by_id) == (None, D(2025, 6, 1), "nightly", None) for s in created
    )
    # one dispatch for all of them (the audit trail's own drain aside)
    assert len([c for c in callbacks if not getattr(c, "trail_drain", False)]) == 1
    with django_capture_on_commit_callbacks(execute=False):
        assert nightly_snapshots(today=D(2025, 6, 1)) == []  # idempotent for that day
        assert len(nightly_snapshots(today=D(2025, 6, 2))) == 2  # the next day: new ones
    # a requested snapshot of the same day does not stand in for the nightly one; a failed nightly is retried
    ReportSnapshot.objects.create(period=periods["2026"], as_of=D(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=False):
        first = nightly_snapshots(today=D(2026, 2, 1))
    assert sorted(s.period.code for s in first) == ["2025", "2026", "total"]
    ReportSnapshot.objects.filter(pk=first[0].pk).update(status="failed")
    with django_capture_on_commit_callbacks(execute=False):
        again = nightly_snapshots(today=D(2026, 2, 1))
    assert [s.period_id for s in again] == [first[0].period_id]


def test_the_nightly_task_sends_each_snapshot_to_be_computed(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr("reports.services.snapshots._send", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        ids = nightly_snapshots_task()
    assert len(ids) == ReportingPeriod.objects.filter(start__lte=timezone.localdate()).count() and sorted(
        sent
    ) == sorted(ids)
    with django_capture_on_commit_callbacks(execute=True):
        assert nightly_snapshots_task() == []
    assert compute_snapshot_task(ids[0]) == "done"


def test_beat_runs_the_nightly_task_at_two_in_the_morning_shanghai_time(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.tasks.nightly_snapshots_task"
    )
    schedule = entry["schedule"]
    assert schedule.hour == {2} and schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


# --- latest and series -------------------------------------------------------------------------


def _done(period, *, as_of, finished, unit=None, actual_1="1", annex=(), status="done"):
    rows = [
        {
            "number": number,
            "name": f"指标{number}",
            "unit_of_measure": "%" if number.startswith("R") else "家",
            "target": "0.9" if number.startswith("R") else "10",
            "actual": actual_1 if number == "1" else ("0.5" if number.startswith("R") else "0"),
            "completion": None,
            "record_type": "enterprise",
            "ids": [],
        }
        for number in indicators.NUMBERS
    ]
    units = [
        {
            "unit": code,
            "name": code,
            "indicators": [
                {"number": n, "target": None, "actual": value if n == "1" else "0", "completion": None}
                for n in indicators.NUMBERS
            ],
        }
        for code, value in annex
    ]
    snapshot = ReportSnapshot.objects.create(
        period=period, unit=unit, as_of=as_of, status=status, indicators=rows, units=units
    )
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(finished_at=finished)
    snapshot.refresh_from_db()
    return snapshot


def at(day, hour=3):
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour))


def test_latest_district_snapshot_by_as_of_then_finishing_time(periods, users, u1):
    period, viewer = periods["2026"], users[Role.DISTRICT_OFFICIAL]
    assert snapshot_latest(viewer=viewer, period=period, unit=None) is None
    _done(period, as_of=D(2026, 3, 1), finished=at(9))  # finished later but an older as-of date
    _done(period, as_of=D(2026, 3, 2), finished=at(2), actual_1="3")
    newest = _done(period, as_of=D(2026, 3, 2), finished=at(3), actual_1="4", annex=[(u1.code, "2")])
    _done(period, as_of=D(2026, 3, 5), finished=at(5), status="failed")
    _done(period, as_of=D(2026, 3, 6), finished=at(6), unit=u1)  # a unit's does not cover the district
    _done(periods["2025"], as_of=D(2026, 3, 7), finished=at(7))  # another period
    latest = snapshot_latest(viewer=viewer, period=period, unit=None)
    assert latest["snapshot"] == newest and latest["source"] == "district"
    rows = {r["number"]: r for r in latest["indicators"]}
    assert len(rows) == 17 and rows["1"]["actual"] == 4 and rows["R1"]["target"] == Decimal("0.9")
    assert latest["units"][0]["unit"] == u1.code and latest["units"][0]["indicators"][0]["actual"] == 2


def test_latest_reads_a_finished_snapshots_json_once_then_from_the_cache(periods, users, u1):
    period, viewer = periods["2026"], users[Role.DISTRICT_OFFICIAL]
    newest = _done(period, as_of=D(2026, 3, 2), finished=at(3), actual_1="4", annex=[(u1.code, "2")])
    ReportSnapshot.objects.filter(pk=newest.pk).update(
        indicators=[{**row, "ids": [1, 2, 3, 4]} for row in newest.indicators], extras={"levels": [1]}
    )
    with CaptureQueriesContext(connection) as cold:
        first = snapshot_latest(viewer=viewer, period=period, unit=None)
    with CaptureQueriesContext(connection) as warm:
        second = snapshot_latest(viewer=viewer, period=period, unit=None)
    assert len(cold.captured_queries) == 2 and len(warm.captured_queries) == 1  # metadata only
    assert first == second and first["snapshot"] == newest
    assert second["snapshot"].extras == {"levels": [1]} and second["units"][0]["unit"] == u1.code
    # The metadata query leaves the JSON columns in the database.
    assert '"indicators"' not in warm.captured_queries[0]["sql"] and '"units"' not in warm.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":  # the ids are stripped in SQL; elsewhere rows are read whole
        assert all("ids" not in row for row in second["indicators"])


def test_latest_for_a_unit_takes_the_newer_of_its_own_and_the_annex(periods, users, u1, u2):
    period, viewer = periods["2026"], users[Role.DISTRICT_OFFICIAL]
    _done(period, as_of=D(2026, 3, 9), finished=at(9))  # newest district snapshot, but no annex: ignored
    annexed = _done(period, as_of=D(2026, 3, 3), finished=at(3), annex=[(u1.code, "7")])
    own = _done(period, as_of=D(2026, 3, 2), finished=at(9), unit=u1, actual_1="5")
    latest = snapshot_latest(viewer=viewer, period=period, unit=u1)
    assert (latest["snapshot"], latest["source"], latest["units"]) == (annexed, "annex", [])
    rows = {r["number"]: r for r in latest["indicators"]}
    assert rows["1"]["actual"] == 7 and rows["1"]["name"] == "指标1" and len(rows) == 17
    newer_own = _done(period, as_of=D(2026, 3, 3), finished=at(4), unit=u1, actual_1="6")
    latest = snapshot_latest(viewer=viewer, period=period, unit=u1)
    assert (latest["snapshot"], latest["source"]) == (newer_own, "unit")
    assert {r["number"]: r for r in latest["indicators"]}["1"]["actual"] == 6
    assert own != newer_own
    assert snapshot_latest(viewer=viewer, period=period, unit=u2) is None  # not in any annex, no own


def test_unit_staff_read_their_units_latest_only(periods, users, u1, u2, make_user):
    period, staff = periods["2026"], users[Role.UNIT_STAFF]  # works for u1
    _done(period, as_of=D(2026, 3, 3), finished=at(3), annex=[(u1.code, "7"), (u2.code, "8")])
    latest = snapshot_latest(viewer=staff, period=period, unit=None)  # narrowed to their unit
    assert latest["source"] == "annex" and {r["number"]: r for r in latest["indicators"]}["1"]["actual"] == 7
    with pytest.raises(PermissionDenied):
        snapshot_latest(viewer=staff, period=period, unit=u2)
    with pytest.raises(PermissionDenied):
        snapshot_latest(viewer=users[Role.PROVIDER_USER], period=period, unit=None)
    with pytest.raises(PermissionDenied):
        snapshot_series(viewer=staff, period=period, unit=u2)


def test_series_has_one_entry_per_as_of_the_latest_and_merges_a_units_sources(
    periods,
    users,
    u1,
    django_assert_max_num_queries,
):
    period, viewer = periods["2026"], users[Role.AUDITOR]
    _done(period, as_of=D(2026, 3, 1), finished=at(1), actual_1="1", annex=[(u1.code, "1")])
    _done(period, as_of=D(2026, 3, 1), finished=at(8), actual_1="2", annex=[(u1.code, "2")])
    _done(period, as_of=D(2026, 3, 2), finished=at(2), actual_1="3")  # no annex
    _done(period, as_of=D(2026, 3, 4), finished=at(4), actual_1="9", status="running")
    _done(period, as_of=D(2026, 3, 2), finished=at(5), unit=u1, actual_1="4")
    _done(period, as_of=D(2026, 3, 3), finished=at(3), annex=[(u1.code, "5")])
    _done(period, as_of=D(2026, 3, 3), finished=at(9), unit=u1, actual_1="6")
    with django_assert_max_num_queries(2):  # the cache key (finished snapshots), then the series
        district = snapshot_series(viewer=viewer, period=period, unit=None)
    assert [(as_of.day, values["1"]) for as_of, _f, values in district] == [(1, 2), (2, 3), (3, 1)]
    assert district[0][1] == at(8) and len(district[0][2]) == 17
    with django_assert_max_num_queries(3):
        unit = snapshot_series(viewer=viewer, period=period, unit=u1)
    assert [(as_of.day, values["1"]) for as_of, _f, values in unit] == [(1, 2), (2, 4), (3, 6)]
    assert snapshot_series(viewer=users[Role.UNIT_STAFF], period=period, unit=None) == unit
    # Cached: the key's query only, the same answer.
    with django_assert_max_num_queries(1):
        assert snapshot_series(viewer=viewer, period=period, unit=None) == district
    # A snapshot finishing (here: the running one) changes the key: the series is read again.
    ReportSnapshot.objects.filter(status="running").update(status="done")
    again = snapshot_series(viewer=viewer, period=period, unit=None)
    assert [(as_of.day, values["1"]) for as_of, _f, values in again] == [(1, 2), (2, 3), (3, 1), (4, 9)]


# --- compare ---------------------------------------------------------------------------------


def test_compare_names_the_records_that_entered_and_left_each_number(world, periods, users, make):
    viewer = users[Role.DISTRICT_OFFICIAL]
    period = periods["2025"]
    june = ReportSnapshot.objects.create(period=period, as_of=D(2025, 6, 30))
    december = ReportSnapshot.objects.create(period=period, as_of=D(2025, 12, 31))
    for snapshot in (december, june):
        snapshot_compute(snapshot.pk)
        snapshot.refresh_from_db()
    comparison = snapshot_compare(viewer=viewer, first=december, second=june)  # either order
    assert (comparison["before"], comparison["after"]) == (june, december)
    rows = {r["number"]: r for r in comparison["rows"]}
    # June: giant and withdrawn (not yet withdrawn); December: giant, other_unit; withdrawn left on 1 Sept.
    assert (rows["1"]["before"], rows["1"]["after"], rows["1"]["change"]) == (2, 2, 0)
    assert [r["label"] for r in rows["1"]["entered"]] == ["己二号"]
    assert [r["label"] for r in rows["1"]["left"]] == ["丙退出"]
    assert world["withdrawn"].credit_code in rows["1"]["left"][0]["detail"]
    assert (rows["2"]["change"], [r["label"] for r in rows["2"]["entered"]]) == (1, ["乙电子"])
    assert [r["label"] for r in rows["7"]["entered"]] == [world["workshop"].title]
    assert rows["13"]["entered"] == [] and rows["13"]["change"] == 0
    assert rows["6"]["entered"] == [] and rows["6"]["before"] == 1


def test_compare_refuses_mixed_scopes_unfinished_and_identical_snapshots(periods, users, u1):
    from core.errors import DomainError

    viewer = users[Role.DISTRICT_OFFICIAL]
    district = _done(periods["2026"], as_of=D(2026, 3, 1), finished=at(1))
    unit = _done(periods["2026"], as_of=D(2026, 3, 2), finished=at(2), unit=u1)
    other_period = _done(periods["2025"], as_of=D(2026, 3, 2), finished=at(2))
    pending = _done(periods["2026"], as_of=D(2026, 3, 2), finished=None, status="pending")
    for first, second, code in (
        (district, unit, "different_scope"),
        (district, other_period, "different_scope"),
        (district, pending, "snapshot_not_done"),
        (district, district, "same_snapshot"),
    ):
        with pytest.raises(DomainError) as refused:
            snapshot_compare(viewer=viewer, first=first, second=second)
        assert refused.value.code == code
    old = _done(periods["2026"], as_of=D(2026, 2, 1), finished=at(1))
    for snapshot in (old,):  # a snapshot stored before ids were recorded
        snapshot.indicators = [{k: v for k, v in row.items() if k != "ids"} for row in snapshot.indicators]
        snapshot.save()
    rows = snapshot_compare(viewer=viewer, first=old, second=district)["rows"]
    assert rows[0]["entered"] is None and rows[0]["change"] == 0


# --- the PDF, page by page ---------------------------------------------------------------------


def _pages(content, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    pages = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return pages, fonts


def test_the_summary_pdf_has_table_ratios_annex_and_a_header_and_page_number_on_every_page(
    world,
    periods,
    users,
    u1,
    tmp_path,
):
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(number="1"), period=periods["2025"], unit=u1, target=4
    )
    snapshot = ReportSnapshot.objects.create(period=periods["2025"], as_of=AS_OF, requested_by=users[Role.AUDITOR])
    assert snapshot_compute(snapshot.pk) == "done"
    snapshot.refresh_from_db()
    pages, fonts = _pages(snapshot.pdf.read(), tmp_path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert str(snapshot.pk) in text, number
        assert "截至 2025-12-31" in text, number
        assert re.search(rf"第\s*{number}\s*页\s*/\s*共\s*{len(pages)}\s*页", text), number
    first = pages[0]
    assert "拟改造规上工业中小企业数量" in first and "275" in first  # the table with the district target
    assert "比例目标" in first and "R1" in first
    annex = "\n".join(pages[1:])
    assert "附表" in annex and "岳阳街道" in annex and "松江经济技术开发区" in annex and "各单位合计" in annex
    assert "Noto-Sans-CJK-SC" in fonts
    assert "附表" not in first  # the annex starts on a page of its own


def test_a_units_pdf_has_no_annex(world, periods, users, u1, tmp_path):
    snapshot = ReportSnapshot.objects.create(period=periods["2025"], unit=u1, as_of=AS_OF)
    assert snapshot_compute(snapshot.pk) == "done"
    snapshot.refresh_from_db()
    pages, _fonts = _pages(snapshot.pdf.read(), tmp_path)
    assert all("附表" not in page for page in pages)
    assert u1.name in pages[0] and str(snapshot.pk) in pages[-1] and "比例目标" in "".join(pages)


def test_series_reads_the_same_without_postgresql_json_paths(periods, users, u1, monkeypatch):
    """The embedded default runs on SQLite: the portable path (whole columns, read in Python) agrees."""
    from django.db import connection

    period, viewer = periods["2026"], users[Role.AUDITOR]
    _done(period, as_of=D(2026, 3, 1), finished=at(1), actual_1="1", annex=[(u1.code, "1")])
    _done(period, as_of=D(2026, 3, 1), finished=at(8), actual_1="2", annex=[(u1.code, "2")])
    _done(period, as_of=D(2026, 3, 2), finished=at(5), unit=u1, actual_1="4")
    expected = [snapshot_series(viewer=viewer, period=period, unit=unit) for unit in (None, u1)]
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert [snapshot_series(viewer=viewer, period=period, unit=unit) for unit in (None, u1)] == expected
    assert [(a.day, v["1"]) for a, _f, v in expected[1]] == [(1, 2), (2, 4)]
