"""Who reads the street/town assessment and who edits its weights."""

from django.utils.translation import gettext_lazy as _

from core.roles import DISTRICT_ROLES, Role, role_of

#: Who reads every unit's assessment and the ranking (docs/api.md): district officials, auditors, admins.
RANKING_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR})
#: Who edits the scoring template's weights.
WEIGHT_EDIT_ROLES = DISTRICT_ROLES


def can_view_ranking(user):
    """Whether ``user`` reads every unit's assessment (unit staff read their own unit's only)."""
    if role_of(user) in RANKING_ROLES:
        return True, ""
    return False, _("Only district officials, auditors and administrators read the ranking of the units.")


def can_view_unit(user, unit):
    """Whether ``user`` reads the assessment of ``unit``."""
    role = role_of(user)
    if role in RANKING_ROLES:
        return True, ""
    if role == Role.UNIT_STAFF and unit is not None and user.unit_id == unit.pk:
        return True, ""
    return False, _("Street/town staff read the assessment of their own unit only.")


def can_edit_weights(user):
    """Whether ``user`` edits the weights of the scoring template."""
    if role_of(user) in WEIGHT_EDIT_ROLES:
        return True, ""
    return False, _("Only district officials and administrators edit the weights of the assessment.")
