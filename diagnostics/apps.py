from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    """The MIIT digital-level index as data, the scoring engine, diagnosis reports (一企一报告)
    and on-site level evaluations. Built by the providers-and-diagnostics issue; depends on
    core, accounts, enterprises and providers only."""

    name = "diagnostics"
    verbose_name = _("Diagnostics")
