"""Fixtures of the unit-report tests: rounds of the 2026 indicator period around today, and the real SMTP server
of the notification tests."""

import datetime

import pytest
from django.utils import timezone

from reports.models import ReportingPeriod
from tests.notifications.conftest import smtp  # noqa: F401  (the real SMTP server on loopback)
from unitreports.models import ReportRound


def days_from_today(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def period():
    return ReportingPeriod.objects.get(code="2026")


@pytest.fixture
def make_round(period, users):
    def make(code, *, due_in, length=30, **fields):
        due = days_from_today(due_in)
        end = due - datetime.timedelta(days=5)
        return ReportRound.objects.create(
            code=code,
            name=fields.pop("name", f"第{code}期"),
            period_start=end - datetime.timedelta(days=length),
            period_end=end,
            due_on=due,
            indicator_period=fields.pop("indicator_period", period),
            **fields,
        )

    return make
