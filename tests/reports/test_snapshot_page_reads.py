"""The snapshot list and page read the snapshot without the ids behind each number (megabytes of
JSON at 100,000 enterprises) and still show what they showed: the page counts the ids in the query
and caches a finished snapshot's rows, the scoped query for the snapshot running every time."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.roles import Role
from reports.models import ReportSnapshot
from reports.selectors import snapshots

from .helpers import page, snapshot

pytestmark = pytest.mark.django_db


def counted_snapshot(**kwargs):
    made = snapshot(**kwargs)
    rows = made.indicators
    for row in rows:
        if row["number"] == "1":
            row["ids"] = [11, 12, 13]
        if row["number"] == "6":
            row["ids"] = None  # not recorded: a dash
        if row["number"] == "R1":
            row["ids"], row["denominator_ids"] = [11, 12], [11, 12, 13, 14, 15]
    ReportSnapshot.objects.filter(pk=made.pk).update(indicators=rows)
    made.refresh_from_db()
    return made


def test_the_page_shows_how_many_records_are_behind_each_number(users):
    made = counted_snapshot()
    response = page(users[Role.DISTRICT_OFFICIAL]).get(reverse("reports:snapshot_detail", args=[made.pk]))
    rows = {row["number"]: row for row in response.context["rows"]}
    ratios = {row["number"]: row for row in response.context["ratios"]}
    assert rows["1"]["count"] == 3 and rows["2"]["count"] == 0 and rows["6"]["count"] is None
    assert (ratios["R1"]["count"], ratios["R1"]["denominator"]) == (2, 5)
    assert all("ids" not in row and "denominator_ids" not in row for row in [*rows.values(), *ratios.values()])
    body = response.content.decode()
    assert "2 / 5" in body


def test_the_page_reads_the_rows_without_their_ids(users):
    made = counted_snapshot()
    cache.delete(snapshots._page_rows_key(made.pk))
    read = snapshots.snapshot_page(viewer=users[Role.AUDITOR], snapshot_id=made.pk)
    assert {"indicators", "extras"} <= read.get_deferred_fields()
    assert len(read.page_rows) == len(made.indicators)
    assert [row["number"] for row in read.page_rows] == [row["number"] for row in made.indicators]
    assert all("ids" not in row for row in read.page_rows)
    assert read.units == made.units  # the annex is shown: read whole


def test_a_finished_snapshots_rows_are_cached_and_the_snapshot_still_scoped(users, units):
    made = counted_snapshot()
    key = snapshots._page_rows_key(made.pk)
    cache.delete(key)
    first = snapshots.snapshot_page(viewer=users[Role.DISTRICT_OFFICIAL], snapshot_id=made.pk)
    assert cache.get(key) == first.page_rows
    again = snapshots.snapshot_page(viewer=users[Role.DISTRICT_OFFICIAL], snapshot_id=made.pk)
    assert again.page_rows == first.page_rows and again.status == "done"
    # A district snapshot stays out of a unit's staff's reach, cached or not.
    response = page(users[Role.UNIT_STAFF]).get(reverse("reports:snapshot_detail", args=[made.pk]))
    assert response.status_code == 404


def test_a_snapshot_still_being_computed_is_not_cached(users):
    pending = snapshot(status="pending")
    key = snapshots._page_rows_key(pending.pk)
    cache.delete(key)
    assert snapshots.snapshot_page(viewer=users[Role.DISTRICT_OFFICIAL], snapshot_id=pending.pk).page_rows == []
    assert cache.get(key) is None


def test_the_list_and_the_previous_snapshot_are_read_without_the_json_columns(users):
    older = snapshot(hour=5, as_of=snapshot().as_of.replace(day=1, month=2))
    newer = counted_snapshot()
    listed = list(snapshots.snapshot_list(viewer=users[Role.DISTRICT_OFFICIAL]))
    assert listed and all({"indicators", "units", "extras"} <= s.get_deferred_fields() for s in listed)
    previous = snapshots.snapshot_previous(viewer=users[Role.DISTRICT_OFFICIAL], snapshot=newer)
    assert previous == older and {"indicators", "units", "extras"} <= previous.get_deferred_fields()
