"""The record of a history back-fill upload (:mod:`funding.backfill`), imported by ``funding.models``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import spreadsheet_stored_name
from core.roles import GLOBAL_READ_ROLES, role_of
from core.tabular.batches import UploadBatch


def backfill_upload_to(instance, filename):
    """Uploaded back-fill files are kept (for the commit and the error sheet) under random names."""
    return spreadsheet_stored_name("backfill", filename)


class BackfillBatchQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The district, finance officers, admins and auditors see every back-fill; nobody else any."""
        if role_of(viewer) in GLOBAL_READ_ROLES:
            return self
        return self.none()


class BackfillBatch(UploadBatch):
    """One upload of the programme's history (projects, acceptances, payments since October 2024):
    who, when, which file, what each row did. A preview and a commit are both batches (``committed``
    tells which); the commit of a preview is a new batch over the same stored file, linked to it
    (``preview_of``). A long file is processed by a background job (``job``) while the batch is
    pending, then running."""

    file = models.FileField(_("file"), upload_to=backfill_upload_to, max_length=255)
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

    objects = BackfillBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("history back-fill")
        verbose_name_plural = _("history back-fills")
        ordering = ["-uploaded_at"]
