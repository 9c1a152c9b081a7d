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
        from core import registry
        from core.roles import Role

        from . import reminders, scorecard_metrics
        from .views import assessments, diagnoses

        registry.enterprise_links.register(
            "diagnostics.Diagnosis", registry.EnterpriseLink(Role.PROVIDER_USER, "provider")
        )
        registry.enterprise_links.register(
            "diagnostics.Assessment", registry.EnterpriseLink(Role.EVALUATOR, "evaluation_body")
        )

        scorecard_metrics.register()
        registry.reminder_sources.register("diagnostics.deadlines", reminders.open_deadlines)

        # Diagnosis reports and assessments (before vs after) on the enterprise file, overdue deadlines on the unit's page.
        registry.enterprise_sections.register(
            "diagnoses",
            registry.Section("diagnostics/diagnoses/enterprise_section.html", diagnoses.enterprise_section, order=20),
        )
        registry.unit_sections.register(
            "deadlines", registry.Section("diagnostics/diagnoses/deadline_unit_section.html", diagnoses.unit_section)
        )
        registry.enterprise_sections.register(
            "assessments",
            registry.Section(
                "diagnostics/assessments/enterprise_section.html", assessments.enterprise_section, order=30
            ),
        )
