"""seed_demo's reporting rhythm and inboxes: monthly rounds, the units' reports (on time, late, missing, one
returned), a notification of every kind; a second run adds nothing."""

import pytest
from django.core.management import call_command

from notifications.choices import NotificationKind
from notifications.models import Notification
from unitreports.models import ReportRound, UnitReport
from unitreports.selectors import unit_report_timeliness

pytestmark = pytest.mark.django_db


def test_seed_demo_sets_the_rhythm_and_a_notification_of_every_kind_once():
    call_command("seed_demo", verbosity=0)
    counts = (ReportRound.objects.count(), UnitReport.objects.count(), Notification.objects.count())
    assert ReportRound.objects.filter(code="2025-01").exists() and ReportRound.objects.filter(code="2026-10").exists()
    assert set(Notification.objects.values_list("kind", flat=True)) == set(NotificationKind.values)
    assert UnitReport.objects.filter(status="returned", unit__code="310117001").exists()
    figures = unit_report_timeliness("2025")
    assert sum(f["late"] for f in figures.values()) > 0 and sum(f["on_time"] for f in figures.values()) > 0
    assert all(f["due"] == 12 for f in figures.values())
    call_command("seed_demo", verbosity=0)
    assert (ReportRound.objects.count(), UnitReport.objects.count(), Notification.objects.count()) == counts
