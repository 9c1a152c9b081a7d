"""Whose report a viewer reads, at which date and for which period: the checks every report read starts with."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.roles import Role, role_of

from ..models import ReportingPeriod
from ..permissions import REPORT_ROLES


def report_scope(viewer, unit):
    """The unit a viewer's report covers (None = district-wide), or a refusal."""
    role = role_of(viewer)
    if role in REPORT_ROLES:
        return unit
    if role == Role.UNIT_STAFF:
        if unit is None or unit.pk == viewer.unit_id:
            return viewer.unit
        raise PermissionDenied(_("Street/town staff see the report of their own unit only."))
    raise PermissionDenied(_("Your role does not see the indicator report."))


def parse_as_of(value):
    """The as-of date asked for (``YYYY-MM-DD`` or a date; default today), never after today."""
    today = timezone.localdate()
    if value in (None, ""):
        return today
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise DomainError("invalid_date", _("Dates are written YYYY-MM-DD."), field="as_of") from exc
    if value > today:
        raise DomainError("as_of_in_future", _("The as-of date cannot be after today."), field="as_of")
    return value


def period_by_code(code):
    """The reporting period of ``code`` (2025, 2026, total), or a DomainError listing the codes."""
    period = ReportingPeriod.objects.filter(code=str(code or "").strip()).first()
    if period is None:
        codes = ", ".join(ReportingPeriod.objects.values_list("code", flat=True))
        raise DomainError("unknown_period", _("Choose a period: {codes}.").format(codes=codes), field="period")
    return period
