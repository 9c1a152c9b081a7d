"""The sign-in sheet import with real xlsx and csv files: matching by credit code then by name, unmatched and
broken rows reported with row, column and reason, a preview that writes nothing, a commit that marks the event
held, the error sheet and the template (credit codes kept as text), formula escaping."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from core.roles import Role
from events import signin
from events.models import Attendance, Event

pytestmark = pytest.mark.django_db

HEADERS = ["企业名称", "统一社会信用代码", "姓名", "职务", "手机号", "签到时间"]


def xlsx(rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("签到表.xlsx", buffer.getvalue())


def csv_file(rows, headers=HEADERS):
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return SimpleUploadedFile("签到表.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def sheet_rows(world):
    one, two = world["mine"]
    other = world["theirs"][0]
    return [
        [one.name, one.credit_code, "张三", "总经理", "13812345678", "09:05"],  # 2: by code
        ["上海岳阳电子 有限公司", None, "李四", "IT 主管", "13900001111", "2026-12-01 09:10"],  # 3: by name (spaces)
        [None, "91310117MA1XXXXX00", "王五", None, None, None],  # 4: an invalid code
        [other.name, other.credit_code, "赵六", None, None, None],  # 5: unmatched (another unit's enterprise)
        [one.name, one.credit_code, None, None, None, None],  # 6: no name
        [one.name, one.credit_code, "张三", "总经理", "13812345678", None],  # 7: twice in the file
        [two.name, two.credit_code, "钱七", None, "12ab", "25:99"],  # 8: bad phone and time
        ["不存在的公司", None, "孙八", None, None, None],  # 9: unmatched name
    ]


def errors_by_row(batch):
    return {r["row"]: r["errors"] for r in batch.result["rows"] if r["action"] == "error"}


@pytest.mark.parametrize("make", [xlsx, csv_file], ids=["xlsx", "csv"])
def test_a_preview_reports_every_broken_row_and_writes_nothing(world, unit_event, make):
    staff = world[Role.UNIT_STAFF]
    batch = signin.sign_in_import(actor=staff, event=unit_event, upload=make(sheet_rows(world)))
    assert batch.status == "done" and not batch.committed
    assert batch.totals == {"create": 2, "update": 0, "unchanged": 0, "error": 6}
    assert batch.result["unmatched"] == 2
    errors = errors_by_row(batch)
    assert set(errors) == {4, 5, 6, 7, 8, 9}
    assert errors[4][0]["column"] == "统一社会信用代码"
    assert "unmatched" in errors[5][0]["message"] or "未匹配" in errors[5][0]["message"]
    assert errors[6][0]["column"] == "姓名"
    assert "2" in errors[7][0]["message"]
    assert {e["column"] for e in errors[8]} == {"手机号", "签到时间"}
    assert errors[9][0]["column"] == "企业名称"
    assert not Attendance.objects.exists()
    unit_event.refresh_from_db()
    assert unit_event.status == "planned" and unit_event.sign_in_uploaded_at is None


def test_the_commit_writes_the_valid_rows_marks_the_event_held_and_a_second_upload_changes_nothing(world, unit_event):
    staff = world[Role.UNIT_STAFF]
    preview = signin.sign_in_import(actor=staff, event=unit_event, upload=xlsx(sheet_rows(world)))
    done = signin.sign_in_import_commit(actor=staff, batch=preview)
    assert done.committed and done.totals["create"] == 2
    rows = {a.attendee_name: a for a in Attendance.objects.filter(event=unit_event)}
    assert set(rows) == {"张三", "李四"}
    assert rows["李四"].enterprise == world["mine"][1] and rows["张三"].phone == "13812345678"
    assert rows["张三"].signed_in_at.date() == unit_event.starts_at.astimezone(rows["张三"].signed_in_at.tzinfo).date()
    assert rows["张三"].history.first().history_change_reason == f"sign-in:{done.pk}"
    event = Event.objects.get(pk=unit_event.pk)
    assert event.status == "held" and event.sign_in_uploaded_at is not None
    again = signin.sign_in_import(actor=staff, event=unit_event, upload=csv_file(sheet_rows(world)[:2]))
    assert again.totals == {"create": 0, "update": 0, "unchanged": 2, "error": 0}


def test_a_file_without_the_name_column_is_refused_and_nothing_is_recorded(world, unit_event):
    with pytest.raises(DomainError) as refused:
        signin.sign_in_import(
            actor=world[Role.UNIT_STAFF], event=unit_event, upload=xlsx([["a", "b"]], headers=["企业名称", "职务"])
        )
    assert refused.value.code == "missing_columns"
    assert not unit_event.sign_in_batches.exists()


def test_another_units_staff_cannot_import_for_this_event(world, unit_event):
    with pytest.raises(DomainError):
        signin.sign_in_import(actor=world["other_staff"], event=unit_event, upload=xlsx(sheet_rows(world)))


def test_the_error_sheet_holds_the_error_rows_with_their_reasons_and_formulas_stay_text(world, unit_event):
    rows = sheet_rows(world) + [["=HYPERLINK(1)", None, "=1+1", None, None, None]]
    batch = signin.sign_in_import(actor=world[Role.UNIT_STAFF], event=unit_event, upload=csv_file(rows))
    book = openpyxl.load_workbook(io.BytesIO(signin.error_file(batch)))
    sheet = book.active
    values = list(sheet.values)
    assert list(values[0]) == [*HEADERS, "错误说明"]
    assert len(values) == 1 + 7
    assert all(v[-1] for v in values[1:])
    last = values[-1]
    # Values as typed (the error sheet's rule, docs/api.md "Import result"): a formula-like text is stored as
    # text, never run, without a stray apostrophe.
    assert last[0] == "=HYPERLINK(1)" and last[2] == "=1+1"
    row = sheet.max_row
    for column in ("A", "C"):
        cell = sheet[f"{column}{row}"]
        assert cell.data_type == "s" and cell.quotePrefix, column


def test_the_template_keeps_credit_codes_and_phones_as_text():
    book = openpyxl.load_workbook(io.BytesIO(signin.write_template()))
    sheet = book["签到表"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.column_dimensions["B"].number_format == "@"
    assert sheet.column_dimensions["E"].number_format == "@"
    assert "填写说明" in book.sheetnames
