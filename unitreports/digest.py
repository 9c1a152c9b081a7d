"""The weekly district digest: once a week (beat, Monday 08:30, and ``manage.py send_weekly_digest``) every
district official gets, in the inbox and by e-mail, a summary of the week before (Monday to Sunday): new
enterprises, diagnosis reports submitted and accepted, projects filed, approved and passed, payments made, the
overdue items of every registered deadline source by unit, and the unit reports missing.

It is sent once per person and week (``notifications.ReminderLog``, key ``weekly_digest:<year>-W<week>``), so a
second run the same week sends nothing. A person who set the kind ``weekly_digest`` to "not at all" on the
settings page does not get it. The digest sits here, above every app it counts, and reads their records only."""

import datetime
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import registry
from core.models import OrgUnit
from diagnostics.models import DiagnosisTransition
from enterprises.models import Enterprise
from funding.choices import DisbursementStatus
from funding.models import Disbursement, ProjectTransition
from notifications import services as notifications
from notifications.choices import Channel, NotificationKind
from notifications.models import NotificationPreference
from notifications.reminders import claim

from .choices import Timeliness
from .models import ReportRound, UnitReport
from .selectors import cell_state, reporting_units


def week_of(today):
    """The week before ``today``'s week: ``(monday, sunday)``."""
    monday = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(days=7)
    return monday, monday + datetime.timedelta(days=6)


def _overdue_by_unit(today):
    counts = Counter()
    for source in registry.reminder_sources.values():
        for item in source(today):
            if item.due_on < today:
                counts[item.unit_id] += 1
    return counts


def _missing_reports(today):
    rounds = list(ReportRound.objects.filter(due_on__lt=today))
    reports = {(r.round_id, r.unit_id): r for r in UnitReport.objects.filter(round__in=rounds)}
    missing = Counter()
    for unit in reporting_units():
        for rnd in rounds:
            if cell_state(rnd, reports.get((rnd.pk, unit.pk)), today) == Timeliness.MISSING:
                missing[unit.pk] += 1
    return missing


def digest_figures(*, start, end, today):
    """What the digest says for the week ``start``–``end``, as figures (the tests read these)."""
    in_week = {"date__gte": start, "date__lte": end}
    diagnoses = Counter(DiagnosisTransition.objects.filter(**in_week).values_list("action", flat=True))
    projects = Counter(ProjectTransition.objects.filter(**in_week).values_list("action", flat=True))
    paid = Disbursement.objects.filter(status=DisbursementStatus.PAID, paid_on__gte=start, paid_on__lte=end)
    tz = timezone.get_current_timezone()
    enterprises = Enterprise.objects.filter(
        created_at__gte=datetime.datetime.combine(start, datetime.time.min, tz),
        created_at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz),
    ).count()
    return {
        "enterprises": enterprises,
        "diagnoses_submitted": diagnoses["submit"],
        "diagnoses_accepted": diagnoses["accept"],
        "projects_filed": projects["file"],
        "projects_approved": projects["approve"],
        "projects_passed": projects["pass"],
        "payments": paid.count(),
        "paid_yuan": paid.aggregate(total=Sum("amount"))["total"] or 0,
        "overdue": _overdue_by_unit(today),
        "missing_reports": _missing_reports(today),
    }


def digest_text(figures, *, start, end):
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    lines = [
        _("Week {start} – {end}").format(start=start.isoformat(), end=end.isoformat()),
        _("New enterprises: {n}").format(n=figures["enterprises"]),
        _("Diagnosis reports submitted: {s}; accepted: {a}").format(
            s=figures["diagnoses_submitted"], a=figures["diagnoses_accepted"]
        ),
        _("Projects filed: {f}; approved: {a}; passed acceptance: {p}").format(
            f=figures["projects_filed"], a=figures["projects_approved"], p=figures["projects_passed"]
        ),
        _("Payments made: {n}, {amount} yuan").format(n=figures["payments"], amount=figures["paid_yuan"]),
        _("Overdue items by unit:"),
    ]
    overdue = sorted(figures["overdue"].items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))
    lines += [f"- {names.get(unit_id) or _('District-wide')}: {n}" for unit_id, n in overdue] or ["- 0"]
    lines.append(_("Unit reports missing:"))
    missing = sorted(figures["missing_reports"].items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))
    lines += [f"- {names.get(unit_id, '')}: {n}" for unit_id, n in missing] or ["- 0"]
    return "\n".join(lines)


def weekly_digest_send(*, today=None):
    """Send the digest of last week to every district official who has not had it and has not turned it off.
    Returns how many were sent."""
    today = today or timezone.localdate()
    start, end = week_of(today)
    year, week, _day = start.isocalendar()
    key = f"weekly_digest:{year}-W{week:02d}"
    off = set(
        NotificationPreference.objects.filter(kind=NotificationKind.WEEKLY_DIGEST, channel=Channel.OFF).values_list(
            "user_id", flat=True
        )
    )
    people = [p for p in notifications.district_officials() if p.pk not in off]
    if not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        figures = digest_figures(start=start, end=end, today=today)
        body = digest_text(figures, start=start, end=end)
        title = _("Weekly district digest {year}-W{week:02d}").format(year=year, week=week)
    sent = 0
    for person in people:
        with transaction.atomic():
            if not claim(key, "", person, today):
                continue
            sent += len(
                notifications.notify(
                    [person], NotificationKind.WEEKLY_DIGEST, title, body, reverse("unitreports:overview")
                )
            )
    return sent


def weekly_digest_run(*, today=None):
    """The digest, then every pending e-mail is sent (as ``send_reminders`` does). Returns the counts."""
    counts = {"digests": weekly_digest_send(today=today)}
    counts.update(notifications.outbox_send(due_only=False))
    return counts
