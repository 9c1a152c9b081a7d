"""The demo's reporting rhythm for ``seed_demo``: a monthly round for every month of the 2025 and 2026 indicator
periods (due on the 10th of the next month), and the reports of the streets, towns and zone for the rounds already
due: most on time and accepted, some late, a few missing, the latest awaiting review, one returned to 岳阳街道.
The figures come from the indicator engine (one grouped count per round). Rounds and reports that exist are kept,
so a second run adds nothing."""

import datetime

from django.utils import timezone

from core.models import OrgUnit
from reports.models import ReportingPeriod
from reports.selectors.indicators import compute_by_unit
from unitreports.choices import Cadence, ReportAction, ReportStatus
from unitreports.models import ReportRound, UnitReport, UnitReportTransition

TEXT = {
    "work_done": "走访试点企业{n}家，组织诊断对接会1场，督促服务商按期提交诊断报告。",
    "dynamic_management": "本期无迁出、停业企业；已核实企业名单变动情况。",
    "problems": "部分企业改造资金筹措困难，积极性有待提高。",
    "next_steps": "下月继续跟进改造项目进度，协助企业准备验收材料。",
}


def _month_rounds(period):
    day = datetime.date(period.start.year, max(period.start.month, 1), 1)
    if period.start < datetime.date(2025, 1, 1):
        day = datetime.date(2025, 1, 1)  # the preparation months are closed: no rounds for them
    while day <= period.end:
        following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        yield day, following - datetime.timedelta(days=1), following.replace(day=10)
        day = following


def seed_rounds(*, district):
    rounds = []
    for period in ReportingPeriod.objects.filter(code__in=["2025", "2026"]).order_by("order"):
        for start, end, due in _month_rounds(period):
            code = f"{start:%Y-%m}"
            rnd, _ = ReportRound.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"{start.year}年{start.month}月工作进展",
                    "cadence": Cadence.MONTHLY,
                    "period_start": start,
                    "period_end": end,
                    "due_on": due,
                    "indicator_period": period,
                    "created_by": district,
                },
            )
            rounds.append(rnd)
    return rounds


def _at(day, hour=16):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_unit_reports(*, district, staff):
    """``staff``: unit id → the unit's demo account."""
    today = timezone.localdate()
    rounds = seed_rounds(district=district)
    due = [r for r in rounds if r.due_on < today]
    units = list(OrgUnit.objects.filter(parent__isnull=False).order_by("code"))
    existing = set(UnitReport.objects.values_list("round_id", "unit_id"))
    for j, rnd in enumerate(due):
        latest = j == len(due) - 1
        as_of = min(rnd.period_end, today)
        period = rnd.indicator_period
        figures = compute_by_unit(start=period.start, end=period.end, as_of=as_of)
        reports, steps = [], []
        for i, unit in enumerate(units):
            if (rnd.pk, unit.pk) in existing or ((i + j) % 11 == 0 and j >= len(due) - 3):
                continue  # kept, or missing
            late = (3 * i + j) % 7 == 0
            submitted = rnd.due_on + datetime.timedelta(days=3) if late else rnd.due_on - datetime.timedelta(days=2)
            returned = latest and i == 0
            status = ReportStatus.RETURNED if returned else ReportStatus.SUBMITTED if latest else ReportStatus.ACCEPTED
            sections = {k: v.format(n=5 + (i + j) % 9) for k, v in TEXT.items()}
            if (i + 2 * j) % 5 == 0:
                sections["next_steps"] = ""  # submitted without its next steps: not complete
            person = staff.get(unit.pk)
            reports.append(
                UnitReport(
                    round=rnd,
                    unit=unit,
                    status=status,
                    figures={
                        k: (str(v) if v is not None and not isinstance(v, int) else v)
                        for k, v in figures[unit.pk].items()
                    },
                    figures_as_of=as_of,
                    first_submitted_at=_at(submitted),
                    submitted_at=_at(submitted),
                    submitted_by=person,
                    reviewed_at=None
                    if status == ReportStatus.SUBMITTED
                    else _at(submitted + datetime.timedelta(days=2)),
                    reviewed_by=None if status == ReportStatus.SUBMITTED else district,
                    return_reason="请补充本月企业动态管理情况和下一步计划。" if returned else "",
                    created_by=person,
                    **sections,
                )
            )
        for report in UnitReport.objects.bulk_create(reports):
            steps.append(UnitReportTransition(report=report, action=ReportAction.CREATED, actor=report.created_by))
            steps.append(UnitReportTransition(report=report, action=ReportAction.SUBMITTED, actor=report.created_by))
            if report.status == ReportStatus.ACCEPTED:
                steps.append(UnitReportTransition(report=report, action=ReportAction.ACCEPTED, actor=district))
            elif report.status == ReportStatus.RETURNED:
                steps.append(
                    UnitReportTransition(
                        report=report, action=ReportAction.RETURNED, actor=district, reason=report.return_reason
                    )
                )
        UnitReportTransition.objects.bulk_create(steps)
    return rounds
