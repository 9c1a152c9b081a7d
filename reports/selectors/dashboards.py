"""What the indicator dashboard shows for a viewer's scope: per period the latest snapshot's rows or the
report computed now, the units' heat map, the trend over the snapshots, the level distribution and the
money committed and paid per fund source."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum

from core.selectors import unit_list
from diagnostics.choices import Stage
from diagnostics.models import Assessment
from enterprises.models import Enterprise
from funding import balances
from funding.choices import CommitmentStatus, DisbursementStatus
from funding.models import CommitmentLine, Disbursement, FundSource

from ..models import Indicator, IndicatorTarget, ReportingPeriod
from . import indicators as counting
from .indicators import as_number, completion, indicator_report_for_scope, shown
from .scope import parse_as_of, report_scope
from .snapshots import snapshot_latest, snapshot_series

#: The count rows drawn in charts (the ratio goals have their own scale).
COUNT_NUMBERS = ("1", "2", "1+2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13")
#: Digital levels of the level distribution (None: not evaluated on site).
LEVELS = (0, 1, 2, 3, 4)


def completion_percent(value):
    """A completion fraction as a whole per cent (None stays None)."""
    if value is None:
        return None
    return int((Decimal(value) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


#: Pace: completion against the share of the period that has elapsed (docs/domain.md §6, "Pace").
#: ``behind`` down to this fraction of what is expected by now, ``at_risk`` below it.
PACE_BEHIND_FLOOR = Decimal("0.8")
PACE_CODES = ("achieved", "on_track", "behind", "at_risk")


def elapsed_share(*, start, end, as_of):
    """The share of a period [start, end] elapsed at ``as_of`` (inclusive days), between 0 and 1."""
    if as_of < start:
        return Decimal(0)
    if as_of >= end:
        return Decimal(1)
    return Decimal((as_of - start).days + 1) / Decimal((end - start).days + 1)


def pace(completion_fraction, *, elapsed):
    """One indicator's pace in one period: ``achieved`` (target met), ``on_track`` (at least the elapsed
    share of the target), ``behind`` (at least 80 % of that), ``at_risk`` (less); None without a target."""
    if completion_fraction is None:
        return None
    done = Decimal(completion_fraction)
    if done >= 1:
        return "achieved"
    if done >= elapsed:
        return "on_track"
    if done >= elapsed * PACE_BEHIND_FLOOR:
        return "behind"
    return "at_risk"


def _period_end(period, periods):
    """A period's last day; the running total ends with the last period that has an end."""
    return period.end or max(p.end for p in periods if p.end)


def _period_column(*, viewer, period, unit, as_of, explicit):
    """One period of the dashboard: the latest snapshot's rows, or rows computed now when the viewer
    asked for an as-of date or no snapshot exists."""
    latest = None if explicit else snapshot_latest(viewer=viewer, period=period, unit=unit)
    if latest is not None:
        snapshot = latest["snapshot"]
        return {
            "period": period,
            "as_of": snapshot.as_of,
            "snapshot": snapshot,
            "source": latest["source"],
            "rows": {row["number"]: row for row in latest["indicators"]},
            "units": latest["units"],
        }
    report = indicator_report_for_scope(period=period, unit=unit, as_of=as_of)
    return {
        "period": period,
        "as_of": as_of,
        "snapshot": None,
        "source": "live",
        "rows": {row["number"]: row for row in report["indicators"]},
        "units": None,
    }


def dashboard(*, viewer, unit=None, as_of=None, period=None):
    """Everything the indicator dashboard shows for the viewer's scope (``unit`` None = district-wide;
    unit staff are narrowed to their unit), a bounded number of queries whatever the data size:

    * ``columns``: per reporting period (2025, 2026, total) the latest finished snapshot, or the report
      computed now at ``as_of`` when one is given or no snapshot exists (freshness: ``snapshot`` / ``as_of``);
    * ``table``: per indicator, target, actual and completion in each period;
    * ``heat``: for the district, each unit's completion per indicator in ``period`` (default total);
    * ``trend``: the actuals of ``period``'s snapshots over their as-of dates;
    * ``levels``: pilot enterprises by latest on-site baseline level vs latest on-site post level;
    * ``money``: per fund source, money committed vs paid.
    """
    unit = report_scope(viewer, unit)
    explicit = as_of not in (None, "")
    as_of = parse_as_of(as_of)
    periods = list(ReportingPeriod.objects.order_by("order"))
    chosen = period or next((p for p in periods if p.code == "total"), periods[-1])
    columns = [_period_column(viewer=viewer, period=p, unit=unit, as_of=as_of, explicit=explicit) for p in periods]
    indicators = list(Indicator.objects.order_by("order"))
    for column in columns:
        column["elapsed"] = elapsed_share(
            start=column["period"].start, end=_period_end(column["period"], periods), as_of=column["as_of"]
        )
        column["elapsed_percent"] = completion_percent(column["elapsed"])
    table = []
    for indicator in indicators:
        cells = []
        for column in columns:
            row = column["rows"].get(indicator.number, {})
            cells.append(
                {
                    "period": column["period"].code,
                    "as_of": column["as_of"],
                    "target": shown(row.get("target"), indicator.is_ratio),
                    "actual": shown(row.get("actual"), indicator.is_ratio),
                    "actual_value": row.get("actual"),
                    "completion": completion_percent(row.get("completion")),
                    "pace": pace(row.get("completion"), elapsed=column["elapsed"]),
                }
            )
        table.append({"indicator": indicator, "cells": cells})
    chosen_column = next(c for c in columns if c["period"].pk == chosen.pk)
    return {
        "unit": unit,
        "as_of": as_of,
        "explicit": explicit,
        "periods": periods,
        "period": chosen,
        "columns": columns,
        "table": table,
        "pace_codes": PACE_CODES,
        "heat": heat_map(column=chosen_column, indicators=indicators) if unit is None else None,
        "trend": trend(viewer=viewer, period=chosen, unit=unit),
        **_levels_and_money(viewer=viewer, unit=unit, as_of=as_of, column=chosen_column),
    }


def _levels_and_money(*, viewer, unit, as_of, column):
    """Levels and money from the snapshot the chosen column came from (no aggregate over the whole
    programme), else computed now; ``extras_snapshot`` says which (None: computed now)."""
    frozen = extras_from_snapshot(column, unit)
    if frozen is not None:
        levels, money = frozen
        return {"levels": levels, "money": money, "extras_snapshot": column["snapshot"]}
    return {
        "levels": level_distribution(unit=unit, as_of=as_of),
        "money": money_committed_paid(viewer=viewer, unit=unit),
        "extras_snapshot": None,
    }


def heat_map(*, column, indicators):
    """Each unit's completion per indicator broken down by unit, for one dashboard column: from the
    snapshot's per-unit annex, or computed now (:func:`reports.selectors.indicators.compute_by_unit`, three
    queries) against the units' targets (one query). ``cells`` are ``[x, y, completion per cent or
    None, actual shown, target shown]`` for ECharts."""
    numbers = [i for i in indicators if i.by_unit]
    units = list(unit_list())
    values = {}  # (unit code, number) -> (target, actual, completion)
    if column["units"]:
        for entry in column["units"]:
            for row in entry.get("indicators", []):
                values[(entry["unit"], row["number"])] = (row.get("target"), row.get("actual"), row.get("completion"))
    else:
        period = column["period"]
        actuals = counting.compute_by_unit(start=period.start, end=period.end or column["as_of"], as_of=column["as_of"])
        targets = {
            (unit_id, number): value
            for unit_id, number, value in IndicatorTarget.objects.filter(period=period, unit__isnull=False).values_list(
                "unit_id", "indicator__number", "target"
            )
        }
        for each in units:
            for indicator in numbers:
                target = as_number(targets.get((each.pk, indicator.number)))
                actual = as_number(actuals.get(each.pk, {}).get(indicator.number))
                values[(each.code, indicator.number)] = (target, actual, completion(actual, target))
    cells = []
    for y, each in enumerate(units):
        for x, indicator in enumerate(numbers):
            target, actual, done = values.get((each.code, indicator.number), (None, None, None))
            cells.append(
                [x, y, completion_percent(done), shown(actual, indicator.is_ratio), shown(target, indicator.is_ratio)]
            )
    return {
        "numbers": [i.number for i in numbers],
        "names": [i.name for i in numbers],
        "units": [u.short_name or u.name for u in units],
        "codes": [u.code for u in units],
        "cells": cells,
    }


def trend(*, viewer, period, unit):
    """The count actuals of ``period``'s finished snapshots over their as-of dates (empty without snapshots)."""
    series = snapshot_series(viewer=viewer, period=period, unit=unit)
    return {
        "dates": [as_of.isoformat() for as_of, _finished, _values in series],
        "series": [
            {
                "name": number,
                "data": [None if values.get(number) is None else float(values[number]) for *_rest, values in series],
            }
            for number in COUNT_NUMBERS
            if any(values.get(number) is not None for *_rest, values in series)
        ],
    }


def level_distribution(*, unit, as_of):
    """Pilot enterprises of the scope (in the pilot list at ``as_of``, large ones left out) by the level
    of their latest on-site baseline evaluation and of their latest on-site post-transformation
    evaluation up to ``as_of`` (same ordering as the indicators: date, then the one entered last).
    ``{"levels": [0…4], "before": [n…], "after": [n…], "not_before": n, "not_after": n}``; one query."""
    w = counting.Window(start=counting.PILOT_START, end=as_of, as_of=as_of, unit=unit)

    def latest(stage):
        qs = (
            Assessment.objects.authoritative()
            .filter(enterprise=OuterRef("pk"), stage=stage, evaluated_on__lte=as_of)
            .order_by("-evaluated_on", "-created_at", "-pk")
        )
        return Subquery(qs.values("level")[:1], output_field=IntegerField())

    qs = Enterprise.objects.filter(counting.pilot_enterprise() & counting.in_pilot_list(w))
    if unit is not None:
        qs = qs.filter(unit=unit)
    rows = qs.annotate(before=latest(Stage.BASELINE), after=latest(Stage.POST)).values("before", "after")
    before, after = dict.fromkeys(LEVELS, 0), dict.fromkeys(LEVELS, 0)
    missing = {"before": 0, "after": 0}
    for row in rows.annotate(n=Count("pk")).order_by():
        for key, counts in (("before", before), ("after", after)):
            if row[key] is None:
                missing[key] += row["n"]
            else:
                counts[row[key]] += row["n"]
    return {
        "levels": list(LEVELS),
        "before": [before[level] for level in LEVELS],
        "after": [after[level] for level in LEVELS],
        "not_before": missing["before"],
        "not_after": missing["after"],
    }


def money_committed_paid(*, viewer, unit):
    """Per fund source, money committed (active commitments' lines) and paid (paid disbursements net of
    reversals), as ``funding.balances`` counts them: district-wide from the ledger's lines, for a unit
    from the commitments of its enterprises. ``[{"source", "amount", "committed", "paid"}]``; three
    queries at most. (``viewer`` has been scoped by :func:`report_scope` already.)"""
    return money_by_source(unit=unit)


def money_by_source(*, unit):
    """:func:`money_committed_paid` for a scope already checked (also what a snapshot stores)."""
    sources = list(FundSource.objects.order_by("kind", "code"))
    committed, paid = {}, {}
    if unit is None:
        for line in balances.lines_with_figures():
            committed[line.source_id] = committed.get(line.source_id, balances.ZERO) + line.committed
            paid[line.source_id] = paid.get(line.source_id, balances.ZERO) + line.paid
    else:
        committed = dict(
            CommitmentLine.objects.filter(commitment__status=CommitmentStatus.ACTIVE, commitment__enterprise__unit=unit)
            .values("budget_line__source_id")
            .annotate(total=Sum("amount"))
            .values_list("budget_line__source_id", "total")
        )
        paid = dict(
            Disbursement.objects.filter(
                status=DisbursementStatus.PAID, commitment_line__commitment__enterprise__unit=unit
            )
            .values("commitment_line__budget_line__source_id")
            .annotate(total=Sum("amount"))
            .values_list("commitment_line__budget_line__source_id", "total")
        )
    return [
        {
            "source": source,
            "amount": source.amount,
            "committed": committed.get(source.pk, balances.ZERO),
            "paid": paid.get(source.pk, balances.ZERO),
        }
        for source in sources
    ]


def stored_extras(*, unit, as_of):
    """The dashboard figures a snapshot freezes for its scope (``unit`` None: the district, with each
    unit's too): levels before/after and money by fund source, money as strings. Run by the task."""

    def one(scope):
        return {
            "levels": level_distribution(unit=scope, as_of=as_of),
            "money": [
                {"source": m["source"].code, "committed": str(m["committed"]), "paid": str(m["paid"])}
                for m in money_by_source(unit=scope)
            ],
        }

    extras = one(unit)
    if unit is None:
        extras["units"] = {each.code: one(each) for each in unit_list()}
    return extras


def extras_from_snapshot(column, unit):
    """``(levels, money)`` frozen in the snapshot a dashboard column came from, for ``unit`` (None:
    district), or ``None`` when that snapshot holds none (computed before they were stored)."""
    snapshot = column.get("snapshot")
    if snapshot is None or not snapshot.extras:
        return None
    extras = snapshot.extras
    if unit is not None and snapshot.unit_id is None:  # a unit's figures from the district annex
        extras = extras.get("units", {}).get(unit.code)
        if not extras:
            return None
    sources = {s.code: s for s in FundSource.objects.all()}
    money = [
        {
            "source": sources[m["source"]],
            "amount": sources[m["source"]].amount,
            "committed": Decimal(m["committed"]),
            "paid": Decimal(m["paid"]),
        }
        for m in extras["money"]
        if m["source"] in sources
    ]
    return extras["levels"], money
