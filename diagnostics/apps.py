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

        from . import scorecard_metrics

        scorecard_metrics.register()

        # Diagnosis reports on the enterprise file, overdue deadlines on the unit's page.
        from enterprises.sections import register_enterprise_section, register_unit_section

        from . import diagnosis_views

        register_enterprise_section(
            "diagnoses",
            template="diagnostics/diagnosis_enterprise_section.html",
            context=diagnosis_views.enterprise_section,
            order=20,
        )
        register_unit_section(
            "deadlines", template="diagnostics/deadline_unit_section.html", context=diagnosis_views.unit_section
        )

        # Assessments side by side (before vs after) on the enterprise file.
        from . import assessment_views

        register_enterprise_section(
            "assessments",
            template="diagnostics/assessment_section.html",
            context=assessment_views.enterprise_section,
            order=30,
        )
