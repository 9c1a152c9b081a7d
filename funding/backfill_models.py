"""The record of a history back-fill upload (funding/backfill.py), imported by ``funding.models``."""

import uuid as uuid_lib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import GLOBAL_READ_ROLES, role_of


def backfill_upload_to(instance, filename):
    """Uploaded back-fill files are kept (for the commit and the error sheet) under random names."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"backfill/{uuid_lib.uuid4().hex}.{ext if ext in ('xlsx', 'csv') else 'bin'}"


class BackfillBatchQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The district, finance officers, admins and auditors see every back-fill; nobody else any."""
        if role_of(viewer) in GLOBAL_READ_ROLES:
            return self
        return self.none()


class BackfillBatch(models.Model):
    """One upload of the programme's history (projects, acceptances, payments since October 2024):
    who, when, which file, what each row did. A preview and a commit are both batches (``committed``
    tells which); the commit of a preview is a new batch over the same stored file. A long file is
    processed by a background job (``job``) while the batch is pending, then running."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid_lib.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=backfill_upload_to, max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"))
    #: The kinds of rows the file holds: "projects", "acceptances", "payments".
    kinds = models.JSONField(_("kinds of rows"), default=list, blank=True)
    preview_of = models.ForeignKey(
        "self",
        verbose_name=_("commit of the preview"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commits",
    )
    commit = models.BooleanField(_("commit"), default=False)
    committed = models.BooleanField(_("written"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    #: The background job of a file too long to process during the request.
    job = models.ForeignKey(
        "core.BackgroundJob",
        verbose_name=_("background job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = BackfillBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("history back-fill")
        verbose_name_plural = _("history back-fills")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"
