"""The events part of the enterprise file and of the unit page (``core.registry`` sections)."""

from django.utils import timezone

from core.roles import Role, role_of

from . import selectors


def enterprise_section(request, enterprise):
    """The events the enterprise was invited to or came to (not for providers' users: attendance is personal)."""
    role = role_of(request.user)
    if role is None or role == Role.PROVIDER_USER:
        return None
    events = list(selectors.enterprise_events(viewer=request.user, enterprise=enterprise)[:50])
    return {"enterprise": enterprise, "events": events, "came": sum(1 for e in events if e.own_attendance)}


def unit_section(request, unit):
    """This year's events organised by the unit, and how many of its enterprises came to one."""
    if role_of(request.user) is None:
        return None
    year = timezone.localdate().year
    return {
        "unit": unit,
        "year": year,
        "figures": selectors.figures(viewer=request.user, year=year, unit=unit),
        "reached_any": selectors.unit_reach(unit=unit, year=year),
    }
