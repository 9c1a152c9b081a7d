"""Unit reports in the daily reminder pass (``manage.py send_reminders``) against the real SMTP server: the unit's
staff are reminded before the due date and told when it is overdue; after three overdue days the unit's staff hear
of the escalation, after a week the district; a submitted report is not chased; nothing is sent twice."""

import pytest
from django.core.management import call_command

from core.roles import Role
from notifications.models import Notification
from unitreports import services

from .conftest import days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users):
    for role, address in [(Role.UNIT_STAFF, "unit@u.invalid"), (Role.DISTRICT_OFFICIAL, "district@d.invalid")]:
        users[role].email = address
        users[role].save(update_fields=["email"])
    return users


def test_a_missing_report_is_chased_then_escalated_to_the_district(people, make_round, smtp):
    rnd = make_round("2026-R1", due_in=-1, name="2026年R1期")
    call_command("send_reminders")
    (mail,) = smtp.inbox.to("unit@u.invalid")
    assert "逾期" in mail["Subject"] and "2026年R1期" in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"http://portal.example.invalid:8000/unit-reports/rounds/{rnd.pk}/fill/" in text
    assert not smtp.inbox.to("district@d.invalid")
    call_command("send_reminders")
    assert len(smtp.inbox.to("unit@u.invalid")) == 1  # not twice
    # Three overdue days: the escalation reaches the unit's staff; seven: the district.
    call_command("send_reminders", today=days_from_today(2))
    assert Notification.objects.filter(recipient=people[Role.UNIT_STAFF], kind="escalation").count() == 1
    assert not smtp.inbox.to("district@d.invalid")
    call_command("send_reminders", today=days_from_today(6))
    # The district hears of every unit still missing, once each.
    district_mails = smtp.inbox.to("district@d.invalid")
    assert len(district_mails) == 18 and all("2026年R1期" in m["Subject"] for m in district_mails)
    assert any(people[Role.UNIT_STAFF].unit.name in m["Subject"] for m in district_mails)


def test_before_the_due_date_a_reminder_and_a_submitted_report_is_left_alone(people, make_round, smtp):
    staff = people[Role.UNIT_STAFF]
    make_round("2026-R2", due_in=2, name="2026年R2期")
    done = make_round("2026-R3", due_in=-1, name="2026年R3期")
    services.report_save(actor=staff, report=services.report_start(actor=staff, round=done), submit=True, work_done="x")
    call_command("send_reminders")
    subjects = [m["Subject"] for m in smtp.inbox.to("unit@u.invalid")]
    assert len(subjects) == 1 and "2026年R2期" in subjects[0]
    assert Notification.objects.filter(recipient=staff, kind="deadline_reminder").count() == 1
