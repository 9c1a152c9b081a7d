"""Who may do what with users. Each predicate returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core.permissions import may_act_as
from core.roles import Role


def can_manage_users(user):
    """Only administrators (and Django superusers) create, change, deactivate and unlock users."""
    return may_act_as(user, Role.ADMIN, reason=_("Only an administrator may manage users."))
