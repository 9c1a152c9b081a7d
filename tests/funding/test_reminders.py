"""Funding's deadlines in ``manage.py send_reminders`` against the real SMTP server (funding/reminders.py): a
project past its planned end chases its provider; an acceptance waiting too long chases the assigned evaluators,
then the unit and the district; a payment waiting for approval chases the finance officers (not its requester)
and then the district, never the unit's staff; nothing is sent twice and a finished step is not chased."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from funding.models import Project
from funding.services import ledger
from notifications.models import Notification
from tests.notifications.conftest import smtp  # noqa: F401  (the real SMTP server on loopback)

pytestmark = pytest.mark.django_db


def _addresses(world, users):
    for key in ("pa", "ex", "ey", "district", "finance", "finance2"):
        person = world[key]
        person.email = f"{person.username}@x.invalid"
        person.save(update_fields=["email"])


def _told(person, kind=None):
    notes = Notification.objects.filter(recipient=person)
    return notes.filter(kind=kind) if kind else notes


def test_projects_and_payments_are_chased_and_escalated_once(world, users, smtp):  # noqa: F811
    _addresses(world, users)
    today = timezone.localdate()
    # The filed project approved, its planned end a day ago: its provider hears of it.
    Project.objects.filter(pk=world["filed"].pk).update(
        status="approved", planned_end_on=today - datetime.timedelta(days=1)
    )
    call_command("send_reminders")

    (mail,) = [m for m in smtp.inbox.to("prov_a@x.invalid") if "HT-E1-001" in m["Subject"]]
    assert "逾期" in mail["Subject"]
    assert f"/funding/projects/{world['filed'].pk}/" in mail.get_body(preferencelist=("plain",)).get_content()

    # The acceptance requested in April 2025 is long overdue: the evaluators of body X, then the unit and district.
    assert any("HT-E1-002" in m["Subject"] for m in smtp.inbox.to("eval_x@x.invalid"))
    assert not smtp.inbox.to("eval_y@x.invalid")
    unit_staff = users["unit_staff"]
    assert _told(unit_staff, "escalation").filter(title__contains="HT-E1-002").exists()
    assert _told(world["district"], "escalation").filter(title__contains="HT-E1-002").exists()

    # The payment the district requested in September 2025 waits for approval: both finance officers, then the
    # district; the unit's staff never hear of money.
    for key in ("finance", "finance2"):
        assert _told(world[key], "deadline_overdue").filter(title__contains="永丰乙").exists()
    assert _told(world["district"], "escalation").filter(title__contains="永丰乙").exists()
    assert not Notification.objects.filter(recipient__role="unit_staff", title__contains="永丰乙").exists()

    received = len(smtp.inbox.messages)
    call_command("send_reminders")
    assert len(smtp.inbox.messages) == received  # nothing twice


def test_a_finished_step_is_not_chased_and_a_requester_is_not_asked_to_approve(world, users, smtp):  # noqa: F811
    _addresses(world, users)
    ledger.disbursement_approve(actor=world["finance"], disbursement=world["payment"], date=timezone.localdate())
    own = ledger.disbursement_request(
        actor=world["finance2"],
        commitment_line=world["district_cl"],
        amount="1000.00",
        requested_on=timezone.localdate() - datetime.timedelta(days=8),
    )
    call_command("send_reminders")
    # The approved payment is due to be paid within the step: nobody hears of it yet …
    assert not Notification.objects.filter(title__contains="300000").exists()
    # … and the overdue request reaches the other officer, not the one who made it.
    assert _told(world["finance"], "deadline_overdue").filter(link=f"/funding/payments/{own.pk}/").exists()
    assert not _told(world["finance2"]).filter(link=f"/funding/payments/{own.pk}/").exists()
