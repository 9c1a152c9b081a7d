from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitReportsConfig(AppConfig):
    """Unit reports (定期上报): the district's rounds and each unit's periodic report. It reads the indicator
    engine (``reports``), so it sits above it (docs/architecture.md "Layers")."""

    name = "unitreports"
    verbose_name = _("Unit reports")

    def ready(self):
        from core import registry

        from . import measures, reminders, tasks  # noqa: F401  (tasks: registered by name in every process)

        registry.reminder_sources.register("unitreports.reports", reminders.open_unit_reports)
        # The street/town assessment's part "unit reports" (docs/architecture.md "The street/town assessment").
        registry.unit_measures.register("unit_reports", measures.unit_reports)
