from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Transformation projects, acceptance, recognitions, and the central + district fund ledger.
    Depends on everything to its left, not on reports."""

    name = "funding"
    verbose_name = _("Projects and funding")

    def ready(self):
        from core import registry
        from core.roles import Role

        from . import reminders, scorecard_metrics, tasks  # noqa: F401 - tasks: registers the back-fill task in every process
        from .sections import projects_section
        from .selectors import acceptance_offline_pages

        registry.reminder_sources.register("funding.projects", reminders.open_projects)
        registry.reminder_sources.register("funding.payments", reminders.open_payments)
        registry.enterprise_links.register("funding.Project", registry.EnterpriseLink(Role.PROVIDER_USER, "provider"))
        registry.enterprise_links.register(
            "funding.Acceptance",
            registry.EnterpriseLink(Role.EVALUATOR, "evaluation_body", enterprise_field="project__enterprise"),
        )
        registry.enterprise_sections.register(
            "projects", registry.Section("funding/enterprise_section.html", projects_section, order=60)
        )
        scorecard_metrics.register()
        registry.offline_pages.register("funding.acceptance", acceptance_offline_pages)
