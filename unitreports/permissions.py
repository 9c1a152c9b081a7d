"""Who may do what with unit reports: ``can_<action>(user, obj=None) -> (allowed, reason)``.

The district (district officials, admins) sets the schedule and reviews; a unit's staff fill and submit their
own unit's report; auditors read. Finance officers, providers and evaluators have no part in it."""

from django.utils.translation import gettext_lazy as _

from core.permissions import OK, may_act_as
from core.roles import DISTRICT_ROLES, Role, has_role, role_of

from .choices import ReportStatus
from .models import READER_ROLES


def can_read(user, obj=None):
    role = role_of(user)
    if role in READER_ROLES or role == Role.UNIT_STAFF:
        return OK
    return False, _("Unit reports are read by the district, auditors and the units' own staff.")


def can_manage_rounds(user, obj=None):
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only district officials set the reporting rounds."))


def can_fill(user, unit=None):
    """Unit staff fill their own unit's report."""
    if role_of(user) != Role.UNIT_STAFF or not user.unit_id:
        return False, _("Only the staff of a street, town or zone fill its report.")
    if unit is not None and unit.pk != user.unit_id:
        return False, _("You fill the report of your own unit only.")
    return OK


def can_edit(user, report):
    allowed, reason = can_fill(user, report.unit)
    if not allowed:
        return allowed, reason
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return False, _("A submitted report is changed only after the district returns it.")
    return OK


def can_review(user, report=None):
    if not has_role(user, *DISTRICT_ROLES):
        return False, _("Only district officials review unit reports.")
    if report is not None and report.status != ReportStatus.SUBMITTED:
        return False, _("Only a submitted report is reviewed.")
    return OK
