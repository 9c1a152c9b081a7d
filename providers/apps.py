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
        from core.roles import Role
        from core.scoping import register_enterprise_link

        register_enterprise_link(Role.PROVIDER_USER, "providers.ProviderAssignment", organisation_field="provider")
        register_enterprise_link(Role.EVALUATOR, "providers.EvaluatorAssignment", organisation_field="evaluation_body")

        from core.registry import Picker, pickers
        from enterprises.sections import register_enterprise_section

        from . import scorecard_metrics, tasks  # noqa: F401  (tasks: registers the Celery task in every process)
        from .models import EvaluationBody, Provider
        from .sections import assignments_section

        pickers.register("provider", Picker(queryset=lambda viewer: Provider.objects.visible_to(viewer)))
        pickers.register("evaluation-body", Picker(queryset=lambda viewer: EvaluationBody.objects.visible_to(viewer)))
        scorecard_metrics.register()
        register_enterprise_section(
            "assignments", template="providers/enterprise_section.html", context=assignments_section, order=20
        )
