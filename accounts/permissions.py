"""Who may do what with users. Each predicate returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core.roles import Role, role_of


def can_manage_users(user):
    """Only administrators (and Django superusers) create, change, deactivate and unlock users."""
    if role_of(user) == Role.ADMIN:
        return True, ""
    return False, _("Only an administrator may manage users.")
