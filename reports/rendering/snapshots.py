"""A report snapshot as its Chinese PDF: the table, the ratio goals and, district-wide, the per-unit annex."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from ..models import ReportSnapshot
from ..selectors.indicators import NOT_BY_UNIT, RATIOS, completion_shown, shown
from .common import css_text, html_to_pdf


def _ratio_counts(row):
    if row.get("ids") is None or row.get("denominator_ids") is None:
        return "—"
    return f"{len(row['ids'])} / {len(row['denominator_ids'])}"


def _annex_sums(annex, numbers):
    """The units' sums per count column (ratios cannot be added: a dash)."""
    sums = []
    for index, number in enumerate(numbers):
        if number in RATIOS:
            sums.append({"actual": "—", "target": "—"})
            continue
        cells = [entry["indicators"][index] for entry in annex]
        actuals = [Decimal(c["actual"]) for c in cells if c.get("actual") is not None]
        targets = [Decimal(c["target"]) for c in cells if c.get("target") is not None]
        sums.append(
            {
                "actual": shown(sum(actuals), False) if actuals else "—",
                "target": shown(sum(targets), False) if targets else "—",
            }
        )
    return sums


def render_snapshot_pdf(snapshot):
    """The snapshot as a PDF (bytes), rendered by WeasyPrint from ``reports/pdf_snapshot.html``: the
    table (target, actual, completion), the ratio goals in their own section, and for a district-wide
    snapshot the per-unit annex (units × indicators, actual over the unit's target); every page
    carries the as-of date and the snapshot id in its header and "page X of Y" in its footer."""

    changed = snapshot.changed_numbers

    def shown_row(row):
        percent = row["unit_of_measure"] == "%"
        return {
            "changed_from": shown(changed[row["number"]], percent) if row["number"] in changed else None,
            "number": row["number"],
            "name": row["name"],
            "unit_of_measure": row["unit_of_measure"],
            "target": shown(row["target"], row["unit_of_measure"] == "%"),
            "actual": shown(row["actual"], row["unit_of_measure"] == "%"),
            "completion": completion_shown(row["completion"]),
            "counts": _ratio_counts(row),
        }

    rows = [shown_row(row) for row in snapshot.indicators if row["number"] not in RATIOS]
    ratios = [shown_row(row) for row in snapshot.indicators if row["number"] in RATIOS]
    uom = {row["number"]: row["unit_of_measure"] for row in snapshot.indicators}
    annex, annex_numbers, annex_sums = [], [], []
    if snapshot.units:
        # 6 and 9 are not broken down by unit: no column for them.
        keep = [i for i, row in enumerate(snapshot.units[0]["indicators"]) if row["number"] not in NOT_BY_UNIT]
        annex_numbers = [snapshot.units[0]["indicators"][i]["number"] for i in keep]
        for entry in snapshot.units:
            cells = []
            for i in keep:
                row = entry["indicators"][i]
                cells.append(
                    {
                        "actual": shown(row["actual"], uom.get(row["number"], "") == "%"),
                        "target": shown(row["target"], uom.get(row["number"], "") == "%"),
                    }
                )
            annex.append({"name": entry["name"], "cells": cells})
        kept = [{**e, "indicators": [e["indicators"][i] for i in keep]} for e in snapshot.units]
        annex_sums = _annex_sums(kept, annex_numbers)
    unit_name = snapshot.unit.name if snapshot.unit_id else "全区"
    as_of = snapshot.as_of.isoformat()
    html = render_to_string(
        "reports/pdf_snapshot.html",
        {
            "snapshot": snapshot,
            "period": snapshot.period,
            "unit_name": unit_name,
            "rows": rows,
            "ratios": ratios,
            "annex": annex,
            "annex_numbers": annex_numbers,
            "annex_sums": annex_sums,
            "trigger_name": "每日自动生成" if snapshot.trigger == ReportSnapshot.Trigger.NIGHTLY else "按需生成",
            "requested_by": snapshot.requested_by.signature if snapshot.requested_by_id else "",
            "header_left": css_text(f"松江区数字化转型试点 目标完成情况 · {snapshot.period.name} · {unit_name}"),
            "header_right": css_text(f"截至 {as_of} · 快照编号 {snapshot.pk}"),
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)
