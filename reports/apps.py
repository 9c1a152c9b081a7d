from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Indicators (target vs actual), Celery report snapshots, dashboards and PDF/XLSX summaries.
    The last layer: reads every other app through its selectors (the layout: ``reports.selectors``)."""

    name = "reports"
    verbose_name = _("Indicators and reports")

    def ready(self):
        from core import registry

        from . import tasks  # noqa: F401 - registers the report tasks with the Celery app

        # A snapshot is its own job row: the requeue task re-sends a lost one (broker down, worker killed).
        registry.leased_models.register(
            "reports.ReportSnapshot", registry.LeasedModel("reports.tasks.compute_snapshot_task", "requested_at")
        )
