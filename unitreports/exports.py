"""The overview of who has reported, as xlsx: a row per unit, a column per round (按时 / 逾期 / 未报 / 未到期),
and the unit's tallies. Chinese headers, formula-safe cells, logged download."""

from core.downloads import logged_download
from core.tabular.writing import safe_cell, write_rows_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_ZH = {"on_time": "按时", "late": "逾期", "missing": "未报", "open": "未到期"}


def overview_rows(data):
    headers = ["街镇代码", "街镇", *[f"{r.name}（{r.due_on.isoformat()}截止）" for r in data["rounds"]]]
    headers += ["应报", "按时", "逾期", "未报", "内容完整", "及时性得分"]
    rows = []
    for row in data["rows"]:
        tally = row["tally"]
        rows.append(
            [
                row["unit"].code,
                safe_cell(row["unit"].name),
                *[STATE_ZH[c["state"]] for c in row["cells"]],
                tally["due"],
                tally["on_time"],
                tally["late"],
                tally["missing"],
                tally["complete"],
                float(tally["score"]),
            ]
        )
    return headers, rows


def export_overview(request, data, period):
    headers, rows = overview_rows(data)
    content = write_rows_xlsx(headers, rows, sheet_title="定期上报情况")
    return logged_download(
        request,
        filename=f"定期上报情况_{period.code}.xlsx",
        content_type=XLSX_TYPE,
        kind="unit_reports_overview",
        content=content,
        row_count=len(rows),
    )
