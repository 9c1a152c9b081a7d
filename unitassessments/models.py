"""The scoring template of the street/town assessment (街镇考核, work plan §四(二)) as data: one row per part,
with its weight, edited by the district; every change is kept in its history (who, when, old → new, why)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import user_reference

from .choices import Part


class AssessmentPart(models.Model):
    """One part of the street/town assessment's scoring template and its weight (points; the score is
    normalised over the parts measured, docs/domain.md "Street/town assessment")."""

    key = models.CharField(_("part"), max_length=32, choices=Part.choices, unique=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    #: The weight before the latest change (so each history row says old → new, the first one included).
    previous_weight = models.DecimalField(_("previous weight"), max_digits=5, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_by = user_reference(_("updated by"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment part")
        verbose_name_plural = _("assessment parts")
        ordering = ["order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="ua_part_weight_range",
                violation_error_message=_("A weight is from 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.get_key_display()} · {self.weight}"
