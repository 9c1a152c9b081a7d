"""Who reads the audit trail (docs/domain.md "Roles")."""

from django.utils.translation import gettext as _

from core.permissions import OK, can_see_history
from core.roles import Role, has_role

VERIFIERS = (Role.ADMIN, Role.AUDITOR)


def can_verify_chain(user):
    """Admins and auditors verify the chain through the API and the command's report."""
    if has_role(user, *VERIFIERS):
        return OK
    return False, _("Only auditors and admins verify the audit trail.")


def can_read_trail(user):
    """The trail page: whoever reads history (district officials, auditors, admins)."""
    return can_see_history(user)
