from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Reference data (units), scoping, background jobs, files and the UI shell."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Register the tasks in every process (web too), so a job can be sent by name.
        from . import tasks  # noqa: F401
