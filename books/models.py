"""Closures of the books and the exceptions to them (docs/architecture.md "Period close").

Both keep field history, so that every close, reopening, exception and use of one joins the audit trail.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import user_reference


class ClosureQuerySet(models.QuerySet):
    def in_force(self):
        """Closures not reopened: together they close the books through the greatest ``through``."""
        return self.filter(reopened_at__isnull=True)


class Closure(models.Model):
    """A close of the books: events dated on or before ``through`` are final, unless an exception lets a
    correction through. Reopening takes two people: one asks, with a reason; another approves."""

    through = models.DateField(_("closed through"))
    reason = models.TextField(_("reason"))
    closed_by = user_reference(_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopen_requested_by = user_reference(_("reopening asked by"), blank=True)
    reopen_requested_at = models.DateTimeField(_("reopening asked at"), null=True, blank=True)
    reopened_by = user_reference(_("reopened by"), blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("period close")
        verbose_name_plural = _("period closes")
        ordering = ["-closed_at", "-pk"]

    def __str__(self):
        return _("Closure #{number} through {day}").format(number=self.pk, day=self.through.isoformat())

    @property
    def is_in_force(self):
        return self.reopened_at is None

    @property
    def reopen_pending(self):
        return self.reopened_at is None and self.reopen_requested_at is not None


class ClosureException(models.Model):
    """Leave to correct one record (``record_model`` label and ``record_id``) although its events lie in a
    closed period. One person asks, with a reason; another approves; it then lets corrections of that record
    through until ``valid_until``, and each use is recorded (``used_at``, ``used_by``, ``uses``)."""

    closure = models.ForeignKey(Closure, verbose_name=_("closure"), on_delete=models.PROTECT, related_name="exceptions")
    record_model = models.CharField(_("record type"), max_length=100)
    record_id = models.CharField(_("record"), max_length=64)
    description = models.CharField(_("description"), max_length=255)
    reason = models.TextField(_("reason"))
    requested_by = user_reference(_("asked by"))
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    approved_by = user_reference(_("approved by"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    rejected_by = user_reference(_("rejected by"), blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    used_by = user_reference(_("last used by"), blank=True)
    used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("corrections made"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exception to a period close")
        verbose_name_plural = _("exceptions to period closes")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["record_model", "record_id"], name="books_exception_record_idx")]

    def __str__(self):
        return _("Exception #{number}").format(number=self.pk)

    @property
    def status(self):
        if self.rejected_at:
            return "rejected"
        if self.approved_at is None:
            return "requested"
        if self.valid_until and self.valid_until < timezone.now():
            return "expired"
        return "approved"

    @property
    def status_label(self):
        return {
            "rejected": _("Rejected"),
            "requested": _("Awaiting approval"),
            "expired": _("Expired"),
            "approved": _("Approved"),
        }[self.status]
