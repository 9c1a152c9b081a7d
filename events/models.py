"""Training sessions, outreach, matchmaking events and site visits the district and the streets/towns run
(培训、宣传、供需对接会、现场观摩), whom they invited and who came."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import spreadsheet_stored_name, user_reference
from core.roles import GLOBAL_READ_ROLES, Role, role_of
from core.scoping import ScopedQuerySet
from core.tabular.batches import UploadBatch

from .choices import AttendanceSource, EventKind, EventStatus


class EventQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        """Unit staff see their unit's events and the district-wide ones (organised by the district itself);
        provider users see the events that name their provider; evaluators see none."""
        if role == Role.UNIT_STAFF:
            return Q(organiser_unit_id=viewer.unit_id) | Q(organiser_unit__parent__isnull=True)
        if role == Role.PROVIDER_USER and viewer.provider_id:
            return Q(pk__in=Event.providers.through.objects.filter(provider_id=viewer.provider_id).values("event_id"))
        return Q(pk__in=[])


class InvitationQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        """An invitation is seen with its event."""
        return Q(event__in=Event.objects.visible_to(viewer).values("pk"))


class AttendanceQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        """Attendance is seen with its event, except by providers' users (who came is personal data)."""
        if role == Role.PROVIDER_USER:
            return Q(pk__in=[])
        return Q(event__in=Event.objects.visible_to(viewer).values("pk"))


class Event(models.Model):
    """One event of the programme's outreach: a training session, an outreach event, a matchmaking event
    (供需对接会), a site visit to a benchmark enterprise (现场观摩) or another. Organised by one unit (the
    district itself for a district-wide event), on a day and time, at a place, about a topic, with the service
    providers that take part. Planned, then held (a sign-in sheet marks it held) or cancelled."""

    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("organiser unit"), on_delete=models.PROTECT, related_name="events"
    )
    topic = models.TextField(_("topic"), blank=True)
    providers = models.ManyToManyField(
        "providers.Provider", verbose_name=_("service providers"), blank=True, related_name="programme_events"
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.PLANNED, db_index=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    sign_in_uploaded_at = models.DateTimeField(_("sign-in sheet uploaded at"), null=True, blank=True)
    created_by = user_reference(_("created by"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["organiser_unit", "starts_at"], name="event_unit_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event ends after it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def is_district_wide(self):
        return self.organiser_unit.parent_id is None


class Invitation(models.Model):
    """An enterprise invited to an event, with the address its contact is written to (when known)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="invitations"
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    invited_by = user_reference(_("invited by"), blank=True)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["enterprise__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "enterprise"],
                name="event_invitation_once",
                violation_error_message=_("This enterprise is already invited to this event."),
            )
        ]

    def __str__(self):
        return f"{self.event} · {self.enterprise}"


class Attendance(models.Model):
    """One person of an enterprise who came to an event: name, title, phone, when they signed in, and
    whether the organiser typed it or a sign-in sheet brought it."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendance")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="attendance"
    )
    attendee_name = models.CharField(_("attendee name"), max_length=64)
    attendee_title = models.CharField(_("attendee title"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=AttendanceSource.choices, default=AttendanceSource.MANUAL
    )
    batch = models.ForeignKey(
        "events.SignInBatch",
        verbose_name=_("sign-in sheet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = user_reference(_("recorded by"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["enterprise__name", "attendee_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "enterprise", "attendee_name"],
                name="event_attendee_once",
                violation_error_message=_("This person of this enterprise is already recorded at this event."),
            )
        ]

    def __str__(self):
        return f"{self.attendee_name} ({self.enterprise})"


def sign_in_upload_to(instance, filename):
    """Sign-in sheets are kept (for the preview's commit and the error sheet) under random names."""
    return spreadsheet_stored_name("sign-in", filename)


class SignInBatchQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The uploader sees their batches; the global readers see all."""
        role = role_of(viewer)
        if role is None:
            return self.none()
        if role in GLOBAL_READ_ROLES:
            return self
        return self.filter(uploaded_by=viewer)


class SignInBatch(UploadBatch):
    """One upload of an event's sign-in sheet (签到表): a preview or a commit, as every import's batch."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sign_in_batches")
    file = models.FileField(_("file"), upload_to=sign_in_upload_to, max_length=255)

    objects = SignInBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in sheet upload")
        verbose_name_plural = _("sign-in sheet uploads")
        ordering = ["-uploaded_at"]
