"""Who closes the books, reopens them and grants exceptions (docs/domain.md "Roles")."""

from django.utils.translation import gettext_lazy as _

from core.permissions import may_act_as
from core.roles import Role

#: Who closes, reopens and grants exceptions; admins always may.
BOOKKEEPERS = (Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER)
#: Who reads the closures and their exceptions.
READERS = (*BOOKKEEPERS, Role.AUDITOR)


def can_view_closures(user, obj=None):
    """District officials, finance officers, auditors and admins read the closures and their exceptions."""
    return may_act_as(user, *READERS, reason=_("Only district officials, finance officers and auditors see closures."))


def can_close_books(user, obj=None):
    """District officials, finance officers and admins close the books, ask for and approve reopenings and
    exceptions (the second person of each is checked by the service)."""
    return may_act_as(
        user, *BOOKKEEPERS, reason=_("Only district officials, finance officers and admins close the books.")
    )
