from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    """The MIIT digital-level index as data with its scoring engine, on-site level evaluations
    (assessments) and diagnosis reports (一企一报告) with their deadlines; depends on core, accounts,
    enterprises and providers only."""

    name = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self):
        # Start-up registrations: imported here because the registries' modules need the app registry ready.
        from core.roles import Role
        from core.scoping import register_enterprise_link
        from enterprises.sections import register_enterprise_section, register_unit_section

        from . import scorecard_metrics
        from .views import assessments, diagnoses

        register_enterprise_link(Role.PROVIDER_USER, "diagnostics.Diagnosis", organisation_field="provider")
        register_enterprise_link(Role.EVALUATOR, "diagnostics.Assessment", organisation_field="evaluation_body")

        scorecard_metrics.register()

        # Diagnosis reports and assessments (before vs after) on the enterprise file, overdue deadlines on the unit's page.
        register_enterprise_section(
            "diagnoses",
            template="diagnostics/diagnoses/enterprise_section.html",
            context=diagnoses.enterprise_section,
            order=20,
        )
        register_unit_section(
            "deadlines", template="diagnostics/diagnoses/deadline_unit_section.html", context=diagnoses.unit_section
        )
        register_enterprise_section(
            "assessments",
            template="diagnostics/assessments/enterprise_section.html",
            context=assessments.enterprise_section,
            order=30,
        )
