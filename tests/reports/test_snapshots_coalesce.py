"""The same report asked for while it waits or runs is answered with the waiting snapshot: a second
click, or many users at once, do not queue the same work twice. A finished one is not reused (the data
may have changed since), nor one of another scope or date."""

import datetime

import pytest

from core.roles import Role
from reports.models import ReportingPeriod, ReportSnapshot
from reports.services.snapshots import snapshot_compute, snapshot_request

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_waiting_snapshot_answers_the_same_request(users, units):
    total = ReportingPeriod.objects.get(code="total")
    district, auditor = users[Role.DISTRICT_OFFICIAL], users[Role.AUDITOR]
    first = snapshot_request(actor=district, period=total, as_of="2026-06-30")
    assert snapshot_request(actor=auditor, period=total, as_of="2026-06-30").pk == first.pk
    ReportSnapshot.objects.filter(pk=first.pk).update(status=ReportSnapshot.Status.RUNNING)
    assert snapshot_request(actor=district, period=total, as_of="2026-06-30").pk == first.pk
    others = {
        snapshot_request(actor=district, period=total, as_of="2026-06-29").pk,
        snapshot_request(actor=district, period=total, unit=units["310117002"], as_of="2026-06-30").pk,
        snapshot_request(actor=district, period=ReportingPeriod.objects.get(code="2026"), as_of="2026-06-30").pk,
    }
    assert first.pk not in others and len(others) == 3
    assert ReportSnapshot.objects.count() == 4


def test_a_finished_snapshot_is_not_reused(users):
    total = ReportingPeriod.objects.get(code="total")
    first = snapshot_request(actor=users[Role.DISTRICT_OFFICIAL], period=total, as_of="2026-06-30")
    assert snapshot_compute(first.pk) == "done"
    again = snapshot_request(actor=users[Role.DISTRICT_OFFICIAL], period=total, as_of="2026-06-30")
    assert again.pk != first.pk and again.status == ReportSnapshot.Status.PENDING


def test_the_api_answers_the_waiting_snapshots_id(api, users):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    one = client.post("/api/v1/reports/", {"period": "total", "as_of": "2026-06-30"}, format="json")
    two = client.post("/api/v1/reports/", {"period": "total", "as_of": "2026-06-30"}, format="json")
    assert one.status_code == two.status_code == 202
    assert one.json()["id"] == two.json()["id"]
