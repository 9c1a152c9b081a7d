"""Writes of the notification centre: notify people, send the outbox, mark read, set preferences.

``notify`` is what the apps above call, in the transaction of the event they record (an event rolled back
notifies nobody). It writes one inbox row per person and, for those who want e-mail and have an address, one
outbox row; after the commit a task sends the outbox (``notifications.tasks.send_outbox_task``, sent by name,
in-process where there is no broker). Mail that cannot be sent stays pending and is retried with a growing
pause by ``drain_outbox_task`` (beat) and by every ``send_reminders``.

E-mail is on only where the environment sets ``EMAIL_URL`` (``PORTAL_EMAIL_ENABLED``); without it nobody's
notifications leave the portal and no outbox rows are written.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.jobs import send_task
from core.roles import Role

from . import webhooks
from .choices import Channel, NotificationKind, OutboxStatus
from .models import EmailOutbox, Notification, NotificationPreference
from .retry import FIRST_RETRY_SECONDS, LONGEST_RETRY_SECONDS, retry_pause  # noqa: F401  (named here too)

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_outbox_task"


# --- who hears of what ------------------------------------------------------------------------


def active_users():
    return get_user_model().objects.filter(is_active=True)


def district_officials():
    """The district officials who steer the programme (they review reports, confirm enterprises)."""
    return active_users().filter(role=Role.DISTRICT_OFFICIAL)


def finance_officers():
    """The finance officers, who approve and record payments."""
    return active_users().filter(role=Role.FINANCE_OFFICER)


def unit_staff(unit_id):
    """The staff of one street, town or development zone."""
    return active_users().filter(role=Role.UNIT_STAFF, unit_id=unit_id) if unit_id else active_users().none()


def provider_users(provider_ids):
    """The users of the given service providers (ids, or a subquery of them)."""
    return active_users().filter(role=Role.PROVIDER_USER, provider_id__in=provider_ids)


def evaluator_users(body_ids):
    """The evaluators of the given evaluation bodies (ids, or a subquery of them)."""
    return active_users().filter(role=Role.EVALUATOR, evaluation_body_id__in=body_ids)


def first_of(*groups):
    """The first group of people that is not empty (the evaluators if any are assigned, else the district)."""
    for group in groups:
        people = list(group)
        if people:
            return people
    return []


def users(*people):
    """The given users that exist and are active (the actor of a job, say, who may be gone)."""
    return [p for p in people if p is not None and p.is_active]


# --- notify -----------------------------------------------------------------------------------


def email_enabled():
    return bool(getattr(settings, "PORTAL_EMAIL_ENABLED", False))


def channels_of(people, kind):
    """``{user id: channel}`` for ``kind``: the person's preference, else e-mail for whoever has an address."""
    chosen = dict(
        NotificationPreference.objects.filter(user__in=[p.pk for p in people], kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {p.pk: chosen.get(p.pk, Channel.PORTAL_AND_EMAIL if p.email else Channel.PORTAL) for p in people}


def absolute_link(link):
    """The link as an address a mail reader can open (``PORTAL_BASE_URL`` + the path)."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + link.lstrip("/")


def email_for(notification, person):
    """An outbox row for ``notification``, in Chinese: plain text and the same as HTML, with its link."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "person": person,
            "url": absolute_link(notification.link),
            "portal_url": absolute_link("/"),
            "kind_label": NotificationKind(notification.kind).label,
        }
        subject = _("[Songjiang pilot] {title}").format(title=notification.title)
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    return EmailOutbox(notification=notification, to=person.email, subject=subject[:255], text=text, html=html)


def notify(recipients, kind, title, body="", link=""):
    """Tell ``recipients`` (users, or a queryset of them) that ``kind`` happened, with ``title``, ``body``
    and a ``link`` to the record (a path of the portal).

    Call it inside the transaction of the event: the inbox rows commit or roll back with it. People are
    counted once; inactive accounts are skipped. E-mail (where ``EMAIL_URL`` is set) goes to those whose
    preference for ``kind`` is "portal and e-mail" (the default for anyone with an address), after the commit.
    Returns the notifications written."""
    kind = NotificationKind(kind)
    people = {p.pk: p for p in recipients if p is not None and p.is_active}
    if not people:
        return []
    people = list(people.values())
    notes = Notification.objects.bulk_create(
        Notification(recipient=p, kind=kind, title=str(title)[:255], body=str(body), link=str(link)[:500])
        for p in people
    )
    if email_enabled():
        channels = channels_of(people, kind)
        mails = EmailOutbox.objects.bulk_create(
            email_for(note, person)
            for note, person in zip(notes, people, strict=True)
            if person.email and channels[person.pk] == Channel.PORTAL_AND_EMAIL
        )
        ids = [m.pk for m in mails]
        if ids:
            transaction.on_commit(lambda: send_task(SEND_TASK, [ids]))
    if webhooks.enabled_for(kind):
        webhooks.queue(kind, str(title), str(body), absolute_link(str(link)))
    user_ids = [p.pk for p in people]
    transaction.on_commit(lambda: remember_unread_counts(user_ids))
    return notes


def notify_event(recipients, kind, subject, *, link="", body="", actor=None):
    """``notify`` with the title "<what happened>: <subject>" in the portal's language (zh-hans), so that a
    caller records its event in one line (``subject`` is the record: an enterprise, a project…). The
    ``actor`` who caused the event is not told of it."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("{what}: {subject}").format(what=NotificationKind(kind).label, subject=subject)
        people = [p for p in recipients if actor is None or p.pk != actor.pk]
        return notify(people, kind, title, body=str(body), link=link)


def email_addresses(addresses, title, body=""):
    """E-mail people who have no account (an invited enterprise's contact, say) at ``addresses``: one outbox
    row per distinct address, in Chinese, plain text, no link into the portal; sent after the commit like every
    notification's mail. Call it inside the transaction of the event. Nothing where e-mail is off. Returns the
    rows written."""
    addresses = sorted({str(a).strip().lower() for a in addresses if a and str(a).strip()})
    if not addresses or not email_enabled():
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = {"title": str(title), "body": str(body), "portal_url": absolute_link("/")}
        subject = _("[Songjiang pilot] {title}").format(title=title)
        text = render_to_string("notifications/email_contact.txt", context)
    mails = EmailOutbox.objects.bulk_create(EmailOutbox(to=a, subject=subject[:255], text=text) for a in addresses)
    ids = [m.pk for m in mails]
    transaction.on_commit(lambda: send_task(SEND_TASK, [ids]))
    return mails


# --- the outbox -------------------------------------------------------------------------------


def outbox_send(ids=None, *, due_only=True):
    """Send the pending outbox rows ``ids`` (all pending rows when ``None``), each under a row lock so two
    workers never send one twice. With ``due_only``, rows still in their pause after a failure wait.

    A row that cannot be sent (the mail server is down, refuses the address…) keeps its place: ``attempts``
    goes up, ``last_error`` says why and ``next_attempt_at`` is pushed back (1, 2, 4 … minutes, at most an
    hour). After ``PORTAL_EMAIL_MAX_ATTEMPTS`` it is marked failed. Without ``EMAIL_URL`` nothing is sent.
    Returns ``{"sent": n, "failed": n}``."""
    counts = {"sent": 0, "failed": 0}
    if not email_enabled():
        return counts
    now = timezone.now()
    pending = EmailOutbox.objects.filter(status=OutboxStatus.PENDING)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    if due_only:
        pending = pending.exclude(next_attempt_at__gt=now)
    connection = get_connection(fail_silently=False)
    try:
        for pk in pending.order_by("created_at", "pk").values_list("pk", flat=True):
            counts["sent" if outbox_send_one(pk, connection=connection) else "failed"] += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.debug("closing the mail connection failed", exc_info=True)
    if counts["sent"] or counts["failed"]:
        logger.info("Outbox: %s", counts)
    return counts


def outbox_send_one(pk, *, connection):
    """Send one pending row now; True when the mail server took it."""
    with transaction.atomic():
        mail = EmailOutbox.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if mail is None or mail.status != OutboxStatus.PENDING:
            return False
        message = EmailMultiAlternatives(subject=mail.subject, body=mail.text, to=[mail.to], connection=connection)
        if mail.html:
            message.attach_alternative(mail.html, "text/html")
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            mail.next_attempt_at = timezone.now() + retry_pause(mail.attempts)
            if mail.attempts >= settings.PORTAL_EMAIL_MAX_ATTEMPTS:
                mail.status = OutboxStatus.FAILED
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
            logger.warning("E-mail %s to %s not sent (attempt %s): %s", mail.pk, mail.to, mail.attempts, exc)
            # A broken connection is opened again for the next row.
            try:
                connection.close()
            except Exception:
                logger.debug("closing the mail connection failed", exc_info=True)
            return False
        mail.status, mail.sent_at, mail.last_error, mail.next_attempt_at = OutboxStatus.SENT, timezone.now(), "", None
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        return True


# --- reading ----------------------------------------------------------------------------------


#: How long the top bar's cached unread count lives; every write that changes it sets it again.
UNREAD_COUNT_SECONDS = 24 * 60 * 60


def unread_cache_key(user_id):
    return f"notifications:unread:{user_id}"


def remember_unread_counts(user_ids):
    """Count the unread notifications of ``user_ids`` now and keep the figures in the cache, so that pages
    read the top bar's count without a query (after each write that changes it, and at log-in)."""
    counts = dict.fromkeys(user_ids, 0)
    rows = (
        Notification.objects.filter(recipient_id__in=list(user_ids), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["recipient_id"]] = row["n"]
    cache.set_many({unread_cache_key(pk): n for pk, n in counts.items()}, UNREAD_COUNT_SECONDS)


def remember_unread_count_at_login(sender, request, user, **kwargs):
    """``user_logged_in``: the first page after log-in already knows the count."""
    remember_unread_counts([user.pk])


@transaction.atomic
def notification_mark_read(*, actor, notification):
    """Mark one of the actor's own notifications read (again: nothing changes). Another's is refused."""
    if notification.recipient_id != actor.pk:
        raise DomainError("not_found", _("Not found."), status=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: remember_unread_counts([actor.pk]))
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor, kind=None):
    """Mark every unread notification of the actor read (of one ``kind`` when given); returns how many."""
    unread = Notification.objects.of(actor).unread()
    if kind:
        unread = unread.filter(kind=kind)
    n = unread.update(read_at=timezone.now())
    transaction.on_commit(lambda: remember_unread_counts([actor.pk]))
    return n


@transaction.atomic
def preferences_set(*, actor, channels):
    """Store the actor's channel per kind (``{kind: channel}``); a kind left out keeps its setting."""
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(
            user=actor, kind=NotificationKind(kind), defaults={"channel": Channel(channel)}
        )
