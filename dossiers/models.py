"""The auditor's dossier (issue 14): one zip with everything the portal holds about a project, an enterprise, or a
unit over a reporting period, with a manifest of every file's SHA-256 and the audit chain's head at the time."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import LeasedWork, random_stored_name, user_reference
from core.roles import GLOBAL_READ_ROLES, role_of


class DossierQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The requester sees their own dossiers; the global readers (district officials, finance officers,
        auditors, admins) see every dossier. Anyone else sees none."""
        role = role_of(viewer)
        if role is None:
            return self.none()
        if role in GLOBAL_READ_ROLES:
            return self
        return self.filter(requested_by=viewer)


def dossier_upload_to(instance, filename):
    """A random stored name under MEDIA_ROOT (outside the web root); served only by the checked download."""
    return random_stored_name("dossiers", filename)


class Dossier(LeasedWork):
    """An auditor's dossier of one subject, built by a Celery task into one zip: ``summary.pdf``, the attachments
    of the records it covers, ``approvals.csv``, ``ledger.csv``, ``audit_trail.csv`` and ``manifest.json``.

    The subject is exactly one of a project, an enterprise, or a unit with a reporting period. The row is its own
    job status (:class:`core.models.LeasedWork`); ``progress_done`` of ``progress_total`` steps say how far the
    build is. ``audit_head``/``audit_entries`` are the audit chain's head when the dossier was requested: the
    dossier's audit-trail extract stops there.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        "funding.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("reporting period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    requested_by = user_reference(_("requested by"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps"), default=0)
    progress_message = models.CharField(_("progress"), max_length=255, blank=True)
    file = models.FileField(_("zip file"), upload_to=dossier_upload_to, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    audit_head = models.CharField(_("audit chain head"), max_length=64)
    audit_entries = models.BigIntegerField(_("audit chain entries"), default=0)
    #: The zip's manifest.json, kept for the dossier's page (files, head, subject, generated at and by).
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    history = HistoricalRecords()

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditor dossier")
        verbose_name_plural = _("auditor dossiers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="dossier_requester")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, enterprise__isnull=True, unit__isnull=True, period__isnull=True)
                    | Q(project__isnull=True, enterprise__isnull=False, unit__isnull=True, period__isnull=True)
                    | Q(project__isnull=True, enterprise__isnull=True, unit__isnull=False, period__isnull=False)
                ),
                name="dossier_one_subject",
                violation_error_message=_("A dossier is about one project, one enterprise, or one unit and period."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def subject_kind(self):
        if self.project_id:
            return "project"
        if self.enterprise_id:
            return "enterprise"
        return "unit"

    @property
    def progress_percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    def subject_dict(self):
        """The subject as the API and the manifest name it."""
        if self.project_id:
            return {"kind": "project", "project": self.project_id, "title": self.title}
        if self.enterprise_id:
            return {"kind": "enterprise", "enterprise": self.enterprise_id, "title": self.title}
        return {
            "kind": "unit",
            "unit": self.unit.code if self.unit_id else None,
            "period": self.period.code if self.period_id else None,
            "title": self.title,
        }
