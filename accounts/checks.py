"""System checks of the accounts settings."""

from django.conf import settings
from django.core.checks import Error, register

from core.roles import Role


@register()
def two_factor_roles(app_configs, **kwargs):
    """Every role named in PORTAL_TWO_FACTOR_ROLES exists (a typo would silently leave it off)."""
    unknown = sorted(set(settings.PORTAL_TWO_FACTOR_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"PORTAL_TWO_FACTOR_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use role codes among: {', '.join(Role.values)}.",
            id="accounts.E001",
        )
    ]
