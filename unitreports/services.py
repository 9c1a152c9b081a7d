"""Writes of unit reports: the district's rounds, a unit's draft and submission, the district's review.

Every step writes a :class:`~unitreports.models.UnitReportTransition` and a history row, and tells the people
concerned (``notifications``). A report is a dated event of its period: once the books are closed through the
period's last day (``books.services.guard``), it changes only under an approved exception."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from books.services import guard
from core.errors import Conflict, DomainError
from core.history import save_with_history
from core.permissions import require
from notifications import services as notifications
from notifications.choices import NotificationKind

from . import permissions
from .choices import ReportAction, ReportStatus
from .models import SECTIONS, ReportRound, UnitReport, UnitReportTransition
from .selectors import prefilled_figures

ROUND_FIELDS = ("code", "name", "cadence", "period_start", "period_end", "due_on", "indicator_period")


@transaction.atomic
def round_save(*, actor, round=None, **fields):
    """Add a reporting round, or change one (district officials)."""
    require(permissions.can_manage_rounds(actor))
    creating = round is None
    round = round or ReportRound(created_by=actor)
    for name in ROUND_FIELDS:
        if name in fields:
            setattr(round, name, fields[name])
    return save_with_history(round, actor=actor, reason=_("Round added") if creating else _("Round changed"))


def _step(report, *, actor, action, reason=""):
    UnitReportTransition.objects.create(report=report, action=action, actor=actor, reason=reason)


def _link(report):
    return reverse("unitreports:detail", args=[report.pk])


def _refresh_figures(report):
    report.figures, report.figures_as_of = prefilled_figures(round=report.round, unit=report.unit)


@transaction.atomic
def report_start(*, actor, round, unit=None):
    """The actor's unit's report for ``round``: the existing one, or a new draft with the unit's figures."""
    unit = unit or actor.unit
    require(permissions.can_fill(actor, unit))
    existing = UnitReport.objects.filter(round=round, unit=unit).first()
    if existing is not None:
        return existing
    guard(round.period_end, actor=actor)
    report = UnitReport(round=round, unit=unit, created_by=actor)
    _refresh_figures(report)
    save_with_history(report, actor=actor, reason=_("Report started"))
    _step(report, actor=actor, action=ReportAction.CREATED)
    return report


@transaction.atomic
def report_save(*, actor, report, submit=False, **sections):
    """Save the narrative of a draft (or of a returned report) and refresh its figures; with ``submit``, hand it
    to the district (it needs at least the work done). Submitting freezes the figures until it is returned."""
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    require(permissions.can_edit(actor, report))
    guard(report.round.period_end, record=report, actor=actor)
    for name in SECTIONS:
        if name in sections:
            setattr(report, name, (sections[name] or "").strip())
    _refresh_figures(report)
    if not submit:
        save_with_history(report, actor=actor, reason=_("Draft saved"))
        _step(report, actor=actor, action=ReportAction.SAVED)
        return report
    if not report.work_done:
        raise DomainError(
            "required", _("Describe the work done before submitting the report."), field="work_done", status=400
        )
    now = timezone.now()
    report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, now, actor
    report.first_submitted_at = report.first_submitted_at or now
    report.return_reason = ""
    save_with_history(report, actor=actor, reason=_("Submitted"))
    _step(report, actor=actor, action=ReportAction.SUBMITTED)
    notifications.notify_event(
        notifications.district_officials(),
        NotificationKind.UNIT_REPORT_SUBMITTED,
        str(report),
        link=_link(report),
        actor=actor,
    )
    return report


def _review(actor, report):
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict("invalid_state", _("Only a submitted report is reviewed."))
    require(permissions.can_review(actor, report))
    guard(report.round.period_end, record=report, actor=actor)
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    return report


@transaction.atomic
def report_accept(*, actor, report):
    """The district accepts a submitted report; the unit's staff are told."""
    report = _review(actor, report)
    report.status = ReportStatus.ACCEPTED
    save_with_history(report, actor=actor, reason=_("Accepted"))
    _step(report, actor=actor, action=ReportAction.ACCEPTED)
    notifications.notify_event(
        notifications.unit_staff(report.unit_id),
        NotificationKind.UNIT_REPORT_ACCEPTED,
        str(report),
        link=_link(report),
        actor=actor,
    )
    return report


@transaction.atomic
def report_return(*, actor, report, reason):
    """The district returns a submitted report with a reason; the unit's staff are told and may change it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("required", _("Say why the report is returned."), field="reason", status=400)
    report = _review(actor, report)
    report.status, report.return_reason = ReportStatus.RETURNED, reason
    save_with_history(report, actor=actor, reason=_("Returned: {reason}").format(reason=reason))
    _step(report, actor=actor, action=ReportAction.RETURNED, reason=reason)
    notifications.notify_event(
        notifications.unit_staff(report.unit_id),
        NotificationKind.UNIT_REPORT_RETURNED,
        str(report),
        link=_link(report),
        body=reason,
        actor=actor,
    )
    return report
