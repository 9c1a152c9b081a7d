from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """The auditor's dossier: one zip of everything about a project, an enterprise, or a unit over a period.
    Above ``reports``: it reads the funding, diagnostics, reports and trail apps (docs/architecture.md)."""

    name = "dossiers"
    verbose_name = _("Auditor dossiers")

    def ready(self):
        from core import registry

        from . import tasks  # noqa: F401 - registers the dossier task with the Celery app

        # A dossier is its own job row: the requeue task re-sends a lost one (broker down, worker killed).
        registry.leased_models.register(
            "dossiers.Dossier", registry.LeasedModel("dossiers.tasks.build_dossier_task", "created_at")
        )
