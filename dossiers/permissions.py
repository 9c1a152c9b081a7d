"""Who may ask for an auditor's dossier (docs/api.md "Auditor dossier")."""

from django.utils.translation import gettext_lazy as _

from core.permissions import may_act_as
from core.roles import GLOBAL_READ_ROLES, Role

#: District officials, finance officers, auditors and admins; street/town staff for their own unit's records.
DOSSIER_ROLES = GLOBAL_READ_ROLES | {Role.UNIT_STAFF}


def can_request_dossier(user, obj=None):
    """The roles that ask for dossiers; which subjects they may ask about is the subject's scope (404 outside)."""
    return may_act_as(
        user,
        *DOSSIER_ROLES,
        reason=_("Only the district, finance officers, auditors and street/town staff ask for auditor dossiers."),
    )
