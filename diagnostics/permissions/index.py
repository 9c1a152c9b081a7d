"""Who may correct the index's data. The predicate returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core.permissions import may_act_as
from core.roles import DISTRICT_ROLES


def can_edit_index(user):
    """The district and admins correct the index's data (points, labels, the level rule)."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official may change the index."))
