"""Evidence packs for the ministry's mid-term and final evaluations: for one indicator, a period, a
unit (or the district) and an as-of date, the records behind the number (:func:`reports.selectors.indicators.records`,
the same conditions the count uses) as an XLSX list, with the files of each record, in one ZIP.

Files are copied into the ZIP one by one in chunks (bounded memory, whatever the pack's size); the
names inside are built from safe parts (``core.files.safe_file_name``), never from paths people typed.
"""

import datetime
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import Workbook

from core.files import safe_file_name
from core.models import Attachment, OrgUnit
from diagnostics.choices import DiagnosisStatus
from diagnostics.models import Assessment, Diagnosis
from funding.models import Disbursement, Project

from ..models import ReportingPeriod
from ..selectors.indicators import records
from .common import ZIP, Rendered

CHUNK = 1024 * 1024

ENTERPRISE_HEADERS = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "属地",
    "细分行业",
    "统计口径",
    "企业规模",
    "梯度",
    "状态",
    "计入",
    "满足比率条件",
    "首次验收通过日期",
    "最新现场评定等级",
    "上云用云核验日期",
    "材料数",
    "材料目录",
]
RECOGNITION_HEADERS = ["序号", "类别", "级别", "名称", "认定日期", "认定单位", "企业", "材料数", "材料目录"]
PRODUCT_HEADERS = ["序号", "产品名称", "服务商", "入选日期", "材料数", "材料目录"]
PROVIDER_HEADERS = ["序号", "服务商", "统一社会信用代码", "类型", "重点服务商认定日期", "材料数", "材料目录"]
FILE_HEADERS = ["记录序号", "记录", "来源", "用途", "原文件名", "包内路径", "大小（字节）", "SHA-256", "说明"]


# --- the records and their files -----------------------------------------------------------------


def _enterprise_sources(enterprise_ids):
    """The records holding an enterprise's documents: its current accepted diagnosis, its on-site
    evaluations, its projects and their payments. ``{enterprise id: [(record, source label)]}``."""
    sources = {pk: [] for pk in enterprise_ids}
    for d in Diagnosis.objects.filter(
        enterprise_id__in=enterprise_ids, status=DiagnosisStatus.ACCEPTED, is_current=True
    ).order_by("pk"):
        sources[d.enterprise_id].append((d, f"诊断报告v{d.version}"))
    for a in Assessment.objects.authoritative().filter(enterprise_id__in=enterprise_ids).order_by("evaluated_on", "pk"):
        sources[a.enterprise_id].append((a, f"现场评定_{a.get_stage_display()}_{a.evaluated_on.isoformat()}"))
    for p in Project.objects.filter(enterprise_id__in=enterprise_ids).order_by("filed_on", "pk"):
        sources[p.enterprise_id].append((p, f"项目_{p.contract_no}"))
    for d in (
        Disbursement.objects.filter(commitment_line__commitment__enterprise_id__in=enterprise_ids)
        .select_related("commitment_line__commitment")
        .order_by("pk")
    ):
        sources[d.commitment_line.commitment.enterprise_id].append((d, f"拨付_{d.voucher_no or d.pk}"))
    return sources


def attachments_by_record(records):
    """``{(model, pk as str): [attachments]}``, one query per model (in chunks of 500 ids)."""
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), []).append(str(record.pk))
    found = {}
    for model, ids in by_model.items():
        ct = ContentType.objects.get_for_model(model)
        for i in range(0, len(ids), 500):
            for a in Attachment.objects.filter(content_type=ct, object_id__in=ids[i : i + 500]).order_by("uploaded_at"):
                found.setdefault((model, a.object_id), []).append(a)
    return found


def _rows_and_sources(params):
    """``(headers, [(row without the file columns, folder label, [(record, source)])])``."""
    period = ReportingPeriod.objects.get(code=params["period"])
    unit = OrgUnit.objects.filter(code=params["unit"]).first() if params["unit"] else None
    as_of = datetime.date.fromisoformat(params["as_of"])
    found = records(params["number"], start=period.start, end=period.end or as_of, as_of=as_of, unit=unit)
    entries = []
    if isinstance(found, dict):
        counted = list(found["counted"].select_related("unit"))
        withdrawn = list(found["not_counted_withdrawn"].select_related("unit"))
        sources = _enterprise_sources([e.pk for e in counted + withdrawn])
        for e, is_counted in [(e, True) for e in counted] + [(e, False) for e in withdrawn]:
            meets = getattr(e, "meets", None)
            row = [
                e.credit_code,
                e.name,
                e.unit.name,
                e.get_sector_display(),
                e.get_scale_display(),
                e.get_size_display(),
                e.get_tier_display(),
                e.get_status_display(),
                "计入" if is_counted else "不计入：已退出",
                "—" if meets is None else ("是" if meets else "否"),
                e.first_pass.isoformat() if e.first_pass else "",
                "" if e.latest_level is None else e.latest_level,
                e.cloud_verified_on.isoformat() if e.cloud_verified_on else "",
            ]
            entries.append((row, f"{e.credit_code}_{e.name}", [(e, "企业")] + sources[e.pk]))
        return ENTERPRISE_HEADERS, entries
    model = found.model.__name__
    if model == "Recognition":
        for r in found.select_related("enterprise"):
            row = [
                r.get_kind_display(),
                r.get_level_display(),
                r.title,
                r.recognised_on.isoformat(),
                r.issuer,
                r.enterprise.name if r.enterprise_id else "",
            ]
            entries.append((row, f"{r.recognised_on.isoformat()}_{r.title}", [(r, "认定")]))
        return RECOGNITION_HEADERS, entries
    if model == "Product":
        for p in found:
            row = [p.name, p.provider.name, p.recognised_on.isoformat() if p.recognised_on else ""]
            entries.append((row, f"{p.name}", [(p, "产品")]))
        return PRODUCT_HEADERS, entries
    for p in found:
        row = [
            p.name,
            p.credit_code,
            p.get_type_display(),
            p.key_provider_since.isoformat() if p.key_provider_since else "",
        ]
        entries.append((row, f"{p.credit_code}_{p.name}", [(p, "服务商")]))
    return PROVIDER_HEADERS, entries


def unique_name(name, used):
    """``name``, or ``stem (2).ext`` … when already taken in the ZIP."""
    if name not in used:
        used.add(name)
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}){'.' + ext if dot else ''}"
        if candidate not in used:
            used.add(candidate)
            return candidate
        n += 1


def _list_workbook(path, params, headers, rows, files):
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("说明")
    summary.append(["指标", f"{params['number']} {params['indicator_name']}"])
    summary.append(["统计期间", params["period_name"]])
    summary.append(["范围", params["unit_name"] or "全区"])  # the PDF and list are Chinese documents
    summary.append(["截至", params["as_of"]])
    summary.append(["记录数", len(rows)])
    summary.append(["材料数", sum(1 for f in files if not f[-1])])
    summary.append(["生成于", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    listing = wb.create_sheet("清单")
    listing.append(headers)
    for row in rows:
        listing.append(row)
    sheet = wb.create_sheet("材料")
    sheet.append(FILE_HEADERS)
    for row in files:
        sheet.append(row)
    wb.save(path)


def render_evidence_pack(document, viewer, progress):
    """Write the ZIP to a temporary file: ``清单.xlsx`` then each record's folder of files."""
    params = document.params
    progress(5, "collecting")
    headers, entries = _rows_and_sources(params)
    attachments = attachments_by_record([record for _row, _label, srcs in entries for record, _s in srcs])
    with tempfile.NamedTemporaryFile(delete=False, suffix=".zip") as handle:
        pass  # only its name: the ZIP is written below, then stored and deleted
    used = {"清单.xlsx"}
    rows, files = [], []
    try:
        with zipfile.ZipFile(handle.name, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            total = max(1, len(entries))
            for index, (row, label, srcs) in enumerate(entries, start=1):
                folder = f"{index:04d}_{safe_file_name(label)[:80]}"
                count = 0
                for record, source in srcs:
                    for a in attachments.get((type(record), str(record.pk)), []):
                        arcname = unique_name(
                            f"{folder}/{safe_file_name(source)[:60]}_{safe_file_name(a.original_name)}", used
                        )
                        missing = ""
                        try:
                            with a.file.open("rb") as src, zf.open(arcname, "w", force_zip64=True) as dst:
                                shutil.copyfileobj(src, dst, CHUNK)
                            count += 1
                        except (FileNotFoundError, OSError):
                            missing = "文件缺失：未能从存储读取"
                        files.append(
                            [
                                index,
                                label,
                                source,
                                a.purpose,
                                a.original_name,
                                "" if missing else arcname,
                                a.size,
                                a.sha256,
                                missing,
                            ]
                        )
                rows.append([index, *row, count, folder if count else ""])
                if index % 20 == 0:
                    progress(5 + int(85 * index / total), f"{index}/{total}")
            xlsx = Path(handle.name).with_suffix(".xlsx")
            try:
                _list_workbook(xlsx, params, headers, rows, files)
                zf.write(xlsx, "清单.xlsx")
            finally:
                xlsx.unlink(missing_ok=True)
    except Exception:
        Path(handle.name).unlink(missing_ok=True)
        raise
    scope = params["unit"] or "全区"
    filename = f"佐证材料_指标{params['number']}_{params['period']}_{scope}_{params['as_of']}.zip"
    return Rendered(handle.name, filename, ZIP)
