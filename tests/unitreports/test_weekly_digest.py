"""The weekly district digest (``manage.py send_weekly_digest``) against the real SMTP server: the district
officials get last week's summary in the inbox and by e-mail, once per week; one who turned it off does not."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.roles import Role
from notifications.models import Notification, NotificationPreference
from tests.factories import EnterpriseFactory
from unitreports.digest import digest_figures, week_of

pytestmark = pytest.mark.django_db


def test_the_digest_counts_last_week_and_is_sent_once(users, units, make_user, make_round, smtp):
    district = users[Role.DISTRICT_OFFICIAL]
    district.email = "district@d.invalid"
    district.save(update_fields=["email"])
    quiet = make_user(Role.DISTRICT_OFFICIAL, username="quiet_official", email="quiet@d.invalid")
    NotificationPreference.objects.create(user=quiet, kind="weekly_digest", channel="off")
    EnterpriseFactory(unit=units["310117001"])
    make_round("2026-W1", due_in=-2, name="周报测试期")
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    start, end = week_of(next_week)
    assert start <= timezone.localdate() <= end and start.weekday() == 0
    figures = digest_figures(start=start, end=end, today=next_week)
    assert figures["enterprises"] == 1
    assert figures["missing_reports"][units["310117001"].pk] == 1
    assert sum(figures["overdue"].values()) >= 18  # every unit's missing report is overdue

    call_command("send_weekly_digest", today=next_week)
    (mail,) = smtp.inbox.to("district@d.invalid")
    assert "周" in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "岳阳街道" in text and "http://portal.example.invalid:8000/unit-reports/" in text
    assert Notification.objects.filter(recipient=district, kind="weekly_digest").count() == 1
    assert not smtp.inbox.to("quiet@d.invalid")
    assert not Notification.objects.filter(recipient=quiet, kind="weekly_digest").exists()

    call_command("send_weekly_digest", today=next_week + datetime.timedelta(days=1))
    assert len(smtp.inbox.to("district@d.invalid")) == 1  # the same week: nothing again
    call_command("send_weekly_digest", today=next_week + datetime.timedelta(days=7))
    assert len(smtp.inbox.to("district@d.invalid")) == 2  # the week after: the next digest
