from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    """The MIIT digital-level index as data, the scoring engine, diagnosis reports (一企一报告)
    and on-site level evaluations. Built by the providers-and-diagnostics issue; depends on
    core, accounts, enterprises and providers only."""

    name = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self):
        from core.roles import Role
        from core.scoping import register_enterprise_link

        register_enterprise_link(Role.PROVIDER_USER, "diagnostics.Diagnosis", organisation_field="provider")
        register_enterprise_link(Role.EVALUATOR, "diagnostics.Assessment", organisation_field="evaluation_body")
