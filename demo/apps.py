from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark data: the factories, ``seed_demo`` and the scale generator (``generate_scale``).
    Above every other app (it uses them all); no product module imports it."""

    name = "demo"
    verbose_name = _("Demo data")
