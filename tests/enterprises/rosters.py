"""Building roster files for the import tests: rows, xlsx and csv bytes, uploads."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises import roster
from tests.factories import make_credit_code

HEADERS = list(roster.HEADERS)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def code(seq):
    return make_credit_code(70000 + seq)


def row(seq, **changes):
    """A valid roster row (in HEADERS order) for an enterprise of 岳阳街道; ``changes`` by column key."""
    values = {
        "credit_code": code(seq),
        "name": f"上海测试{seq}号精密机械有限公司",
        "unit": "岳阳街道",
        "sector": "高端装备",
        "scale": "规上",
        "size": "小型",
        "tier": "",
        "contact_name": "",
        "contact_phone": "",
        "registered_address": "",
        "main_products": "",
        "employees": 100,
        "revenue": 2000,
    }
    values.update(changes)
    return [values[c.key] for c in roster.COLUMNS]


def xlsx_bytes(rows, headers=HEADERS, *, above=(), title=None):
    """A workbook: optional rows ``above`` the header row, the header row, then ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for line in above:
        sheet.append(list(line))
    sheet.append(list(headers))
    for line in rows:
        sheet.append(list(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows, headers=HEADERS, *, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for line in rows:
        writer.writerow(["" if v is None else v for v in line])
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, *, encoding="utf-8", bom=False, delimiter=","):
    data = csv_text(rows, headers, delimiter=delimiter).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(content, name="roster.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def sheet_rows(content):
    """All rows of the first sheet of xlsx bytes, as value tuples."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
