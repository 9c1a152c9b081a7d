"""Who may do what in the registry. Each predicate returns ``(allowed, reason)``; scope (which
enterprises a user sees at all) is the queryset's business, these check role, unit and state."""

from django.utils.translation import gettext as _

from core.permissions import may_act_as
from core.roles import DISTRICT_ROLES, Role, role_of

from .choices import Status


def can_create_in_unit(user, unit):
    """The district adds enterprises anywhere; unit staff only in their own unit."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return True, ""
    if role == Role.UNIT_STAFF:
        if unit is not None and unit.pk == user.unit_id:
            return True, ""
        return False, _("Street/town staff may only add enterprises of their own unit.")
    return False, _("Only street/town staff and district officials add enterprises.")


def can_edit(user, enterprise):
    """The district edits any enterprise; unit staff those of their unit that are not withdrawn or declined."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return True, ""
    if role == Role.UNIT_STAFF and enterprise.unit_id == user.unit_id:
        if enterprise.status in (Status.WITHDRAWN, Status.DECLINED, Status.MERGED):
            return False, _("A withdrawn or declined enterprise can only be corrected by the district.")
        return True, ""
    return False, _("You may not change this enterprise.")


def can_decide(user):
    """Confirming into, declining from, reinstating into the pilot list, moving units, accepting codes."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official may do this."))


def can_withdraw(user, enterprise):
    """The district, or the staff of the enterprise's own unit, withdraw it (naming a replacement)."""
    role = role_of(user)
    if role in DISTRICT_ROLES or (role == Role.UNIT_STAFF and enterprise.unit_id == user.unit_id):
        return True, ""
    return False, _("Only the district or the enterprise's own street/town may withdraw it.")


def can_import(user):
    """Roster uploads: unit staff (for their unit), district officials and admins."""
    return may_act_as(
        user,
        *DISTRICT_ROLES,
        Role.UNIT_STAFF,
        reason=_("Only street/town staff and district officials upload rosters."),
    )


def can_override_code(user):
    """Accepting a credit code that fails only its check character, with a recorded reason."""
    return can_decide(user)
