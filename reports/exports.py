"""A finished report snapshot as an XLSX workbook for auditors: the summary table, the per-unit annex,
and every record counted behind each number (named), with the snapshot's id and as-of date on the
first sheet. Built from what the snapshot stored, so it says exactly what the PDF says."""

from decimal import Decimal

from django.utils import timezone

from core.downloads import logged_download
from funding.exports import workbook_bytes

from .selectors.indicators import NOT_BY_UNIT
from .selectors.snapshots import record_labels


def snapshot_file_name(snapshot, extension):
    """``指标完成情况_<period>_<unit name or 全区>_<as-of>.<extension>``: the downloads' name, in Chinese like every
    other download of the portal."""
    unit = snapshot.unit.name if snapshot.unit_id else "全区"
    return f"指标完成情况_{snapshot.period.code}_{unit}_{snapshot.as_of.isoformat()}.{extension}"


def snapshot_pdf_download(request, snapshot, pdf):
    """The snapshot's stored PDF ``pdf`` answered as an attachment, logged as a download (page and API)."""
    return logged_download(
        request,
        file=pdf.open("rb"),
        filename=snapshot_file_name(snapshot, "pdf"),
        content_type="application/pdf",
        kind="report_snapshot",
        description=f"report snapshot {snapshot.pk}",
    )


RECORD_TYPE_NAMES = {"enterprise": "试点企业", "recognition": "认定", "product": "产品及解决方案", "provider": "服务商"}


def _value(value, unit_of_measure):
    """Stored strings back to numbers: counts as int, ratios (``%`` rows) as per cent with one decimal."""
    if value in (None, ""):
        return None
    value = Decimal(value)
    if unit_of_measure == "%":
        return float((value * 100).quantize(Decimal("0.1")))
    return int(value) if value == value.to_integral_value() else float(value)


def _completion(value):
    if value in (None, ""):
        return None
    return float((Decimal(value) * 100).quantize(Decimal("0.1")))


def snapshot_workbook(snapshot):
    """XLSX bytes of a done snapshot (the caller checks scope and status)."""
    rows = snapshot.indicators or []
    units_of_measure = {row["number"]: row["unit_of_measure"] for row in rows}
    about = [
        ["快照编号", str(snapshot.pk)],
        ["统计期间", snapshot.period.name],
        ["范围", snapshot.unit.name if snapshot.unit_id else "全区"],
        ["统计截止日", snapshot.as_of.isoformat()],
        ["生成方式", "每日自动" if snapshot.trigger == "nightly" else "人工请求"],
        [
            "请求人",
            (snapshot.requested_by.display_name or snapshot.requested_by.username) if snapshot.requested_by else "",
        ],
        [
            "完成时间",
            timezone.localtime(snapshot.finished_at).strftime("%Y-%m-%d %H:%M") if snapshot.finished_at else "",
        ],
        ["说明", "比例指标（%）以百分数表示；完成率 = 完成值 ÷ 目标值 × 100。"],
    ]
    summary = [
        [
            row["number"],
            row["name"],
            row["unit_of_measure"],
            _value(row.get("target"), row["unit_of_measure"]),
            _value(row.get("actual"), row["unit_of_measure"]),
            _completion(row.get("completion")),
            len(row["ids"]) if row.get("ids") is not None else None,
        ]
        for row in rows
    ]
    numbers = [row["number"] for row in rows if row["number"] not in NOT_BY_UNIT]
    annex = []
    for entry in snapshot.units or []:
        by_number = {r["number"]: r for r in entry["indicators"]}
        line = [entry["unit"], entry["name"]]
        for number in numbers:
            cell = by_number.get(number, {})
            line += [
                _value(cell.get("actual"), units_of_measure.get(number)),
                _value(cell.get("target"), units_of_measure.get(number)),
            ]
        annex.append(line)
    wanted = {}
    for row in rows:
        wanted.setdefault(row.get("record_type"), set()).update(row.get("ids") or [])
    labels = record_labels(wanted)
    records = []
    for row in rows:
        names = labels.get(row.get("record_type"), {})
        for pk in row.get("ids") or []:
            label, detail = names.get(pk, ("（记录已删除）", ""))
            records.append([row["number"], RECORD_TYPE_NAMES.get(row.get("record_type"), ""), pk, label, detail])
    sheets = [
        ("说明", ["项目", "内容"], about),
        ("指标汇总", ["序号", "指标", "计量单位", "目标值", "完成值", "完成率（%）", "计入记录数"], summary),
    ]
    if annex:
        headers = ["街镇代码", "街镇"] + [f"{n} {part}" for n in numbers for part in ("完成值", "目标值")]
        sheets.append(("分街镇", headers, annex))
    sheets.append(("计入记录", ["序号", "记录类型", "记录编号", "名称", "说明"], records))
    return workbook_bytes(sheets)
