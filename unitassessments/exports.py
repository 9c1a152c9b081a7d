"""The assessment as files: an xlsx workbook (the ranking, then every part of every unit with its explanation and
link) and a PDF (the ranking and each unit's parts), both in Chinese like the portal's other official files, both
logged downloads."""

from django.utils import timezone, translation

from core.downloads import logged_download
from core.tabular.writing import XLSX_TYPE, write_xlsx
from reports.rendering.common import PDF, render_pdf


def _number(value):
    return None if value is None else float(value)


def _file_name(year, extension):
    return f"unit-assessment-{year}-{timezone.localdate():%Y%m%d}.{extension}"


def workbook(*, year, rows):
    """xlsx bytes of the ranked ``rows`` of ``year`` (the caller has scoped them)."""
    with translation.override("zh-hans"):
        ranking = [[r.rank, r.unit.code, r.unit.name, _number(r.score)] for r in rows]
        parts = []
        for r in rows:
            for p in r.parts:
                parts.append(
                    [
                        r.unit.code,
                        r.unit.name,
                        str(p.label),
                        _number(p.weight),
                        "已计量" if p.measured else "尚未计量",
                        _number(p.score),
                        _number(p.effective_weight * 100) if p.effective_weight is not None else None,
                        _number(p.contribution),
                        p.explanation,
                        p.link or "",
                    ]
                )
        about = [
            ["考核年度", str(year)],
            ["生成时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")],
            [
                "计分规则",
                "总分 = Σ(权重 × 分项得分) ÷ Σ权重，只计已计量的分项；尚未计量的分项权重按 0 计；"
                "保留两位小数（四舍五入）；同分同名次。",
            ],
        ]
        return write_xlsx(
            [
                ("说明", ["项目", "内容"], about),
                ("排名", ["名次", "街镇代码", "街镇", "总分"], ranking),
                (
                    "分项得分",
                    [
                        "街镇代码",
                        "街镇",
                        "分项",
                        "权重",
                        "状态",
                        "得分",
                        "有效权重（%）",
                        "计入总分",
                        "计算说明",
                        "记录链接",
                    ],
                    parts,
                ),
            ]
        )


def xlsx_download(request, *, year, rows):
    return logged_download(
        request,
        filename=_file_name(year, "xlsx"),
        content_type=XLSX_TYPE,
        kind="unit_assessment",
        content=workbook(year=year, rows=rows),
        row_count=len(rows),
    )


def pdf_bytes(*, year, rows, requester):
    """The PDF of the ranked ``rows`` of ``year``, rendered by WeasyPrint (in Chinese)."""
    with translation.override("zh-hans"):
        return render_pdf(
            "unitassessments/pdf.html",
            {"year": year, "rows": rows, "generated_at": timezone.localtime(), "requester": requester},
        )


def pdf_download(request, *, year, rows):
    user = request.user
    return logged_download(
        request,
        filename=_file_name(year, "pdf"),
        content_type=PDF,
        kind="unit_assessment",
        content=pdf_bytes(year=year, rows=rows, requester=user.display_name or user.username),
        row_count=len(rows),
    )
