"""The roster file engine: reading files of every kind a clerk sends, refusing hostile ones, checking rows."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation
from openpyxl.styles import Alignment, Font, PatternFill

from core import credit_code as cc
from core.errors import DomainError
from core.selectors import unit_list, unit_lookup
from core.tabular.writing import safe_cell, write_error_file
from enterprises import roster

from .rosters import HEADERS, code, csv_bytes, row, sheet_rows, xlsx_bytes


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (their msgids); the zh-hans catalogue translates them for people."""
    with translation.override("en"):
        yield


@pytest.fixture
def unit_table(db):
    return roster.unit_table(unit_lookup())


def opened(content, name="roster.xlsx"):
    return roster.open_roster(io.BytesIO(content), name=name)


def parsed_rows(content, unit_table, name="roster.xlsx"):
    with opened(content, name) as rf:
        return [roster.parse_row(n, cells, rf.layout, units=unit_table) for n, cells in rf.data_rows()]


def refusal(content, name="roster.xlsx"):
    with pytest.raises(DomainError) as info, opened(content, name) as rf:
        list(rf.data_rows())
    assert info.value.status == 400 and info.value.field == "file"
    return info.value


def errors_of(parsed):
    return [(column, message) for column, message in parsed.errors]


# --- Headers --------------------------------------------------------------------------------------


def test_chinese_headers_are_matched_and_kept_as_written(unit_table):
    (parsed,) = parsed_rows(xlsx_bytes([row(1)]), unit_table)
    assert parsed.errors == []
    assert parsed.values["credit_code"] == code(1)
    assert parsed.values["unit"].code == "310117001"
    assert parsed.values["revenue"] == Decimal("2000.00") and parsed.values["employees"] == 100


def test_english_aliases_spaces_case_and_half_width_brackets_are_accepted(unit_table):
    headers = [
        "Credit code",
        "Enterprise name",
        " UNIT ",
        "sector",
        "Scale",
        "size",
        "tier",
        "contact_name",
        "Contact phone",
        "registered address",
        "Main products",
        "employees",
        "营业收入 (万元)",
    ]
    with opened(xlsx_bytes([row(1)], headers)) as rf:
        assert set(rf.layout.index) == set(roster.COLUMNS_BY_KEY)
        assert rf.layout.header_for("unit") == "UNIT"
    (parsed,) = parsed_rows(xlsx_bytes([row(1, sector="nonsense")], headers), unit_table)
    assert errors_of(parsed)[0][0] == "sector", "the column is named as written in the file"


def test_a_missing_required_column_is_named(unit_table):
    headers = [h for h in HEADERS if h not in ("企业名称", "统计口径")]
    error = refusal(xlsx_bytes([], headers))
    assert error.code == "missing_columns"
    assert "企业名称" in error.message and "统计口径" in error.message


def test_the_optional_columns_and_the_tier_may_be_left_out(unit_table):
    headers = HEADERS[:6]
    (parsed,) = parsed_rows(xlsx_bytes([row(1)[:6]], headers), unit_table)
    assert parsed.errors == [] and "tier" not in parsed.values and "employees" not in parsed.values


def test_a_column_given_twice_is_refused():
    error = refusal(xlsx_bytes([row(1) + [code(2)]], [*HEADERS, "credit code"]))
    assert error.code == "duplicate_column" and "统一社会信用代码" in error.message


def test_a_sheet_without_header_row_is_refused():
    error = refusal(xlsx_bytes([row(2)], row(1)))
    assert error.code == "no_header_row"
    assert "统一社会信用代码" in error.message


def test_a_title_row_above_the_headers_is_tolerated_and_row_numbers_stay_the_sheets(unit_table):
    content = xlsx_bytes([row(1), row(2)], above=[["岳阳街道数字化转型试点企业名单"], []])
    parsed = parsed_rows(content, unit_table)
    assert [p.row for p in parsed] == [4, 5]


def test_unknown_extra_columns_are_ignored(unit_table):
    (parsed,) = parsed_rows(xlsx_bytes([[*row(1), "备注随便写"]], [*HEADERS, "备注"]), unit_table)
    assert parsed.errors == []


# --- Files that are not rosters -----------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "file_empty"


def test_a_header_only_file_has_no_rows():
    with opened(xlsx_bytes([])) as rf:
        assert rf.count_rows() == 0


def test_a_blank_sheet_is_refused():
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue()).code == "empty_roster"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "roster.xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "roster.csv"),
        (bytes(range(256)) * 40, "roster.csv"),  # a binary file renamed .csv
        (b"MZ\x90\x00\x03\x00\x00\x00", "roster.csv"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_clear_message(content, name):
    error = refusal(content, name)
    assert error.code == "not_a_spreadsheet"
    assert ".xlsx" in error.message and ".csv" in error.message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(buffer.getvalue()).code == "not_a_spreadsheet"


def test_an_opendocument_spreadsheet_is_told_to_save_as_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    error = refusal(buffer.getvalue(), "roster.ods")
    assert error.code == "not_xlsx" and ".xlsx" in error.message


def test_an_old_xls_workbook_is_told_to_save_as_xlsx():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    error = refusal(content, "roster.xls")
    assert error.code == "old_excel_format"
    assert ".xlsx" in error.message and ".xls" in error.message


def test_a_web_page_saved_as_xls_is_explained():
    error = refusal(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "export.xls")
    assert error.code == "not_a_spreadsheet" and ".xlsx" in error.message


def test_a_damaged_workbook_is_refused():
    content = xlsx_bytes([row(1)])
    assert refusal(content[: len(content) // 2]).code == "damaged_workbook"


def test_a_text_file_named_xlsx_is_refused():
    assert refusal(csv_bytes([row(1)]), "roster.xlsx").code == "not_xlsx"


def test_an_oversized_file_is_refused(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    error = refusal(csv_bytes([row(i) for i in range(40)]), "roster.csv")
    assert error.code == "file_too_large" and "MB" in error.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\x00" * (1024 * 1024)
            for _i in range(64):
                member.write(block)
    content = buffer.getvalue()
    assert len(content) < 200 * 1024
    error = refusal(content)
    assert error.code == "zip_bomb"


def test_a_workbook_declaring_more_than_the_unpacked_limit_is_refused(settings):
    settings.PORTAL_ROSTER_MAX_UNZIPPED_BYTES = 4096
    assert refusal(xlsx_bytes([row(i) for i in range(50)])).code == "zip_bomb"


def test_too_many_rows_are_refused(settings):
    settings.PORTAL_ROSTER_MAX_ROWS = 5
    error = refusal(csv_bytes([row(i) for i in range(6)]), "roster.csv")
    assert error.code == "too_many_rows" and "5" in error.message


def test_an_absurdly_long_cell_is_refused():
    error = refusal(csv_bytes([row(1, main_products="产" * 40_000)]), "roster.csv")
    assert error.code == "cell_too_long" and "2" in error.message


def test_a_cell_longer_than_the_csv_reader_allows_is_refused():
    error = refusal(csv_bytes([row(1, main_products="x" * 200_000)]), "roster.csv")
    assert error.code == "cell_too_long"


def test_blank_rows_are_skipped_and_rows_after_the_last_are_ignored(unit_table):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(row(1))
    sheet.append([None] * 13)
    sheet.append(["  ", None, ""])
    sheet.append(row(2))
    for r in range(6, 400):  # formatted but empty rows below the data
        sheet.cell(row=r, column=1).fill = PatternFill("solid", fgColor="FFFF00")
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parsed_rows(buffer.getvalue(), unit_table)
    assert [p.row for p in parsed] == [2, 5]


# --- CSV encodings and delimiters ---------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)])
def test_csv_in_utf8_with_or_without_bom_and_gbk_is_read(unit_table, encoding, bom):
    content = csv_bytes(
        [row(1, name="上海松江镕铖精密机械有限公司", tier="专精特新“小巨人”")], encoding=encoding, bom=bom
    )
    (parsed,) = parsed_rows(content, unit_table, "roster.csv")
    assert parsed.errors == []
    assert parsed.values["name"] == "上海松江镕铖精密机械有限公司"
    assert parsed.values["tier"] == "little_giant"


def test_excel_unicode_text_utf16_with_tabs_is_read(unit_table):
    content = csv_bytes([row(1)], delimiter="\t", encoding="utf-16")
    (parsed,) = parsed_rows(content, unit_table, "roster.txt")
    assert parsed.errors == [] and parsed.values["credit_code"] == code(1)


def test_semicolon_separated_csv_is_read(unit_table):
    (parsed,) = parsed_rows(csv_bytes([row(1)], delimiter=";"), unit_table, "roster.csv")
    assert parsed.errors == []


def test_text_in_no_known_encoding_is_refused():
    content = csv_bytes([row(1)]) + b"\xff\xfe\xfd\x80\x80\r\n"
    error = refusal(content, "roster.csv")
    assert error.code == "unknown_encoding" and "UTF-8" in error.message


# --- Files saved by an office suite -------------------------------------------------------------------


def office_workbook(unit_table_rows):
    """Styled headers, number formats, dates, numbers stored as numbers, an extra column, Sheet1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    headers = [*HEADERS, "成立日期"]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, name="宋体")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for line in unit_table_rows:
        sheet.append(line)
    for r in range(2, sheet.max_row + 1):
        sheet.cell(row=r, column=13).number_format = "#,##0.00"
        sheet.cell(row=r, column=12).number_format = "0"
        sheet.cell(row=r, column=14).number_format = "yyyy/m/d"
    sheet.column_dimensions["A"].width = 24
    sheet.freeze_panes = "A2"
    other = workbook.create_sheet("说明")
    other["A1"] = "本表由街镇填报"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_file_saved_by_an_office_suite_with_numbers_stored_as_numbers(unit_table):
    content = office_workbook(
        [
            [
                *row(1, contact_phone=13912345678, employees=120, revenue=3500.5, unit=310117001),
                datetime.date(2008, 5, 1),
            ],
            [*row(2, employees=12.0, revenue=12345678.125), datetime.datetime(2010, 1, 2)],
        ]
    )
    first, second = parsed_rows(content, unit_table)
    assert first.errors == [] and second.errors == []
    assert first.values["contact_phone"] == "13912345678"
    assert first.values["employees"] == 120 and first.values["revenue"] == Decimal("3500.50")
    assert first.values["unit"].code == "310117001"
    assert second.values["employees"] == 12 and second.values["revenue"] == Decimal("12345678.13")


def test_a_credit_code_in_a_number_cell_of_a_real_workbook_lost_its_digits(unit_table):
    content = office_workbook(
        [[*row(1, credit_code=913101170000000000), None], [*row(2, credit_code=9.13101e17), None]]
    )
    for parsed in parsed_rows(content, unit_table):
        ((column, message),) = errors_of(parsed)
        assert column == "统一社会信用代码"
        assert "number cell" in message and "lost" in message


def test_a_credit_code_shown_in_scientific_notation_in_a_csv_lost_its_digits(unit_table):
    content = csv_bytes([row(1, credit_code="9.13101E+17"), row(2, credit_code="913101170000000000")])
    for parsed in parsed_rows(content, unit_table, "roster.csv"):
        ((column, message),) = errors_of(parsed)
        assert column == "统一社会信用代码" and "number cell" in message


# --- Row checks -----------------------------------------------------------------------------------------


def one(unit_table, **changes):
    (parsed,) = parsed_rows(xlsx_bytes([row(1, **changes)]), unit_table)
    return parsed


@pytest.mark.parametrize(
    "typed", ["９１３５０１００Ｍ０００１００Ｙ４３", "91350100m000100y43", " 9135-0100 M000 100Y43 "]
)
def test_credit_codes_are_normalised(unit_table, typed):
    parsed = one(unit_table, credit_code=typed)
    assert parsed.errors == [] and parsed.values["credit_code"] == "91350100M000100Y43"


def test_a_valid_code_that_looks_like_e_notation_is_accepted(unit_table):
    typed = "9131011700908085E9"
    assert cc.is_valid(typed)
    parsed = one(unit_table, credit_code=typed)
    assert parsed.errors == [] and parsed.values["credit_code"] == typed


def test_a_bad_check_character_is_an_error_that_points_to_the_district(unit_table):
    parsed = one(unit_table, credit_code="91350100M0001TGQXM")
    ((column, message),) = errors_of(parsed)
    assert column == "统一社会信用代码"
    assert "check character" in message and "district official" in message
    assert "credit_code" not in parsed.values


@pytest.mark.parametrize(
    ("typed", "fragment"), [("9135010", "18 characters"), ("91350100M000100Y4I", "cannot contain")]
)
def test_malformed_credit_codes_say_what_is_wrong(unit_table, typed, fragment):
    ((_column, message),) = errors_of(one(unit_table, credit_code=typed))
    assert fragment in message


def test_a_blank_credit_code_or_name_is_an_error(unit_table):
    parsed = one(unit_table, credit_code="", name="  ")
    assert [c for c, _m in parsed.errors] == ["统一社会信用代码", "企业名称"]


@pytest.mark.parametrize(
    "typed",
    [
        '专精特新"小巨人"',
        "专精特新“小巨人”",
        "专精特新「小巨人」",
        "  专精特新“小巨人” ",
        "little_giant",
        "小巨人",
        "专精特新小巨人",
    ],
)
def test_tier_labels_match_whatever_quotation_marks_were_typed(unit_table, typed):
    parsed = one(unit_table, tier=typed)
    assert parsed.errors == [] and parsed.values["tier"] == "little_giant"


def test_labels_and_codes_are_accepted_for_every_coded_column(unit_table):
    parsed = one(unit_table, sector="电子元器件及设备", scale="below", size=" 微型 ", tier="创新型中小企业")
    assert parsed.errors == []
    assert (parsed.values["sector"], parsed.values["scale"], parsed.values["size"], parsed.values["tier"]) == (
        "electronics",
        "below",
        "micro",
        "innovative",
    )
    assert one(unit_table, sector="auto_parts").values["sector"] == "auto_parts"


@pytest.mark.parametrize(
    ("key", "typed"), [("sector", "其它"), ("sector", "机械"), ("scale", "规模"), ("size", "中小")]
)
def test_an_unknown_label_is_an_error_never_mapped_to_other(unit_table, key, typed):
    parsed = one(unit_table, **{key: typed})
    ((column, message),) = errors_of(parsed)
    assert column == roster.COLUMNS_BY_KEY[key].header and typed in message
    assert key not in parsed.values


def test_a_blank_tier_means_none_and_a_blank_sector_is_an_error(unit_table):
    assert one(unit_table, tier="").values["tier"] == "none"
    ((column, _message),) = errors_of(one(unit_table, sector=""))
    assert column == "细分行业"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("310117001", "310117001"),
        ("岳阳街道", "310117001"),
        ("岳阳", "310117001"),
        ("泗泾", "310117102"),
        ("经开区", "310117501"),
        ("松江经开区", "310117501"),
        ("松江工业区", "310117501"),
        ("松江经济技术开发区（经开区）", "310117501"),
        ("松江经济技术开发区(经开区)", "310117501"),
    ],
)
def test_units_are_found_by_code_name_short_name_and_alias(unit_table, typed, expected):
    assert one(unit_table, unit=typed).values["unit"].code == expected


def test_an_unknown_unit_is_an_error(unit_table):
    ((column, message),) = errors_of(one(unit_table, unit="浦东新区"))
    assert column == "所属街镇" and "浦东新区" in message


@pytest.mark.parametrize("typed", [-1, "12.5", 12.5, "十二", "-3", "12人"])
def test_employees_must_be_a_whole_number_not_below_zero(unit_table, typed):
    ((column, message),) = errors_of(one(unit_table, employees=typed))
    assert column == "从业人数" and "whole number" in message


@pytest.mark.parametrize(("typed", "expected"), [("1,200", 1200), ("0", 0), ("３０", 30), (" 45 ", 45)])
def test_employees_in_usual_forms_are_read(unit_table, typed, expected):
    assert one(unit_table, employees=typed).values["employees"] == expected


@pytest.mark.parametrize("typed", [-0.5, "abc", "1e999999", "NaN"])
def test_revenue_must_be_a_number_not_below_zero(unit_table, typed):
    ((column, _message),) = errors_of(one(unit_table, revenue=typed))
    assert column == "营业收入（万元）"


def test_blank_optional_numbers_are_fine_and_absent_from_the_values(unit_table):
    parsed = one(unit_table, employees=None, revenue="")
    assert parsed.errors == [] and "employees" not in parsed.values and "revenue" not in parsed.values


def test_a_too_long_text_is_an_error(unit_table):
    ((column, message),) = errors_of(one(unit_table, contact_phone="1" * 40))
    assert column == "联系电话" and "32" in message


def test_all_errors_of_a_row_are_reported_together(unit_table):
    parsed = one(unit_table, credit_code="bad", unit="外省", sector="?", employees=-1)
    assert [c for c, _m in parsed.errors] == ["统一社会信用代码", "所属街镇", "细分行业", "从业人数"]


# --- Writing files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=cmd()", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_safe_cell_neutralises_formulas(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["上海公司", "a=b", 12, -5, Decimal("-1.5"), None, datetime.date(2025, 1, 1)])
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) == value


def test_an_escaped_cell_reads_back_as_typed(unit_table):
    parsed = one(unit_table, name="'=上海公司")
    assert parsed.values["name"] == "=上海公司"


def test_the_error_file_has_the_uploads_headers_and_an_explanation_column():
    headers = ("Credit code", "企业名称", "所属街镇")
    content = write_error_file(
        headers,
        [(("913101170000000000", "=HYPERLINK()", "浦东"), "所属街镇：不是本区街镇"), ((9.13e17, "乙", None), "x")],
        credit_code_position=0,
    )
    rows = sheet_rows(content)
    assert rows[0] == (*headers, "错误说明")
    # Values as typed: a formula-like text is stored as text (never run), without a stray apostrophe.
    assert rows[1] == ("913101170000000000", "=HYPERLINK()", "浦东", "所属街镇：不是本区街镇")
    cell = openpyxl.load_workbook(io.BytesIO(content)).active["B2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert rows[2][0] == "913000000000000000", "a number that held a code is written back as text"


def test_the_template_has_the_headers_allowed_values_units_and_a_valid_example(db):
    content = roster.write_template(unit_list())
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[0] == "企业名单"
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1, "the data sheet is blank below its headers"
    assert sheet.column_dimensions["A"].number_format == "@"
    assert len(sheet.data_validations.dataValidation) == 5
    values = {v for s in workbook.worksheets[1:] for r in s.iter_rows(values_only=True) for v in r if v}
    for key in roster.CODED_KEYS:
        for labels in roster.CHOICE_LABELS[key].values():
            assert labels[0] in values
    units = list(unit_list())
    assert len(units) == 18
    assert all(u.name in values and u.code in values for u in units)
    notes = list(workbook["填写说明"].iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(notes) if list(r[:13]) == HEADERS)
    example = notes[header_at + 1]
    assert cc.is_valid(example[0]) and example[1]


def test_the_template_filled_with_its_example_row_reads_without_error(unit_table, db):
    content = roster.write_template(unit_list())
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook.worksheets[0].append(list(roster.example_row(roster.example_credit_code())))
    buffer = io.BytesIO()
    workbook.save(buffer)
    (parsed,) = parsed_rows(buffer.getvalue(), unit_table)
    assert parsed.row == 2 and parsed.errors == []
