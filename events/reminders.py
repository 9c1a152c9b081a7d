"""Events as the daily reminder pass reads them (``core.registry.reminder_sources``).

* ``events.day_before`` (rule kind ``event``): a planned event that begins tomorrow or today; its organisers
  (``services.organisers``), the staff of its invited enterprises' units and its providers' users hear of it the
  day before (the rule's ``remind_days_before`` is 1). Once the day has passed it is no longer yielded.
* ``events.sign_in`` (rule kind ``event_sign_in``): an event that has begun, was not cancelled, and has no
  sign-in sheet yet. Its sheet falls due ``PORTAL_EVENT_SIGN_IN_DAYS`` days after the event's day; from the
  day after, it is overdue for the organisers, and after the rule's ``district_after_days`` the district hears
  of it.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.reminders import ReminderItem
from notifications.services import provider_users, unit_staff

from .choices import EventStatus
from .models import Event
from .services import organisers


def sign_in_days():
    return int(getattr(settings, "PORTAL_EVENT_SIGN_IN_DAYS", 3))


def _day(event):
    return timezone.localtime(event.starts_at).date()


def events_tomorrow(today):
    """A :class:`ReminderItem` for each planned event of today or tomorrow."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=2)
    events = (
        Event.objects.filter(status=EventStatus.PLANNED, starts_at__gte=start, starts_at__lt=end)
        .select_related("organiser_unit", "created_by")
        .prefetch_related("invitations__enterprise", "providers")
    )
    for event in events:
        unit_ids = {i.enterprise.unit_id for i in event.invitations.all()}
        people = organisers(event)
        people += [p for unit_id in unit_ids for p in unit_staff(unit_id)]
        people += list(provider_users([p.pk for p in event.providers.all()]))
        yield ReminderItem(
            key=f"events.event:{event.pk}",
            kind="event",
            due_on=_day(event),
            subject=_("{title} ({when}, {place})").format(
                title=event.title,
                when=timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
                place=event.place or "-",
            ),
            link=reverse("events:detail", args=[event.pk]),
            responsible=people,
            unit_id=None,
        )


def sign_in_sheets_due(today):
    """A :class:`ReminderItem` for each event whose sign-in sheet is still missing."""
    events = Event.objects.filter(
        starts_at__lt=timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)),
        sign_in_uploaded_at__isnull=True,
    ).exclude(status=EventStatus.CANCELLED)
    for event in events.select_related("organiser_unit", "created_by"):
        yield ReminderItem(
            key=f"events.sign_in:{event.pk}",
            kind="event_sign_in",
            due_on=_day(event) + datetime.timedelta(days=sign_in_days()),
            subject=_("Sign-in sheet of {title}").format(title=event.title),
            link=reverse("events:detail", args=[event.pk]),
            responsible=organisers(event),
            unit_id=None if event.is_district_wide else event.organiser_unit_id,
        )
