"""Who may correct the index's data. The predicate returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core.roles import DISTRICT_ROLES, role_of


def can_edit_index(user):
    """The district and admins correct the index's data (points, labels, the level rule)."""
    if role_of(user) in DISTRICT_ROLES:
        return True, ""
    return False, _("Only a district official may change the index.")
