"""Unit reports as the daily reminder pass reads them (``core.registry.reminder_sources``): every round whose
unit has not submitted (nothing, a draft, or a report the district returned) is an open deadline of kind
``unit_report``, the unit's staff responsible. The rule of that kind (``notifications.ReminderRule``) escalates
it: to the unit's staff again, then to the district."""

from django.urls import reverse

from notifications.reminders import ReminderItem
from notifications.services import unit_staff

from .selectors import open_reports

KIND = "unit_report"


def open_unit_reports(today):
    staff_of = {}
    for rnd, unit, report in open_reports(today):
        if unit.pk not in staff_of:
            staff_of[unit.pk] = list(unit_staff(unit.pk))
        link = reverse("unitreports:detail", args=[report.pk]) if report else reverse("unitreports:fill", args=[rnd.pk])
        yield ReminderItem(
            key=f"unitreports.report:{rnd.pk}:{unit.pk}",
            kind=KIND,
            due_on=rnd.due_on,
            subject=f"{unit.name} · {rnd.name}",
            link=link,
            responsible=staff_of[unit.pk],
            unit_id=unit.pk,
        )
