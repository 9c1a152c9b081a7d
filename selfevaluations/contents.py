"""What a self-evaluation says, as data: every figure of the document, read once by the build task with the report
snapshot it computed (docs/architecture.md "Self-evaluations").

``gather`` returns a JSON-ready dict (numbers as the document shows them, plus the raw values where two versions
are compared); ``figures`` flattens it into ``[(key, label, shown)]``, the rows a comparison of two versions reads.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.money import format_percent, format_wan
from core.programme import PILOT_START
from core.selectors import unit_list
from enterprises.choices import Scale, Sector, Tier
from enterprises.models import Enterprise
from funding.choices import FundSourceKind, RecognitionKind, RecognitionLevel
from funding.models import InterestSubsidy, Project, Recognition
from funding.selectors import ledger_summary
from providers.choices import PoolStatus
from providers.models import Product, Provider
from reports.selectors import indicators as counting
from worklists.models import WorkTask

#: The unit of measure of the ratio rows (R1–R3): shown as a percent with one decimal.
RATIO = "%"


def whole_or_percent(value, is_ratio):
    """A count as a whole number, a ratio as a percent with one decimal; a dash for none."""
    if value in (None, ""):
        return "—"
    if is_ratio:
        return format_percent(value, places=1)
    return f"{int(Decimal(value).to_integral_value()):d}"


def _counts(queryset, field, choices):
    found = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by().values_list(field, "n"))
    return [[str(label), found.get(value, 0)] for value, label in choices]


def basic_situation(as_of):
    """Pilot enterprises in the list as of ``as_of`` by sector, scale, tier and unit; providers; products."""
    w = counting.Window(start=PILOT_START, end=as_of, as_of=as_of)
    pilot = Enterprise.objects.filter(counting.pilot_enterprise() & counting.in_pilot_list(w))
    by_unit = dict(pilot.values_list("unit_id").annotate(n=Count("pk")).order_by().values_list("unit_id", "n"))
    return {
        "enterprises": pilot.count(),
        "by_sector": _counts(pilot, "sector", Sector.choices),
        "by_scale": _counts(pilot, "scale", Scale.choices),
        "by_tier": _counts(pilot, "tier", Tier.choices),
        "by_unit": [[unit.name, by_unit.get(unit.pk, 0)] for unit in unit_list()],
        "providers": Provider.objects.count(),
        "providers_in_pool": Provider.objects.filter(pool_status=PoolStatus.IN_POOL).count(),
        "products": Product.objects.count(),
    }


def indicator_rows(snapshot):
    """The snapshot's rows as the document's indicator table gives them (序号, name, target, actual, completion)."""
    rows = []
    for row in snapshot.indicators:
        is_ratio = row["unit_of_measure"] == RATIO
        rows.append(
            {
                "number": row["number"],
                "name": row["name"],
                "unit_of_measure": row["unit_of_measure"],
                "is_ratio": is_ratio,
                "target": row["target"],
                "actual": row["actual"],
                "completion": row["completion"],
                "target_shown": whole_or_percent(row["target"], is_ratio),
                "actual_shown": whole_or_percent(row["actual"], is_ratio),
                "completion_shown": format_percent(row["completion"]),
            }
        )
    return rows


def work_tasks():
    """The task list (任务清单) in its order: what each task is, who answers for it, how far it has come."""
    return [
        {
            "title": task.title,
            "source": task.source,
            "target": task.target,
            "departments": task.responsible_departments,
            "unit": task.unit.name if task.unit_id else "",
            "deadline": task.deadline.isoformat(),
            "status": str(task.get_status_display()),
            "percent": task.percent,
            "note": task.progress_note,
        }
        for task in WorkTask.objects.select_related("unit").order_by("position", "pk")
    ]


def fund_use(viewer, as_of):
    """Per fund source (central, district): allocated, committed, paid and their lines by purpose; the central
    grant's 80/20 shares; the interest subsidies granted up to ``as_of``. Money in 元 as strings and in 万元 shown."""
    sources = []
    for entry in ledger_summary(viewer=viewer):
        source = entry["source"]
        totals = entry["totals"]
        sources.append(
            {
                "code": source.code,
                "name": source.name,
                "kind": source.kind,
                "kind_name": str(FundSourceKind(source.kind).label),
                "amount": str(source.amount),
                "budgeted": str(totals["amount"]),
                "committed": str(totals["committed"]),
                "paid": str(totals["paid"]),
                "lines": [
                    {
                        "purpose": str(line.get_purpose_display()),
                        "amount": str(line.amount),
                        "committed": str(line.committed),
                        "paid": str(line.paid),
                    }
                    for line in entry["lines"]
                ],
                "rules": [
                    {
                        "label": str(rule["label"]),
                        "floor_of_grant": str(rule["floor_of_grant"]),
                        "capped_of_grant": str(rule["capped_of_grant"]),
                        "floor_ok": rule["floor_ok"],
                        "cap_ok": rule["cap_ok"],
                    }
                    for rule in entry["rules"] or []
                ],
            }
        )
    subsidies = InterestSubsidy.objects.filter(granted_on__lte=as_of).aggregate(
        n=Count("pk"), amount=Sum("amount"), loans=Sum("loan_amount")
    )
    return {
        "sources": sources,
        "interest": {
            "count": subsidies["n"] or 0,
            "amount": str(subsidies["amount"] or Decimal("0")),
            "loans": str(subsidies["loans"] or Decimal("0")),
        },
    }


def results(snapshot, as_of):
    """Levels before and after (frozen in the snapshot), level-4 enterprises, recognitions by kind and level up to
    ``as_of``, and the providers with the most projects (key providers)."""
    levels = (snapshot.extras or {}).get("levels") or {"levels": [0, 1, 2, 3, 4], "before": [0] * 5, "after": [0] * 5}
    recognitions = Recognition.objects.filter(recognised_on__lte=as_of)
    found = {
        (kind, level): n
        for kind, level, n in recognitions.values_list("kind", "level").annotate(n=Count("pk")).order_by()
    }
    by_kind = []
    for kind, kind_label in RecognitionKind.choices:
        by_kind.append(
            [str(kind_label)]
            + [found.get((kind, level), 0) for level, _label in RecognitionLevel.choices]
            + [sum(found.get((kind, level), 0) for level, _label in RecognitionLevel.choices)]
        )
    providers = (
        Project.objects.exclude(provider=None)
        .values("provider__name")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(status="passed")))
        .order_by("-n", "provider__name")[:10]
    )
    return {
        "levels": levels,
        "level4_after": levels["after"][-1] if levels.get("after") else 0,
        "recognitions": by_kind,
        "recognition_levels": [str(label) for _value, label in RecognitionLevel.choices],
        "chain_models": sum(n for (kind, _l), n in found.items() if kind == RecognitionKind.CHAIN_MODEL),
        "typical_scenarios": sum(n for (kind, _l), n in found.items() if kind == RecognitionKind.TYPICAL_SCENARIO),
        "smart_factories": sum(n for (kind, _l), n in found.items() if kind == RecognitionKind.SMART_FACTORY),
        "key_providers": [[p["provider__name"], p["n"], p["passed"]] for p in providers],
    }


def unit_performance(snapshot):
    """Per unit: its rows of the snapshot's annex (actual over the unit's target; 6 and 9 are not by unit)."""
    names = {row["number"]: row["name"] for row in snapshot.indicators}
    ratio = {row["number"]: row["unit_of_measure"] == RATIO for row in snapshot.indicators}
    units = []
    for entry in snapshot.units or []:
        rows = [
            {
                "number": row["number"],
                "name": names.get(row["number"], row["number"]),
                "target": whole_or_percent(row["target"], ratio.get(row["number"])),
                "actual": whole_or_percent(row["actual"], ratio.get(row["number"])),
                "completion": format_percent(row["completion"]),
            }
            for row in entry["indicators"]
            if row["number"] not in counting.NOT_BY_UNIT
        ]
        units.append({"code": entry["unit"], "name": entry["name"], "rows": rows})
    return units


def provenance(snapshot):
    return {
        "snapshot": str(snapshot.pk),
        "as_of": snapshot.as_of.isoformat(),
        "computed_at": timezone.localtime(snapshot.finished_at).isoformat(timespec="seconds")
        if snapshot.finished_at
        else None,
        "period": snapshot.period.name,
        "closed_through": snapshot.closed_through.isoformat() if snapshot.closed_through else None,
        "audit_head": snapshot.audit_head,
        "audit_entries": snapshot.audit_entries,
    }


def gather(*, snapshot, viewer):
    """Every figure of the document, with the snapshot it comes from (``snapshot`` is done)."""
    as_of = snapshot.as_of
    return {
        "provenance": provenance(snapshot),
        "basic": basic_situation(as_of),
        "indicators": indicator_rows(snapshot),
        "tasks": work_tasks(),
        "funds": fund_use(viewer, as_of),
        "results": results(snapshot, as_of),
        "units": unit_performance(snapshot),
    }


def figures(content):
    """``[(key, label, shown)]``: every number of a version's content, in document order (what a comparison reads)."""
    rows = []
    basic = content.get("basic", {})
    rows.append(("basic.enterprises", "试点企业（家）", str(basic.get("enterprises", ""))))
    for group, title in (("by_sector", "行业"), ("by_scale", "规模"), ("by_tier", "梯度"), ("by_unit", "属地")):
        for label, n in basic.get(group, []):
            rows.append((f"basic.{group}.{label}", f"{title}：{label}", str(n)))
    for key, label in (("providers", "服务商"), ("providers_in_pool", "入库服务商"), ("products", "产品")):
        rows.append((f"basic.{key}", label, str(basic.get(key, ""))))
    for row in content.get("indicators", []):
        for field, label in (("target_shown", "目标值"), ("actual_shown", "完成值"), ("completion_shown", "完成率")):
            rows.append((f"indicator.{row['number']}.{field}", f"{row['number']} {row['name']} · {label}", row[field]))
    funds = content.get("funds", {})
    for source in funds.get("sources", []):
        for field, label in (("amount", "资金总额"), ("committed", "已承诺"), ("paid", "已拨付")):
            rows.append((f"funds.{source['code']}.{field}", f"{source['name']} · {label}", format_wan(source[field])))
    interest = funds.get("interest", {})
    rows.append(("funds.interest.count", "贴息贴费笔数", str(interest.get("count", ""))))
    rows.append(("funds.interest.amount", "贴息贴费金额", format_wan(interest.get("amount"))))
    res = content.get("results", {})
    levels = res.get("levels", {})
    for index, level in enumerate(levels.get("levels", [])):
        rows.append((f"results.before.{level}", f"改造前{level}级企业", str(levels["before"][index])))
        rows.append((f"results.after.{level}", f"改造后{level}级企业", str(levels["after"][index])))
    for row in res.get("recognitions", []):
        rows.append((f"results.recognition.{row[0]}", f"{row[0]}（合计）", str(row[-1])))
    for unit in content.get("units", []):
        for row in unit["rows"]:
            rows.append(
                (f"unit.{unit['code']}.{row['number']}", f"{unit['name']} · {row['number']} · 完成值", row["actual"])
            )
    return rows


def compare(old, new):
    """The figures that differ between two versions' contents: ``[{"key", "label", "old", "new"}]``."""
    before = {key: (label, shown) for key, label, shown in figures(old)}
    after = {key: (label, shown) for key, label, shown in figures(new)}
    changed = []
    for key, label, shown in figures(new):
        old_shown = before.get(key, (label, None))[1]
        if old_shown != shown:
            changed.append({"key": key, "label": label, "old": old_shown, "new": shown})
    for key, (label, shown) in before.items():
        if key not in after:
            changed.append({"key": key, "label": label, "old": shown, "new": None})
    return changed
