from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Transformation projects, acceptance, recognitions, and the central + district fund ledger.
    Built by the projects-and-funding issue; depends on everything to its left, not on reports."""

    name = "funding"
    verbose_name = _("Projects and funding")

    def ready(self):
        from core.roles import Role
        from core.scoping import register_enterprise_link
        from enterprises.sections import register_enterprise_section

        from . import scorecard_metrics, tasks  # noqa: F401 - tasks: registers the back-fill task in every process
        from .sections import projects_section

        register_enterprise_link(Role.PROVIDER_USER, "funding.Project", organisation_field="provider")
        register_enterprise_link(
            Role.EVALUATOR,
            "funding.Acceptance",
            enterprise_field="project__enterprise",
            organisation_field="evaluation_body",
        )
        register_enterprise_section(
            "projects", template="funding/enterprise_section.html", context=projects_section, order=60
        )
        scorecard_metrics.register()
