"""Reads of unit reports, scoped: the rounds, the reports, a unit's figures for a round, the overview of who
has reported (on time, late, missing) and the timeliness figures the unit assessment reads."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.models import OrgUnit
from core.roles import Role, role_of
from reports.models import Indicator, ReportingPeriod
from reports.selectors.indicators import compute

from .choices import ReportStatus, Timeliness
from .filters import UnitReportFilter
from .models import ReportRound, UnitReport

TWO_PLACES = Decimal("0.01")
#: A late report counts half of one on time in the timeliness score.
LATE_WEIGHT = Decimal("0.5")


def round_list(*, viewer, period=None):
    rounds = ReportRound.objects.visible_to(viewer).select_related("indicator_period")
    if period is not None:
        rounds = rounds.filter(indicator_period=period)
    return rounds.order_by("period_start", "code")


def round_get(*, viewer, pk):
    return round_list(viewer=viewer).get(pk=pk)


def report_list(*, viewer):
    return UnitReport.objects.visible_to(viewer).select_related("round", "unit", "submitted_by", "reviewed_by")


def report_filtered(*, viewer, params):
    filterset = UnitReportFilter(params, queryset=report_list(viewer=viewer), viewer=viewer)
    return filterset, filterset.qs


def report_get(*, viewer, pk):
    return report_list(viewer=viewer).get(pk=pk)


def report_history(*, report):
    return list(report.transitions.select_related("actor").order_by("recorded_at", "pk"))


def reporting_units(*, viewer=None):
    """The streets, towns and zone that report; unit staff see their own only."""
    units = OrgUnit.objects.filter(parent__isnull=False).order_by("code")
    if viewer is not None and role_of(viewer) == Role.UNIT_STAFF:
        units = units.filter(pk=viewer.unit_id)
    return units


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def prefilled_figures(*, round, unit, today=None):
    """``(figures, as_of)``: the unit's actual of every indicator for the round's indicator period, counted up
    to the round's last day (or today, if earlier), by the indicator engine (docs/domain.md §6)."""
    today = today or timezone.localdate()
    period = round.indicator_period
    as_of = min(round.period_end, today)
    values = compute(start=period.start, end=period.end, as_of=as_of, unit=unit)
    return {number: _plain(value) for number, value in values.items()}, as_of


def figure_rows(report):
    """The report's figures with the indicators' names, in the table's order; rows without a value left out."""
    rows = []
    for indicator in Indicator.objects.order_by("order", "pk"):
        if indicator.number not in report.figures:
            continue
        value = report.figures[indicator.number]
        if value is None:
            continue
        if indicator.category == Indicator.Category.RATIO:
            value = f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
        rows.append(
            {"number": indicator.number, "name": indicator.name, "unit": indicator.unit_of_measure, "value": value}
        )
    return rows


def _submitted_on(report):
    if report is None or report.first_submitted_at is None:
        return None
    return timezone.localdate(report.first_submitted_at)


def cell_state(round, report, today):
    """Where one unit stands for one round: on time, late, missing (past due, nothing submitted) or open."""
    submitted = _submitted_on(report)
    if submitted is not None:
        return Timeliness.ON_TIME if submitted <= round.due_on else Timeliness.LATE
    return Timeliness.MISSING if today > round.due_on else Timeliness.OPEN


def _reports_by_key(rounds):
    return {(r.round_id, r.unit_id): r for r in UnitReport.objects.filter(round__in=rounds)}


def overview(*, viewer, period, today=None):
    """The district overview for one indicator period: a row per unit (the viewer's), a cell per round, and the
    unit's tallies. ``{"rounds": [...], "rows": [{"unit", "cells": [{"round", "report", "state"}], "tally"}]}``."""
    today = today or timezone.localdate()
    rounds = list(round_list(viewer=viewer, period=period))
    reports = _reports_by_key(rounds)
    rows = []
    for unit in reporting_units(viewer=viewer):
        cells = []
        for rnd in rounds:
            report = reports.get((rnd.pk, unit.pk))
            cells.append({"round": rnd, "report": report, "state": cell_state(rnd, report, today)})
        rows.append({"unit": unit, "cells": cells, "tally": _tally(cells, today)})
    return {"rounds": rounds, "rows": rows, "today": today}


def _tally(cells, today):
    due = [c for c in cells if c["round"].due_on < today]
    counts = {state: sum(1 for c in due if c["state"] == state) for state in Timeliness.values}
    complete = sum(
        1
        for c in due
        if c["report"] is not None
        and c["report"].status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        and c["report"].complete
    )
    if due:
        score = (Decimal(counts["on_time"]) + LATE_WEIGHT * counts["late"]) * 100 / Decimal(len(due))
    else:
        score = Decimal(100)
    return {
        "score": score.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        "due": len(due),
        "on_time": counts["on_time"],
        "late": counts["late"],
        "missing": counts["missing"],
        "complete": complete,
    }


def unit_report_timeliness(year, *, today=None) -> dict[str, dict]:
    """How each street, town and zone has reported in the indicator period named ``year`` (docs/domain.md §6:
    ``"2025"``, ``"2026"``), keyed by unit code. Only rounds whose due date has passed (before ``today``) count:

    * ``due``: those rounds; ``on_time`` + ``late`` + ``missing`` == ``due``;
    * ``on_time``: first submitted on or before the due date; ``late``: after it; ``missing``: not submitted;
    * ``complete``: of the due rounds, reports submitted or accepted (not sitting returned) with every
      section filled (work done, dynamic management, problems, next steps);
    * ``score``: Decimal 0–100, two places: (on_time + 0.5 × late) / due × 100; 100 when nothing is due yet.

    An unknown period name gives ``{}``. Not scoped: the assessment computes it for every unit."""
    today = today or timezone.localdate()
    period = ReportingPeriod.objects.filter(code=str(year)).first()
    if period is None:
        return {}
    rounds = list(ReportRound.objects.filter(indicator_period=period, due_on__lt=today).order_by("period_start"))
    reports = _reports_by_key(rounds)
    result = {}
    for unit in reporting_units():
        cells = [{"round": rnd, "report": reports.get((rnd.pk, unit.pk))} for rnd in rounds]
        for cell in cells:
            cell["state"] = cell_state(cell["round"], cell["report"], today)
        result[unit.code] = _tally(cells, today)
    return result


def open_reports(today):
    """``[(round, unit, report or None)]`` for every round due within the next 31 days or already past due
    whose unit has not submitted (a draft, a returned report or nothing): what the reminder pass reads."""
    horizon = today + datetime.timedelta(days=31)
    rounds = list(ReportRound.objects.filter(due_on__lte=horizon).order_by("due_on"))
    reports = _reports_by_key(rounds)
    units = list(reporting_units())
    found = []
    for rnd in rounds:
        for unit in units:
            report = reports.get((rnd.pk, unit.pk))
            if report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
                found.append((rnd, unit, report))
    return found


def district_period(today=None):
    """The indicator period today falls in (the latest that has begun), for the overview's default."""
    today = today or timezone.localdate()
    return (
        ReportingPeriod.objects.filter(start__lte=today, end__isnull=False).order_by("-start").first()
        or ReportingPeriod.objects.filter(end__isnull=False).order_by("start").first()
    )
