"""Events through their services: who may organise, scoping, invitations that tell people, attendance, the
figures per unit and year."""

import pytest

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from events import selectors, services
from events.models import Event, Invitation
from notifications.models import EmailOutbox, Notification

from .conftest import at

pytestmark = pytest.mark.django_db


def test_unit_staff_organise_for_their_own_unit_only(world):
    event = services.event_create(actor=world[Role.UNIT_STAFF], kind="outreach", title="宣传", starts_at=at(3))
    assert event.organiser_unit == world["own"]
    with pytest.raises(DomainError) as refused:
        services.event_create(
            actor=world[Role.UNIT_STAFF], kind="outreach", title="宣传", starts_at=at(3), organiser_unit=world["other"]
        )
    assert refused.value.code == "not_your_unit"
    for role in (Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER):
        with pytest.raises(PermissionDenied):
            services.event_create(actor=world[role], kind="outreach", title="x", starts_at=at(3))


def test_a_district_event_is_district_wide_by_default_and_seen_by_every_unit(world):
    event = services.event_create(
        actor=world[Role.DISTRICT_OFFICIAL], kind="matchmaking", title="供需对接会", starts_at=at(5)
    )
    assert event.is_district_wide
    for viewer in (world[Role.UNIT_STAFF], world["other_staff"], world[Role.AUDITOR], world[Role.FINANCE_OFFICER]):
        assert Event.objects.visible_to(viewer).filter(pk=event.pk).exists()
    assert not Event.objects.visible_to(world[Role.PROVIDER_USER]).filter(pk=event.pk).exists()
    assert not Event.objects.visible_to(world[Role.EVALUATOR]).exists()


def test_a_units_event_is_seen_by_its_unit_the_readers_and_its_providers_only(world, unit_event):
    assert Event.objects.visible_to(world[Role.UNIT_STAFF]).filter(pk=unit_event.pk).exists()
    assert Event.objects.visible_to(world[Role.PROVIDER_USER]).filter(pk=unit_event.pk).exists()
    assert not Event.objects.visible_to(world["other_staff"]).filter(pk=unit_event.pk).exists()
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world["other_staff"], event=unit_event, title="改")


def test_inviting_tells_the_units_staff_and_the_provider_in_the_portal_and_mails_the_contact(world, unit_event, smtp):
    enterprise = world["mine"][0]
    new = services.invitations_add(
        actor=world[Role.DISTRICT_OFFICIAL],
        event=unit_event,
        enterprises=[enterprise],
        contact_emails={enterprise.pk: "contact@ent.invalid"},
    )
    assert [i.enterprise for i in new] == [enterprise]
    told = set(Notification.objects.filter(kind="event_invited").values_list("recipient__username", flat=True))
    assert told == {"unit_user", "provider_user"}
    assert EmailOutbox.objects.filter(to="contact@ent.invalid").exists()
    # Inviting again adds nobody and tells nobody again.
    assert (
        services.invitations_add(actor=world[Role.DISTRICT_OFFICIAL], event=unit_event, enterprises=[enterprise]) == []
    )
    assert Invitation.objects.filter(event=unit_event).count() == 1


def test_invitation_by_filter_takes_the_units_enterprises_at_a_level(world, unit_event):
    found = selectors.enterprises_by_filter(viewer=world[Role.UNIT_STAFF], unit=world["own"], level=1)
    assert list(found) == [world["mine"][0]]
    services.invitations_add(actor=world[Role.UNIT_STAFF], event=unit_event, enterprises=list(found))
    # Unit staff cannot invite an enterprise they cannot see.
    with pytest.raises(DomainError) as refused:
        services.invitations_add(actor=world[Role.UNIT_STAFF], event=unit_event, enterprises=world["theirs"])
    assert refused.value.status == 404


def test_attendance_once_per_person_and_the_figures_count_enterprises_once(world, unit_event):
    staff = world[Role.UNIT_STAFF]
    one, two = world["mine"]
    services.attendance_record(actor=staff, event=unit_event, enterprise=one, attendee_name="张三")
    services.attendance_record(actor=staff, event=unit_event, enterprise=one, attendee_name="李四")
    services.attendance_record(actor=staff, event=unit_event, enterprise=two, attendee_name="王五")
    with pytest.raises(Conflict):
        services.attendance_record(actor=staff, event=unit_event, enterprise=one, attendee_name="张三")
    Event.objects.filter(pk=unit_event.pk).update(status="held")
    year = unit_event.starts_at.year
    figures = selectors.figures(viewer=world[Role.DISTRICT_OFFICIAL], year=year)
    assert figures["held"] == 1 and figures["reached"] == 2 and figures["attendance"] == 3
    assert {k["kind"]: k["held"] for k in figures["by_kind"]}["training"] == 1
    assert figures["by_unit"][0]["unit_code"] == "310117001"
    assert figures["by_unit"][0]["by_kind"] == [1, 0, 0, 0, 0]
    assert selectors.figures(viewer=world["other_staff"], year=year)["held"] == 0


def test_cancelling_tells_the_invitees_and_then_the_event_cannot_change(world, unit_event):
    services.invitations_add(actor=world[Role.UNIT_STAFF], event=unit_event, enterprises=[world["mine"][0]])
    with pytest.raises(DomainError):
        services.event_cancel(actor=world[Role.UNIT_STAFF], event=unit_event, reason=" ")
    services.event_cancel(actor=world[Role.DISTRICT_OFFICIAL], event=unit_event, reason="场地冲突")
    assert Notification.objects.filter(kind="event_changed", recipient=world[Role.UNIT_STAFF]).exists()
    unit_event.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world[Role.UNIT_STAFF], event=unit_event, title="改")
    with pytest.raises(Conflict):
        services.event_mark_held(actor=world[Role.DISTRICT_OFFICIAL], event=unit_event)
