"""The event reminders through ``manage.py send_reminders`` and a real SMTP server: the day before, the
organiser, the invitees' unit and the provider hear of the event (once); a sign-in sheet missing after the
event is overdue for the organiser, then the district hears of it; an uploaded sheet or a cancelled event
stops it."""

import pytest
from django.core.management import call_command

from core.roles import Role
from events import services
from events.models import Event
from notifications.models import EmailOutbox, Notification

from .conftest import at

pytestmark = pytest.mark.django_db


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_day_before_the_organiser_the_invitees_unit_and_the_provider_are_mailed_once(world, smtp):
    event = services.event_create(
        actor=world[Role.DISTRICT_OFFICIAL],
        kind="matchmaking",
        title="供需对接会（汽配专场）",
        starts_at=at(1, 14),
        place="区政府",
        providers=[world[Role.PROVIDER_USER].provider],
    )
    services.invitations_add(actor=world[Role.DISTRICT_OFFICIAL], event=event, enterprises=world["theirs"])
    Notification.objects.all().delete()
    EmailOutbox.objects.all().delete()  # the invitations' own mail (sent on commit, which a test never reaches)
    call_command("send_reminders")
    assert told("deadline_reminder") == {"district_user", "other_unit_user", "provider_user"}
    for address in ("district@d.invalid", "other@u.invalid", "provider@p.invalid"):
        (mail,) = smtp.inbox.to(address)
        assert "供需对接会（汽配专场）" in mail["Subject"]
        assert f"/events/{event.pk}/" in mail.get_body(preferencelist=("plain",)).get_content()
    received = len(smtp.inbox.messages)
    call_command("send_reminders")
    assert len(smtp.inbox.messages) == received


def test_an_event_a_week_away_is_not_reminded_yet(world, smtp):
    services.event_create(actor=world[Role.UNIT_STAFF], kind="training", title="培训", starts_at=at(7))
    call_command("send_reminders")
    assert not told("deadline_reminder")


def test_a_missing_sign_in_sheet_is_overdue_for_the_organiser_then_the_district_hears_of_it(world, smtp):
    staff = world[Role.UNIT_STAFF]
    recent = services.event_create(actor=staff, kind="training", title="上周的培训", starts_at=at(-4))
    older = services.event_create(actor=staff, kind="site_visit", title="标杆企业观摩", starts_at=at(-11))
    call_command("send_reminders")
    overdue = Notification.objects.filter(kind="deadline_overdue")
    assert {n.recipient.username for n in overdue} == {"unit_user"}
    assert {n.link for n in overdue} == {f"/events/{recent.pk}/", f"/events/{older.pk}/"}
    escalated = Notification.objects.filter(kind="escalation", recipient=world[Role.DISTRICT_OFFICIAL])
    assert [n.link for n in escalated] == [f"/events/{older.pk}/"]
    assert smtp.inbox.to("district@d.invalid") and smtp.inbox.to("unit@u.invalid")


def test_an_uploaded_sheet_or_a_cancelled_event_is_not_reminded(world, smtp):
    staff = world[Role.UNIT_STAFF]
    done = services.event_create(actor=staff, kind="training", title="已签到", starts_at=at(-5))
    services.sign_in_recorded(actor=staff, event=done)
    cancelled = services.event_create(actor=staff, kind="training", title="已取消", starts_at=at(1))
    services.event_cancel(actor=staff, event=cancelled, reason="天气")
    Event.objects.filter(pk=cancelled.pk).update(starts_at=at(-5))
    Notification.objects.all().delete()
    call_command("send_reminders")
    assert not Notification.objects.exists()
