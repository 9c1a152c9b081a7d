from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitAssessmentsConfig(AppConfig):
    """The street/town responsibility assessment (街镇考核): a weighted template of parts, each measured per unit
    and year by the app owning its records (``core.registry.unit_measures``), ranked and explained."""

    name = "unitassessments"
    verbose_name = _("Street/town assessment")

    def ready(self):
        from core import registry

        from . import measures
        from .choices import Part

        registry.unit_measures.register(Part.INDICATOR_COMPLETION, measures.indicator_completion)
        registry.unit_measures.register(Part.OVERDUE_ITEMS, measures.overdue_items)
        registry.unit_measures.register(Part.WITHDRAWALS, measures.withdrawals)
