from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    """Service providers (服务商), third-party evaluation bodies (第三方机构) and their assignments.

    Besides the records roles and scoping need: the resource pool, products and the performance
    scorecard.
    """

    name = "providers"
    verbose_name = _("Service providers")

    def ready(self):
        # Start-up registrations (docs/architecture.md "Registries"); the models need the apps loaded.
        from core import registry
        from core.roles import Role

        from . import scorecard_metrics, tasks  # noqa: F401  (tasks: registers the Celery task in every process)
        from .models import EvaluationBody, Provider
        from .sections import assignments_section

        registry.enterprise_links.register(
            "providers.ProviderAssignment", registry.EnterpriseLink(Role.PROVIDER_USER, "provider")
        )
        registry.enterprise_links.register(
            "providers.EvaluatorAssignment", registry.EnterpriseLink(Role.EVALUATOR, "evaluation_body")
        )
        registry.pickers.register("provider", registry.Picker(lambda viewer: Provider.objects.visible_to(viewer)))
        registry.pickers.register(
            "evaluation-body", registry.Picker(lambda viewer: EvaluationBody.objects.visible_to(viewer))
        )
        scorecard_metrics.register()
        registry.enterprise_sections.register(
            "assignments", registry.Section("providers/enterprise_section.html", assignments_section, order=20)
        )
