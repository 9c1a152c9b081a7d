"""The chain's entries and its head (docs/architecture.md "The audit trail").

An entry names one stored history row (``source`` model label and ``source_pk``) and keeps the digest of its
canonical content chained to the digest before it. The head (one row) keeps the newest position and digest apart
from the entries, so that deleting the newest entry is seen too. Entries are never pruned.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class ChainLayout(models.Model):
    """The columns of a chained table, in order, as they were when its rows were sealed.

    An entry hashes the columns of its layout only, so a migration that adds a column to a history table leaves
    the rows sealed before it verifiable; a sealed column that disappears breaks them (it was part of the record).
    """

    source = models.CharField(_("history table"), max_length=100)
    columns = models.TextField(_("columns"))

    class Meta:
        verbose_name = _("audit-trail layout")
        verbose_name_plural = _("audit-trail layouts")
        constraints = [models.UniqueConstraint(fields=["source", "columns"], name="trail_layout_unique")]

    def __str__(self):
        return self.source

    @property
    def attnames(self):
        return self.columns.split(",")


class ChainEntry(models.Model):
    position = models.BigIntegerField(_("position"), unique=True)
    source = models.CharField(_("history table"), max_length=100)
    layout = models.ForeignKey(ChainLayout, verbose_name=_("columns"), on_delete=models.PROTECT, related_name="+")
    source_pk = models.BigIntegerField(_("history row"))
    record_model = models.CharField(_("record type"), max_length=100)
    record_id = models.CharField(_("record"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), auto_now_add=True)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("audit-trail entry")
        verbose_name_plural = _("audit-trail entries")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_pk"], name="trail_entry_source_unique"),
        ]
        indexes = [models.Index(fields=["record_model", "record_id"], name="trail_entry_record_idx")]

    def __str__(self):
        return f"#{self.position} {self.record_model}:{self.record_id}"


class ChainHead(models.Model):
    """The newest position and digest of the chain (a single row, id 1)."""

    position = models.BigIntegerField(_("position"), default=0)
    digest = models.CharField(_("digest"), max_length=64, default=GENESIS)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("audit-trail head")
        verbose_name_plural = _("audit-trail head")

    def __str__(self):
        return f"#{self.position} {self.digest}"
