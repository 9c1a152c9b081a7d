from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfEvaluationsConfig(AppConfig):
    """The district's mid-term and final performance self-evaluations. Above ``reports`` and ``worklists``: it
    reads the report snapshots, the task list and the ledger (docs/architecture.md)."""

    name = "selfevaluations"
    verbose_name = _("Self-evaluations")

    def ready(self):
        from core import registry

        from . import tasks  # noqa: F401 - registers the build task with the Celery app

        registry.leased_models.register(
            "selfevaluations.SelfEvaluation",
            registry.LeasedModel("selfevaluations.tasks.build_selfevaluation_task", "created_at"),
        )
