"""The portal's roles (docs/api.md "Codes") and which of them read everything."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    DISTRICT_OFFICIAL = "district_official", _("District official")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    UNIT_STAFF = "unit_staff", _("Street/town staff")
    PROVIDER_USER = "provider_user", pgettext_lazy("role", "Service provider")
    EVALUATOR = "evaluator", _("Third-party evaluator")
    AUDITOR = "auditor", _("Auditor")


#: Roles that read every programme record without narrowing.
GLOBAL_READ_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.AUDITOR})
#: Roles that steer the programme (confirm, review, commit money).
DISTRICT_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL})


def role_of(user):
    """The effective role of ``user``; ``None`` for anonymous or deactivated users.

    A Django superuser acts as ``admin`` whatever its stored role.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return Role(user.role) if user.role else None


def has_role(user, *roles):
    """True when the user's effective role is one of ``roles`` (admin always qualifies)."""
    role = role_of(user)
    return role is not None and (role == Role.ADMIN or role in roles)
