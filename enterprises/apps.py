from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """The registry of pilot enterprises (一企一档): the list every indicator is counted from."""

    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from core import registry

        from . import tasks  # noqa: F401  (registers the roster tasks in every process)
        from .models import Enterprise

        registry.pickers.register("enterprise", registry.Picker(lambda viewer: Enterprise.objects.visible_to(viewer)))
