from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class TrailConfig(AppConfig):
    """The tamper-evident audit trail: every history row the portal writes joins a hash chain
    (docs/architecture.md "The audit trail")."""

    name = "trail"
    verbose_name = _("Audit trail")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from . import services, tasks  # noqa: F401  (tasks: registered by name in every process)

        post_create_historical_record.connect(services.note_history_row, dispatch_uid="trail.note_history_row")
        for label in services.EVENT_MODELS:
            post_save.connect(services.note_event_row, sender=label, dispatch_uid=f"trail.note_event_row.{label}")
        # History written before the trail existed (or by a data migration) joins the chain after each migrate.
        post_migrate.connect(services.seal_after_migrate, sender=self, dispatch_uid="trail.seal_after_migrate")
