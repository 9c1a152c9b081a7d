"""Who reads the data-quality centre, resolves findings and merges duplicates (docs/domain.md "Roles")."""

from django.utils.translation import gettext_lazy as _

from core.permissions import OK, may_act_as
from core.roles import Role, role_of

#: Who reads findings: the district, and unit staff for their own unit.
READERS = (Role.DISTRICT_OFFICIAL, Role.UNIT_STAFF)


def can_view_findings(user, obj=None):
    """District officials and admins read every unit's findings; unit staff their own unit's."""
    return may_act_as(user, *READERS, reason=_("Only district officials and unit staff see data-quality findings."))


def can_resolve_finding(user, enterprise=None):
    """District officials and admins resolve any finding; unit staff those on their own unit's enterprises."""
    if role_of(user) == Role.UNIT_STAFF:
        if enterprise is not None and enterprise.unit_id != user.unit_id:
            return False, _("Unit staff resolve findings on their own unit's enterprises only.")
        return OK
    return may_act_as(user, *READERS, reason=_("Only district officials and unit staff resolve findings."))


def can_merge_enterprises(user, obj=None):
    """Only district officials (and admins) merge duplicate enterprises."""
    return may_act_as(user, Role.DISTRICT_OFFICIAL, reason=_("Only district officials merge duplicate enterprises."))


def can_view_unit_scores(user, obj=None):
    """The per-unit score table is the district's."""
    return may_act_as(
        user, Role.DISTRICT_OFFICIAL, Role.AUDITOR, reason=_("Only the district sees every unit's quality score.")
    )
