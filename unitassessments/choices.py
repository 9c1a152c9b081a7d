"""The parts of the street/town assessment (街镇考核): the keys of the scoring template and of
``core.registry.unit_measures`` (docs/domain.md "Street/town assessment")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Part(models.TextChoices):
    INDICATOR_COMPLETION = "indicator_completion", _("Indicator completion against the unit's targets")
    UNIT_REPORTS = "unit_reports", _("Timeliness and completeness of the unit's reports")
    DATA_QUALITY = "data_quality", _("Data quality of the unit's registry")
    OVERDUE_ITEMS = "overdue_items", _("Overdue items")
    WITHDRAWALS = "withdrawals", _("Withdrawals without replacement")


#: The weights the template starts with (points out of 100); the district edits them.
DEFAULT_WEIGHTS = {
    Part.INDICATOR_COMPLETION: 40,
    Part.UNIT_REPORTS: 20,
    Part.DATA_QUALITY: 15,
    Part.OVERDUE_ITEMS: 15,
    Part.WITHDRAWALS: 10,
}

#: The years the assessment is computed for: the reporting periods of these codes (docs/domain.md §6).
YEARS = (2025, 2026)
