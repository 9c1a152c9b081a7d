"""Writes of events (docs/style.md habit 1): create and change an event, mark it held or cancel it, invite
enterprises, record and remove attendance. Every write names its actor on the history row; invitations and
cancellations tell the people concerned (``notifications``), in the same transaction."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from core.history import save_with_history, set_history
from core.permissions import require
from core.roles import Role, role_of
from enterprises.models import Enterprise
from notifications.choices import NotificationKind
from notifications.services import email_addresses, notify_event, provider_users, unit_staff, users

from . import permissions
from .choices import AttendanceSource, EventStatus
from .models import Attendance, Event, Invitation
from .selectors import district_unit

#: The fields of an event its organiser may set or change.
EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "topic", "capacity")
#: Most enterprises one invitation by filter may add (a district-wide event reaches a few hundred).
INVITE_MAX = 2000


def organiser_unit_for(actor, unit):
    """Unit staff organise for their own unit whatever they ask; the district picks any unit, itself by default."""
    if role_of(actor) == Role.UNIT_STAFF:
        if unit is not None and unit.pk != actor.unit_id:
            raise DomainError(
                "not_your_unit",
                _("You organise events for {unit} only.").format(unit=actor.unit),
                field="organiser_unit",
            )
        return actor.unit
    return unit or district_unit()


@transaction.atomic
def event_create(*, actor, kind, title, starts_at, organiser_unit=None, providers=(), **fields):
    """A planned event of ``organiser_unit`` (the actor's unit for unit staff, the district by default)."""
    require(permissions.can_create(actor))
    values = {key: value for key, value in fields.items() if key in EVENT_FIELDS}
    event = Event(
        kind=kind,
        title=title,
        starts_at=starts_at,
        organiser_unit=organiser_unit_for(actor, organiser_unit),
        created_by=actor,
        **values,
    )
    save_with_history(event, actor=actor, reason="created")
    event.providers.set(list(providers))
    return event


@transaction.atomic
def event_update(*, actor, event, providers=None, organiser_unit=None, **fields):
    """Change what an event is (not its status); a cancelled event is not changed. Moving the date of a planned
    event tells its invitees' units again (they heard of the first date)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(permissions.can_change(actor, event))
    old_start = event.starts_at
    for key, value in fields.items():
        if key in EVENT_FIELDS:
            setattr(event, key, value)
    if organiser_unit is not None and role_of(actor) != Role.UNIT_STAFF:
        event.organiser_unit = organiser_unit
    save_with_history(event, actor=actor, reason="updated")
    if providers is not None:
        event.providers.set(list(providers))
    if event.status == EventStatus.PLANNED and event.starts_at != old_start:
        _tell_invitees(event, actor, NotificationKind.EVENT_CHANGED, _moved_text(event))
    return event


@transaction.atomic
def event_mark_held(*, actor, event):
    """The event took place (a committed sign-in sheet marks it held too). Only a planned event is marked held,
    and not before it begins."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(permissions.can_manage(actor, event))
    if event.status != EventStatus.PLANNED:
        raise Conflict("not_planned", _("Only a planned event can be marked held."))
    if event.starts_at > timezone.now():
        raise Conflict("not_yet", _("This event has not begun yet; it can be marked held once it has."))
    event.status = EventStatus.HELD
    return save_with_history(event, actor=actor, reason="held", clean=False)


@transaction.atomic
def event_cancel(*, actor, event, reason):
    """Cancel a planned event, with the reason; its invitees' units and providers are told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(permissions.can_manage(actor, event))
    if event.status != EventStatus.PLANNED:
        raise Conflict("not_planned", _("Only a planned event can be cancelled."))
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("Say why the event is cancelled."), field="reason")
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason[:255]
    save_with_history(event, actor=actor, reason=f"cancelled: {reason}", clean=False)
    _tell_invitees(event, actor, NotificationKind.EVENT_CHANGED, _("Cancelled: {reason}").format(reason=reason))
    return event


def _when(event):
    return timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")


def _moved_text(event):
    return _("The event now takes place on {when} at {place}.").format(when=_when(event), place=event.place or "-")


def _invite_text(event):
    return _("{kind} “{title}” on {when} at {place}, organised by {unit}. {topic}").format(
        kind=event.get_kind_display(),
        title=event.title,
        when=_when(event),
        place=event.place or "-",
        unit=event.organiser_unit.name,
        topic=event.topic[:500],
    )


def _tell_invitees(event, actor, kind, body, *, invitations=None):
    """The staff of the invited enterprises' units and the event's providers hear of it in the portal; the
    contacts with an address by e-mail."""
    invitations = list(invitations if invitations is not None else event.invitations.select_related("enterprise"))
    unit_ids = {i.enterprise.unit_id for i in invitations}
    people = [p for unit_id in unit_ids for p in unit_staff(unit_id)]
    people += list(provider_users(event.providers.values("pk")))
    link = reverse("events:detail", args=[event.pk])
    notify_event(people, kind, event.title, link=link, body=body, actor=actor)
    title = _("{what}: {subject}").format(what=NotificationKind(kind).label, subject=event.title)
    email_addresses([i.contact_email for i in invitations], title, body)


@transaction.atomic
def invitations_add(*, actor, event, enterprises, contact_emails=None):
    """Invite ``enterprises`` (visible to the actor) to a planned event; those already invited are left as they
    are. ``contact_emails`` maps an enterprise id to its contact's address. The new invitees' units and contacts
    are told. Returns the new invitations."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(permissions.can_change(actor, event))
    if event.status != EventStatus.PLANNED:
        raise Conflict("not_planned", _("Enterprises are invited to a planned event only."))
    contact_emails = contact_emails or {}
    ids = {e.pk for e in enterprises}
    if len(ids) > INVITE_MAX:
        raise DomainError(
            "too_many", _("At most {n} enterprises are invited at once; narrow the filter.").format(n=INVITE_MAX)
        )
    visible = set(Enterprise.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - visible:
        raise DomainError("not_found", _("Not found."), status=404)
    already = set(event.invitations.values_list("enterprise_id", flat=True))
    new = []
    for enterprise in Enterprise.objects.filter(pk__in=ids - already).order_by("name"):
        invitation = Invitation(
            event=event, enterprise=enterprise, invited_by=actor, contact_email=contact_emails.get(enterprise.pk, "")
        )
        save_with_history(invitation, actor=actor, reason="invited", validate_unique=False)
        new.append(invitation)
    if event.capacity and event.invitations.count() > event.capacity * 3:
        raise Conflict(
            "over_capacity",
            _("Invite at most three times the event's capacity ({n} places).").format(n=event.capacity),
        )
    if new:
        _tell_invitees(event, actor, NotificationKind.EVENT_INVITED, _invite_text(event), invitations=new)
    return new


@transaction.atomic
def invitation_remove(*, actor, invitation):
    event = invitation.event
    require(permissions.can_change(actor, event))
    set_history(invitation, actor=actor, reason="removed")
    invitation.delete()


@transaction.atomic
def attendance_record(
    *, actor, event, enterprise, attendee_name, attendee_title="", phone="", signed_in_at=None, batch=None
):
    """One person of ``enterprise`` came to ``event`` (planned or held; the same person twice is refused)."""
    require(permissions.can_change(actor, event))
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise DomainError("not_found", _("Not found."), status=404)
    name = str(attendee_name or "").strip()
    if Attendance.objects.filter(event=event, enterprise=enterprise, attendee_name=name).exists():
        raise Conflict(
            "already_recorded",
            _("This person of this enterprise is already recorded at this event."),
            field="attendee_name",
        )
    row = Attendance(
        event=event,
        enterprise=enterprise,
        attendee_name=name,
        attendee_title=str(attendee_title or "").strip(),
        phone=str(phone or "").strip(),
        signed_in_at=signed_in_at,
        source=AttendanceSource.SIGN_IN_SHEET if batch else AttendanceSource.MANUAL,
        batch=batch,
        recorded_by=actor,
    )
    return save_with_history(row, actor=actor, reason="recorded", validate_unique=False)


@transaction.atomic
def attendance_remove(*, actor, attendance):
    require(permissions.can_change(actor, attendance.event))
    set_history(attendance, actor=actor, reason="removed")
    attendance.delete()


def sign_in_recorded(*, actor, event):
    """A sign-in sheet was written: the event is held (if it was planned) and no longer overdue for its sheet."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.sign_in_uploaded_at = timezone.now()
    if event.status == EventStatus.PLANNED:
        event.status = EventStatus.HELD
    return save_with_history(event, actor=actor, reason="sign-in sheet", clean=False)


def organisers(event):
    """The people who answer for an event: whoever created it, and the organiser unit's staff (not for a
    district-wide event, whose organiser is the district)."""
    people = users(event.created_by)
    if not event.is_district_wide:
        people += list(unit_staff(event.organiser_unit_id))
    return people
