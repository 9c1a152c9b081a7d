"""Who may do what with events (docs/style.md habit 3): the scope (``Event.objects.visible_to``) first, then
these predicates. District officials (and admins) run every event; a unit's staff run their own unit's."""

from django.utils.translation import gettext_lazy as _

from core.permissions import OK
from core.roles import DISTRICT_ROLES, Role, role_of

from .choices import EventStatus


def can_create(user, obj=None):
    """District officials, and unit staff (for their own unit)."""
    role = role_of(user)
    if role in DISTRICT_ROLES or (role == Role.UNIT_STAFF and user.unit_id):
        return OK
    return False, _("Only district officials and street/town staff organise events.")


def can_manage(user, event):
    """Edit, invite, record attendance, import the sign-in sheet, mark held or cancel: the district for any
    event, a unit's staff for their unit's events."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return OK
    if role == Role.UNIT_STAFF and user.unit_id and event.organiser_unit_id == user.unit_id:
        return OK
    if role == Role.UNIT_STAFF:
        return False, _("Only the organiser unit's staff and the district manage this event.")
    return False, _("Only district officials and the organiser unit's staff manage events.")


def can_change(user, event):
    """``can_manage``, while the event is not cancelled."""
    allowed, reason = can_manage(user, event)
    if not allowed:
        return allowed, reason
    if event.status == EventStatus.CANCELLED:
        return False, _("This event was cancelled; it can no longer be changed.")
    return OK


def can_import_sign_in(user, obj=None):
    """Upload sign-in sheets at all (each one for an event the person manages)."""
    return can_create(user)


def can_see_attendance(user, event):
    """Every viewer of the event but a provider's users, who see the event and not who came."""
    if role_of(user) == Role.PROVIDER_USER:
        return False, _("A service provider sees the events it takes part in, not who attended them.")
    return OK
