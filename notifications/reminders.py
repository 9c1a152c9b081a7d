"""Today's reminder and escalation pass over the deadlines (``manage.py send_reminders``, beat daily).

The deadlines belong to the apps above (diagnostics sets them per enterprise). Each such app registers a
source in ``core.registry.reminder_sources``: ``source(today)`` yields a :class:`ReminderItem` for every
deadline that is still open (not done, its enterprise in the pilot list), with the people responsible for it
and the unit it belongs to. This module decides, by the :class:`~notifications.models.ReminderRule` of the
deadline's kind, who hears of it today:

* ``remind_days_before`` days before it falls due, or fewer: the people responsible (``deadline_reminder``);
* once it is overdue (the day after it fell due): the people responsible (``deadline_overdue``);
* ``escalate_after_days`` overdue days: the staff of the enterprise's unit (``escalation``);
* ``district_after_days`` overdue days: the district officials (``escalation``).

Each stage reaches each person once per deadline and due date (``ReminderLog``): a second run the same day,
or any later one, sends nothing again; a deadline moved to a new date starts over. People who chose a daily
digest get one e-mail a day listing what they were told (``digest_send``).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import registry

from . import services, webhooks
from .choices import Channel, NotificationKind, ReminderStage
from .models import EmailOutbox, Notification, NotificationPreference, ReminderLog, ReminderRule

#: The rhythm of a kind of deadline that has no rule row.
DEFAULT_RULE = {"remind_days_before": 3, "escalate_after_days": 7, "district_after_days": 14}


@dataclass(frozen=True)
class ReminderItem:
    """One open deadline, as a source reports it: ``key`` is stable for the deadline (``"diagnostics.deadline:7"``),
    ``kind`` the kind its rule is read by, ``subject`` what it is about in words (the enterprise and the kind of
    deadline), ``link`` the path of the record, ``responsible`` the users who must act, ``unit_id`` the unit
    whose staff hear of it when it is escalated."""

    key: str
    kind: str
    due_on: datetime.date
    subject: str
    link: str = ""
    responsible: Any = field(default_factory=list)
    unit_id: Any = None


def rule_for(kind, rules):
    rule = rules.get(kind)
    if rule is None:
        return dict(DEFAULT_RULE)
    return {
        "remind_days_before": rule.remind_days_before,
        "escalate_after_days": rule.escalate_after_days,
        "district_after_days": rule.district_after_days,
    }


def stages_due(item, today, rule):
    """``[(stage, kind, recipients)]`` that ``item`` has reached by ``today``."""
    overdue_days = (today - item.due_on).days
    if overdue_days <= 0:
        if -overdue_days <= rule["remind_days_before"]:
            return [(ReminderStage.BEFORE, NotificationKind.DEADLINE_REMINDER, item.responsible)]
        return []
    stages = [(ReminderStage.OVERDUE, NotificationKind.DEADLINE_OVERDUE, item.responsible)]
    if overdue_days >= rule["escalate_after_days"]:
        stages.append((ReminderStage.UNIT, NotificationKind.ESCALATION, services.unit_staff(item.unit_id)))
    if overdue_days >= rule["district_after_days"]:
        stages.append((ReminderStage.DISTRICT, NotificationKind.ESCALATION, services.district_officials()))
    return stages


def text_for(stage, item, today):
    days = (today - item.due_on).days
    due = item.due_on.isoformat()
    if stage == ReminderStage.BEFORE:
        return _("Due on {due}, in {n} day(s). Please finish it in time.").format(due=due, n=-days)
    if stage == ReminderStage.OVERDUE:
        return _("Due on {due}; overdue by {n} day(s). Please finish it as soon as possible.").format(due=due, n=days)
    return _("Due on {due}; still open after {n} overdue day(s). Please follow it up.").format(due=due, n=days)


def claim(key, stage, person, today):
    """Record that ``person`` hears of ``key`` now; False when they already did."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=key, stage=stage, recipient=person, sent_on=today)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today=None):
    """Run the pass for ``today`` (default: today in Asia/Shanghai). Returns ``{stage: notifications}``."""
    today = today or timezone.localdate()
    rules = {r.kind: r for r in ReminderRule.objects.all()}
    counts = dict.fromkeys(ReminderStage.values, 0)
    with translation.override(settings.LANGUAGE_CODE):
        for source in registry.reminder_sources.values():
            for item in source(today):
                for stage, kind, recipients in stages_due(item, today, rule_for(item.kind, rules)):
                    with transaction.atomic():
                        key = f"{item.key}:{item.due_on.isoformat()}:{stage}"
                        people = [p for p in {p.pk: p for p in recipients}.values() if claim(key, stage, p, today)]
                        notes = services.notify_event(
                            people, kind, item.subject, link=item.link, body=text_for(stage, item, today)
                        )
                        for note in notes:
                            ReminderLog.objects.filter(key=key, recipient_id=note.recipient_id).update(
                                notification=note
                            )
                        counts[stage] += len(notes)
    return counts


def digest_send(*, today=None):
    """One e-mail per person who chose the daily digest for some kind, listing what they were told of those
    kinds since their last digest (at most one a day). Returns how many digests were queued."""
    if not services.email_enabled():
        return 0
    today = today or timezone.localdate()
    queued = []
    wanting = (
        NotificationPreference.objects.filter(channel=Channel.DAILY_DIGEST, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    kinds_of = {}
    for pref in wanting:
        kinds_of.setdefault(pref.user, set()).add(pref.kind)
    for person, kinds in kinds_of.items():
        last = (
            Notification.objects.filter(recipient=person, kind=NotificationKind.DIGEST)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        news = Notification.objects.filter(recipient=person, kind__in=kinds).exclude(kind=NotificationKind.DIGEST)
        if last:
            news = news.filter(created_at__gt=last)
        news = list(news.order_by("created_at")[:200])
        if not news:
            continue
        with transaction.atomic():
            if not claim(f"digest:{today.isoformat()}", "", person, today):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                lines = "\n".join(f"- {n.title} {services.absolute_link(n.link)}".rstrip() for n in news)
                title = _("Daily digest of {day}: {n} notification(s)").format(day=today.isoformat(), n=len(news))
                note = Notification.objects.create(
                    recipient=person,
                    kind=NotificationKind.DIGEST,
                    title=title,
                    body=lines,
                    link=reverse("notifications:inbox"),
                )
                mail = services.email_for(note, person)
                mail.save()
                queued.append(mail.pk)
    return len(queued)


def reminders_run(*, today=None):
    """The whole daily pass: reminders and escalations, digests, then every pending e-mail is sent now (also
    those still pausing after a failure: this is the embedded profile's retry). Returns the counts."""
    counts = reminders_send(today=today)
    counts["digests"] = digest_send(today=today)
    counts.update(services.outbox_send(due_only=False))
    counts.update(webhooks.webhooks_send(due_only=False))
    counts["pending"] = EmailOutbox.objects.filter(status="pending").count()
    return counts
