"""Who may change providers, evaluation bodies and assignments. Each returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core.roles import DISTRICT_ROLES, role_of


def can_manage_providers(user):
    """The district (officials and admins) keeps the provider and evaluator registries and assigns enterprises."""
    if role_of(user) in DISTRICT_ROLES:
        return True, ""
    return False, _("Only a district official may change the provider and evaluator registries.")
