"""The tabular engine (core.tabular): a third import is a schema and a row writer, nothing more.

The import defined here (a training-attendance sheet) reuses the engine's reading, typed cells,
error sheet, template and batch life; the roster and back-fill tests cover the engine through
the two real imports.
"""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.errors import DomainError
from core.roles import Role
from core.tabular import batches, cells, reading, writing
from core.tabular.schema import Column, Schema
from enterprises.models import ImportBatch
from tests.factories import make_credit_code

# --- The third import: a schema ... ----------------------------------------------------------------------

ATTENDANCE = Schema(
    (
        Column("credit_code", "统一社会信用代码", True, ("credit code",), parse=cells.parse_credit_code),
        Column("trainee", "学员姓名", True, ("trainee", "name"), 20),
        Column("attended_on", "培训日期", True, ("date", "attended on"), parse=cells.parse_date),
        Column("hours", "学时", False, ("hours",), parse=lambda v: cells.parse_whole(v, 1, 40)),
        Column("passed", "是否结业", False, ("passed",), parse=cells.parse_bool),
        Column("fee", "培训费（元）", False, ("fee",), parse=cells.parse_money),
    ),
    anchor="credit_code",
)
HEADERS = [c.header for c in ATTENDANCE.columns]


# --- ... and a row writer (here: the rows are collected; a real import would save them) -------------------


class AttendanceImport(batches.BatchImport):
    model = ImportBatch
    job_kind = "attendance_import"
    task_name = "tests.attendance_task"
    no_longer_allowed = "no longer allowed"
    unexpected_error = "stopped on {error}"
    written = []

    def can_run(self, actor):
        return (True, "") if actor.is_active else (False, "inactive")

    def process(self, batch, *, job_id=None):
        totals = dict.fromkeys(batches.ACTIONS, 0)
        rows = []
        with batch.file.open("rb") as handle, reading.open_file(handle, schema=ATTENDANCE, name=batch.file_name) as f:
            for number, row_cells in f.data_rows():
                errors = []
                values = ATTENDANCE.read_row(
                    row_cells, f.layout, error=lambda k, m, errors=errors: errors.append((k, m))
                )
                if values.get("trainee") == "BOOM":
                    raise RuntimeError("a bug")
                action = "error" if errors else "create"
                if action == "create" and batch.commit:
                    self.written.append(values)
                totals[action] += 1
                rows.append({"row": number, "action": action, "errors": [list(e) for e in errors]})
        return {"totals": totals, "rows": rows}


def csv_upload(rows, *, headers=HEADERS, name="attendance.csv", encoding="utf-8-sig", title=None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow([title])
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def attendance(seq, **changes):
    values = {
        "credit_code": make_credit_code(90000 + seq),
        "trainee": f"学员{seq}",
        "attended_on": "2025-03-18",
        "hours": "8",
        "passed": "是",
        "fee": "1,200.50",
    }
    values.update(changes)
    return [values[c.key] for c in ATTENDANCE.columns]


# --- Reading ---------------------------------------------------------------------------------------------


def test_a_third_schema_finds_its_header_below_a_title_row_and_skips_blank_rows():
    upload = csv_upload([attendance(1), ["", "", "", "", "", ""], attendance(2)], title="2025 年培训签到表")
    with reading.open_file(upload, schema=ATTENDANCE, name="a.csv") as opened:
        assert opened.format == "csv" and opened.layout.header_row == 2
        rows = list(opened.data_rows())
    assert [number for number, _cells in rows] == [3, 5]


def test_english_aliases_and_a_gbk_file_are_read():
    headers = ["credit code", "name", "date"]
    upload = csv_upload([[make_credit_code(90001), "王伟", "2025年3月18日"]], headers=headers, encoding="gbk")
    with reading.open_file(upload, schema=ATTENDANCE, name="a.csv") as opened:
        (number, row_cells), *_rest = opened.data_rows()
        values = ATTENDANCE.read_row(row_cells, opened.layout, error=pytest.fail)
        assert opened.layout.header_for("hours") == "学时", "an absent column is named by its template header"
    assert values == {
        "credit_code": make_credit_code(90001),
        "trainee": "王伟",
        "attended_on": datetime.date(2025, 3, 18),
    }


def test_a_missing_required_column_is_named():
    upload = csv_upload([["王伟"]], headers=["统一社会信用代码", "学员姓名", "学时"])
    with translation.override("en"), pytest.raises(DomainError) as info:
        reading.open_file(upload, schema=ATTENDANCE, name="a.csv")
    assert info.value.code == "missing_columns" and "培训日期" in info.value.message


def test_hostile_files_are_refused_whatever_the_schema():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(DomainError) as info:
        reading.open_file(SimpleUploadedFile("a.xlsx", buffer.getvalue()), schema=ATTENDANCE, name="a.xlsx")
    assert info.value.code == "zip_bomb"
    with pytest.raises(DomainError) as info:
        reading.open_file(SimpleUploadedFile("a.csv", b"%PDF-1.7 x"), schema=ATTENDANCE, name="a.csv")
    assert info.value.code == "not_a_spreadsheet"


# --- Typed cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-18", datetime.date(2025, 3, 18)),
        ("2025/3/8", datetime.date(2025, 3, 8)),
        ("20250318", datetime.date(2025, 3, 18)),
        ("2025-03-18 09:30", datetime.date(2025, 3, 18)),
        (45734, datetime.date(2025, 3, 18)),
        (datetime.datetime(2025, 3, 18, 10, 0), datetime.date(2025, 3, 18)),
    ],
)
def test_dates_in_the_forms_clerks_write(value, expected):
    assert cells.parse_date(value) == (expected, None)


def test_cells_refuse_with_a_message_quoting_what_was_written():
    with translation.override("en"):
        assert "2025-13-40" in cells.parse_date("2025-13-40")[1]
        assert cells.parse_bool("否") == (False, None) and cells.parse_bool("通过") == (True, None)
        assert "maybe" in cells.parse_bool("maybe")[1]
        assert cells.parse_whole("12", 1, 40) == (12, None) and "41" in cells.parse_whole("41", 1, 40)[1]
        assert cells.parse_money("1,200.50") == (Decimal("1200.50"), None)
        assert "七十万" in cells.parse_money("七十万")[1]
        assert "two decimals" in cells.parse_money("1.005")[1]
        code, message = cells.parse_credit_code(913101170000000000)
        assert "lost its last digits" in message
        assert cells.parse_text("x" * 21, max_length=20)[1].startswith("At most 20 characters")


def test_an_escaped_formula_reads_back_as_typed():
    assert cells.cell_text(writing.safe_cell("=1+1")) == "=1+1"


def test_read_row_reports_every_bad_cell_of_the_row_by_its_key():
    errors = []
    layout = reading.Layout(header_row=1, headers=tuple(HEADERS), index={k: i for i, k in enumerate(ATTENDANCE.by_key)})
    values = ATTENDANCE.read_row(
        attendance(1, trainee="", hours="50", fee="-1"), layout, error=lambda k, m: errors.append(k)
    )
    assert errors == ["trainee", "hours", "fee"]
    assert set(values) == {"credit_code", "attended_on", "passed"}


# --- Writing ----------------------------------------------------------------------------------------------


def test_exports_are_formula_safe_in_xlsx_and_csv():
    content = writing.write_xlsx([("表", ["名称"], [["=cmd()"], [12]])])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet["A"]] == ["名称", "'=cmd()", 12]
    text = writing.write_csv(["名称", "备注"], [["@SUM(A1)", None]]).decode("utf-8-sig")
    assert text == "名称,备注\r\n'@SUM(A1),\r\n"


def test_the_error_sheet_keeps_the_uploads_headers_and_codes_as_text():
    content = writing.write_error_file(HEADERS[:2], [((9.13e17, "王伟"), "学员姓名：x")], credit_code_position=0)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows == [(*HEADERS[:2], "错误说明"), ("913000000000000000", "王伟", "学员姓名：x")]


def test_a_template_has_the_data_sheet_then_its_help_sheets():
    template = writing.TemplateWorkbook()
    sheet = template.data_sheet("签到", ATTENDANCE.columns, text_keys=("credit_code",))
    template.note("培训签到填写说明")
    template.column_help(ATTENDANCE.columns, {"hours": "1–40"})
    ranges = template.allowed_values([("是否", ["是", "否"])])
    template.dropdown(sheet, ATTENDANCE.columns, "passed", ranges["是否"])
    workbook = openpyxl.load_workbook(io.BytesIO(template.to_bytes()))
    assert workbook.sheetnames == ["签到", "填写说明", "允许值"]
    data = workbook["签到"]
    assert [c.value for c in data[1]] == HEADERS
    assert data.column_dimensions["A"].number_format == "@"
    (validation,) = data.data_validations.dataValidation
    assert validation.formula1 == "='允许值'!$A$2:$A$3" and str(validation.sqref) == "E2:E2001"
    notes = [tuple(r) for r in workbook["填写说明"].iter_rows(values_only=True)]
    assert ("学时", "选填", "1–40") in notes and ("学员姓名", "必填", None) in notes


# --- The batch: preview, commit, failure, status --------------------------------------------------------


@pytest.fixture
def clerk(make_user, units):
    return make_user(Role.DISTRICT_OFFICIAL)


def new_batch(clerk, upload, *, commit=False):
    batch = ImportBatch(
        uploaded_by=clerk, file_name=upload.name, file_format="csv", file_size=upload.size, commit=commit
    )
    batch.file.save(upload.name, upload, save=False)
    return batch


@pytest.mark.django_db
def test_the_batch_life_of_a_third_import(clerk):
    importer = AttendanceImport()
    importer.written = []
    preview = importer.start(new_batch(clerk, csv_upload([attendance(1), attendance(2, hours="x")])), background=False)
    assert preview.status == ImportBatch.Status.DONE and not preview.committed
    assert preview.totals == {"create": 1, "update": 0, "unchanged": 0, "error": 1} and importer.written == []
    status = importer.status(preview)
    assert status["progress"] == 100 and status["rows"][1]["errors"][0][0] == "hours"

    importer.check_committable(preview)
    committed = importer.start(importer.commit_of(preview, actor=clerk), background=False)
    assert committed.pk != preview.pk and committed.committed and committed.file.name == preview.file.name
    assert [v["trainee"] for v in importer.written] == ["学员1"]
    with pytest.raises(DomainError) as info:
        importer.check_committable(committed)
    assert info.value.status == 409
    assert importer.run(committed.pk) == committed, "a finished batch is returned as it is"


@pytest.mark.django_db
def test_a_third_import_that_hits_a_bug_ends_failed_with_its_message(clerk):
    importer = AttendanceImport()
    batch = importer.start(new_batch(clerk, csv_upload([attendance(1, trainee="BOOM")]), commit=True), background=False)
    assert batch.status == ImportBatch.Status.FAILED and batch.error == "stopped on RuntimeError"
    assert importer.status(batch)["error"] == "stopped on RuntimeError"
    assert batches.error_file_name(batch) == "attendance_错误行.xlsx"


@pytest.mark.django_db
def test_a_long_third_import_gets_a_background_job_sent_by_name(clerk, django_capture_on_commit_callbacks):
    importer = AttendanceImport()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = importer.start(new_batch(clerk, csv_upload([attendance(1)])), background=True)
    assert batch.status == ImportBatch.Status.PENDING and len(callbacks) == 1
    assert batch.job.kind == "attendance_import" and batch.job.task_name == "tests.attendance_task"
    assert batch.job.task_args == [str(batch.job.pk)] and importer.status(batch)["progress"] == 0
