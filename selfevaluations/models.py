"""The district's own performance self-evaluation (issue 16): a mid-term or final report assembled from one report
snapshot and the officials' narrative sections, as an editable Word document and the same as PDF."""

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import LeasedWork, random_stored_name, user_reference
from core.roles import role_of

from .choices import Section, Stage
from .permissions import READ_ROLES


class ReaderQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """District officials, auditors and admins see every row; anyone else none."""
        return self if role_of(viewer) in READ_ROLES else self.none()


def docx_upload_to(instance, filename):
    return random_stored_name("selfevaluations", filename)


class SelfEvaluation(LeasedWork):
    """One version of the district's mid-term or final self-evaluation as of a day, built by a Celery task.

    ``snapshot`` is the district-wide report snapshot of the running total the task computed: every figure of the
    document comes from it or was read with it (``content``: the figures as the document shows them, kept so two
    versions can be compared). ``narratives`` are the officials' sections merged in (revision id, author, time).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    as_of = models.DateField(_("as of"))
    version = models.PositiveIntegerField(_("version"), default=1)
    requested_by = user_reference(_("requested by"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    snapshot = models.ForeignKey(
        "reports.ReportSnapshot",
        verbose_name=_("report snapshot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("figures"), default=dict, blank=True)
    narratives = models.JSONField(_("narrative sections merged"), default=list, blank=True)
    docx = models.FileField(_("Word document"), upload_to=docx_upload_to, max_length=255, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=docx_upload_to, max_length=255, blank=True)
    history = HistoricalRecords()

    objects = ReaderQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "version"], name="selfeval_stage_version"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} v{self.version} ({self.as_of})"

    def get_absolute_url(self):
        return reverse("selfevaluations:detail", args=[self.pk])

    @property
    def stage_name(self):
        return "中期自评估报告" if self.stage == Stage.MIDTERM else "实施后绩效自评估报告"

    def file_name(self, ext):
        return f"松江区中小企业数字化转型试点{self.stage_name}_截至{self.as_of.isoformat()}_第{self.version}版.{ext}"


class NarrativeRevision(models.Model):
    """A draft of one narrative section of a stage's report, as an official saved it. The newest revision of each
    section is the one the next generated version merges; earlier ones stay (who wrote what, and when)."""

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    text = models.TextField(_("text"), max_length=20000)
    author = user_reference(_("author"), blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ReaderQuerySet.as_manager()

    class Meta:
        verbose_name = _("narrative revision")
        verbose_name_plural = _("narrative revisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["stage", "section", "-created_at"], name="selfeval_narrative_latest")]

    def __str__(self):
        return f"{self.stage} {self.section} {self.created_at:%Y-%m-%d %H:%M}"
