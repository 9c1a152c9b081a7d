"""Who may read and write self-evaluations (docs/api.md "Self-evaluations")."""

from django.utils.translation import gettext_lazy as _

from core.permissions import may_act_as
from core.roles import DISTRICT_ROLES, Role

#: District officials, auditors and admins read the reports, their versions and their narrative revisions.
READ_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR})
#: District officials and admins start reports and write their narrative sections.
WRITE_ROLES = DISTRICT_ROLES


def can_read_selfevaluations(user, obj=None):
    return may_act_as(user, *READ_ROLES, reason=_("Only the district, auditors and admins read self-evaluations."))


def can_write_selfevaluations(user, obj=None):
    return may_act_as(
        user, *WRITE_ROLES, reason=_("Only district officials and admins start self-evaluations and write them.")
    )
