"""Reads of events, scoped through ``Event.objects.visible_to`` (docs/style.md habit 2), and the figures per
unit and year: events held by kind, enterprises reached (distinct), attendance."""

from django.conf import settings
from django.db.models import Count, Q

from core.models import OrgUnit
from enterprises.models import Enterprise

from .choices import EventKind, EventStatus
from .filters import EventFilter
from .models import Attendance, Event, Invitation


def district_unit():
    """The district itself: the organiser of district-wide events."""
    return OrgUnit.objects.get(code=settings.PORTAL_DISTRICT_CODE)


def event_list(*, viewer, filters=None):
    """The events ``viewer`` may see, with their invitation and attendance counts, newest first."""
    queryset = (
        Event.objects.visible_to(viewer)
        .select_related("organiser_unit", "organiser_unit__parent")
        .annotate(
            invited_count=Count("invitations", distinct=True),
            attendance_count=Count("attendance", distinct=True),
            reached_count=Count("attendance__enterprise", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    if filters:
        queryset = queryset.filter(**filters)
    return queryset


def event_filtered(*, viewer, params):
    """``(filterset, queryset)`` of the list page, its export and the API."""
    filterset = EventFilter(params, queryset=event_list(viewer=viewer))
    return filterset, filterset.qs


def event_get(*, viewer, pk):
    """One event the viewer may see (``Event.DoesNotExist`` otherwise: a 404)."""
    return event_list(viewer=viewer).get(pk=pk)


def invitations_of(event):
    return Invitation.objects.filter(event=event).select_related("enterprise", "enterprise__unit", "invited_by")


def attendance_of(event):
    return Attendance.objects.filter(event=event).select_related("enterprise", "enterprise__unit")


def enterprises_by_filter(*, viewer, unit=None, level=None, statuses=None):
    """The enterprises ``viewer`` may see of ``unit`` (any when None) whose current digital level is ``level``
    (any when None): the invitation by filter ("every enterprise of a street at level 1")."""
    queryset = Enterprise.objects.visible_to(viewer)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if level is not None:
        queryset = queryset.filter(current_level=level)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.order_by("name")


def figures(*, viewer, year=None, unit=None):
    """The outreach figures of the events ``viewer`` may see, held in ``year`` (every year when None), organised
    by ``unit`` (every unit when None): ``{"by_kind": [{kind, label, held}], "held", "reached", "attendance",
    "by_unit": [{unit, held, reached, attendance}]}``. Enterprises reached are counted once however many events
    they came to."""
    events = Event.objects.visible_to(viewer).filter(status=EventStatus.HELD)
    if year:
        events = events.filter(starts_at__year=year)
    if unit is not None:
        events = events.filter(organiser_unit=unit)
    held_by_kind = dict(events.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    rows = Attendance.objects.filter(event__in=events.values("pk"))
    by_unit = (
        events.values("organiser_unit", "organiser_unit__name", "organiser_unit__code")
        .annotate(
            held=Count("pk", distinct=True),
            reached=Count("attendance__enterprise", distinct=True),
            attendance=Count("attendance", distinct=True),
            **{f"kind_{k.value}": Count("pk", filter=Q(kind=k.value), distinct=True) for k in EventKind},
        )
        .order_by("organiser_unit__code")
    )
    return {
        "by_kind": [{"kind": k.value, "label": k.label, "held": held_by_kind.get(k.value, 0)} for k in EventKind],
        "held": sum(held_by_kind.values()),
        "reached": rows.values("enterprise").distinct().count(),
        "attendance": rows.count(),
        "by_unit": [
            {
                "unit": r["organiser_unit__name"],
                "unit_code": r["organiser_unit__code"],
                "held": r["held"],
                "reached": r["reached"],
                "attendance": r["attendance"],
                "by_kind": [r[f"kind_{k.value}"] for k in EventKind],
            }
            for r in by_unit
        ],
    }


def enterprise_events(*, viewer, enterprise):
    """The visible events ``enterprise`` was invited to or came to, with whether it came and how many of its
    people signed in."""
    visible = Event.objects.visible_to(viewer)
    return (
        visible.filter(Q(invitations__enterprise=enterprise) | Q(attendance__enterprise=enterprise))
        .distinct()
        .select_related("organiser_unit")
        .annotate(own_attendance=Count("attendance", filter=Q(attendance__enterprise=enterprise), distinct=True))
        .order_by("-starts_at")
    )


def unit_reach(*, unit, year=None):
    """How many of ``unit``'s enterprises came to some held event (of any organiser), in ``year``."""
    rows = Attendance.objects.filter(enterprise__unit=unit, event__status=EventStatus.HELD)
    if year:
        rows = rows.filter(event__starts_at__year=year)
    return rows.values("enterprise").distinct().count()
