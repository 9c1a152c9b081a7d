"""Digital-level assessments of an enterprise: on-site evaluations and self-assessments."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EditedRecord, digital_level_check, enterprise_reference
from core.scoping import EnterpriseScopedQuerySet

from ..choices import AssessmentStatus, Method, Stage
from .index import ScoredAnswers


class AssessmentQuerySet(EnterpriseScopedQuerySet):
    def authoritative(self):
        """On-site evaluations that were submitted: the only ones the indicators count."""
        return self.filter(method=Method.ONSITE, status=AssessmentStatus.SUBMITTED)


class Assessment(ScoredAnswers, EditedRecord):
    """A digital-level assessment (数字化水平评测) of an enterprise, before or after transformation.

    The on-site evaluation (现场评定) by the evaluation body assigned to the enterprise is the
    authoritative one; a self-assessment (自评) informs but never counts.
    """

    enterprise = enterprise_reference("assessments")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    evaluation_body = models.ForeignKey(
        "providers.EvaluationBody",
        verbose_name=_("evaluation body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    evaluated_on = models.DateField(_("evaluated on"))
    evaluators = models.CharField(_("evaluators on site"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["enterprise", "-evaluated_on", "-pk"]
        indexes = [models.Index(fields=["enterprise", "stage", "method", "status"], name="diag_assessment_lookup")]
        constraints = [
            digital_level_check("level", name="diag_assessment_level_range"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_stage_display()} · {self.get_method_display()}"

    @property
    def authoritative(self):
        return self.method == Method.ONSITE and self.status == AssessmentStatus.SUBMITTED
