"""The notification centre: what the portal tells a person, the e-mail it sends, how each person wants to hear,
and the rhythm of deadline reminders (docs/architecture.md "Notifications")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Channel, NotificationKind, OutboxStatus, ReminderStage


class NotificationQuerySet(models.QuerySet):
    def of(self, user):
        """A person's own notifications: nobody reads another's inbox, whatever their role."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a person's inbox: an event that concerns them (a report to review, a project that
    passed, a deadline overdue), with a link to the record. Written in the transaction of the event."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The top bar's unread count and the inbox read by this index.
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
        ]

    def __str__(self):
        return self.title

    @property
    def read(self):
        return self.read_at is not None


class EmailOutbox(models.Model):
    """An e-mail waiting to go, sent or given up: written with its notification, sent after the commit by a
    task, retried with a growing pause while the mail server cannot be reached, so no message is lost."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    to = models.EmailField(_("recipient address"))
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due")]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class NotificationPreference(models.Model):
    """How one person wants to hear of one kind of event. Without a row: in the portal, and by e-mail when the
    person has an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL_AND_EMAIL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notif_preference_unique",
                violation_error_message=_("This person already has a preference for this kind."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.channel}"


class ReminderRule(models.Model):
    """The rhythm of one kind of deadline: a reminder this many days before it falls due, an overdue notice the
    day after, escalation to the enterprise's unit staff after ``escalate_after_days`` overdue days and to the
    district after ``district_after_days``. Seeded by a migration; the district may change it."""

    kind = models.CharField(_("deadline kind"), max_length=32, unique=True)
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=3)
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate to the unit after overdue days"), default=7)
    district_after_days = models.PositiveSmallIntegerField(_("escalate to the district after overdue days"), default=14)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(district_after_days__gte=models.F("escalate_after_days")),
                name="notif_rule_district_after_unit",
                violation_error_message=_("The district hears of an overdue deadline after its unit, not before."),
            ),
        ]

    def __str__(self):
        return self.kind


class ReminderLog(models.Model):
    """A reminder already sent: one per (deadline, stage, person). A second run the same day, or any later run,
    finds the row and sends nothing again."""

    key = models.CharField(_("deadline and stage"), max_length=200)
    stage = models.CharField(_("stage"), max_length=16, choices=ReminderStage.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"],
                name="notif_reminder_once",
                violation_error_message=_("This reminder was already sent to this person."),
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.recipient_id}"


class WebhookOutbox(models.Model):
    """A message for the WeCom (企业微信) group robot, waiting, sent or given up: written with the notifications of
    one event (one message however many people are told), posted after the commit, retried with a growing pause
    while the webhook cannot be reached, like :class:`EmailOutbox`."""

    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    content = models.TextField(_("markdown"))
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group-robot message")
        verbose_name_plural = _("group-robot messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind}: {self.content[:40]}"
