"""Chromium: a town clerk's whole roster journey, as a new user would go through it.

Template download → fill it in → upload and check → see the error with its row number → write the
valid rows → download the error sheet → correct it → upload it again → find the enterprises in the list.
"""

from pathlib import Path

import openpyxl
import pytest

from core.roles import Role
from enterprises.models import Enterprise
from tests.helpers import log_in

from .rosters import code, csv_bytes, row

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"import-{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_clerk_imports_a_roster_fixes_the_error_sheet_and_finds_the_enterprises(page, live_server, users, tmp_path):
    clerk = users[Role.UNIT_STAFF]
    log_in(page, live_server.url, clerk.username)
    page.goto(f"{live_server.url}/enterprises/import/")
    assert page.locator("#upload-form").count() == 1

    # 1. The template.
    with page.expect_download() as download_info:
        page.click("#template-download")
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["统一社会信用代码", "企业名称", "所属街镇"]

    # 2. Filled in as a clerk would: labels, a short unit name, quotation marks; one row with a bad unit.
    sheet.append(row(1, name="上海岳阳浏览器甲有限公司", unit="岳阳", tier="专精特新“小巨人”"))
    sheet.append(row(2, name="上海岳阳浏览器乙有限公司", unit="岳阳街道", sector="电子元器件及设备"))
    sheet.append(row(3, name="上海岳阳浏览器丙有限公司", unit="岳杨街道"))  # a typo: no such unit
    filled = tmp_path / "岳阳街道名单.xlsx"
    workbook.save(filled)

    # 3. Upload and check (nothing written yet).
    page.set_input_files("#id_file", str(filled))
    page.click("#upload-submit")
    page.wait_for_selector("#batch-preview")
    assert page.locator("#total-create").inner_text() == "2"
    assert page.locator("#total-error").inner_text() == "1"
    error_line = page.locator('tr.error-row[data-row="4"]')
    assert "所属街镇" in error_line.inner_text() and "岳杨街道" in error_line.inner_text()
    assert Enterprise.objects.count() == 0
    screenshot(page, "preview")

    # 4. Write the valid rows.
    page.click("#commit-button")
    page.wait_for_selector("#batch-written")
    assert Enterprise.objects.filter(unit=clerk.unit).count() == 2

    # 5. The error sheet, corrected and uploaded again.
    with page.expect_download() as download_info:
        page.click("#errors-download")
    errors = tmp_path / "errors.xlsx"
    download_info.value.save_as(errors)
    workbook = openpyxl.load_workbook(errors)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明" and sheet.max_row == 2
    assert sheet.cell(row=2, column=1).value == code(3)
    assert "岳杨街道" in sheet.cell(row=2, column=len(header)).value
    sheet.cell(row=2, column=header.index("所属街镇") + 1, value="岳阳街道")
    fixed = tmp_path / "岳阳街道名单_已改正.xlsx"
    workbook.save(fixed)

    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(fixed))
    page.check("#id_commit")
    page.click("#upload-submit")
    page.wait_for_selector("#batch-written")
    assert page.locator("#total-create").inner_text() == "1"
    assert page.locator("#total-error").inner_text() == "0"
    screenshot(page, "written")

    # 6. The enterprises are in the list, proposed to the district.
    with page.expect_navigation():
        page.click("#to-list")
    table = page.locator("#enterprise-table").inner_text()
    for name in ("上海岳阳浏览器甲有限公司", "上海岳阳浏览器乙有限公司", "上海岳阳浏览器丙有限公司"):
        assert name in table
    assert set(Enterprise.objects.values_list("status", flat=True)) == {"proposed"}

    # 7. Both uploads are listed as batches.
    page.goto(f"{live_server.url}/enterprises/import/batches/")
    batches = page.locator("#batch-table").inner_text()
    assert "岳阳街道名单.xlsx" in batches and "岳阳街道名单_已改正.xlsx" in batches


@pytest.mark.browser
def test_a_clerk_uploads_a_gbk_csv_written_at_once(page, live_server, users, tmp_path):
    clerk = users[Role.UNIT_STAFF]
    log_in(page, live_server.url, clerk.username)
    content = csv_bytes(
        [row(11, name="上海岳阳镕铖机械有限公司"), row(12, name="上海岳阳蔚澜电子有限公司")], encoding="gbk"
    )
    path = tmp_path / "名单.csv"
    path.write_bytes(content)
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    page.check("#id_commit")
    page.click("#upload-submit")
    page.wait_for_selector("#batch-written")
    assert page.locator("#total-create").inner_text() == "2"
    assert set(Enterprise.objects.values_list("name", flat=True)) == {
        "上海岳阳镕铖机械有限公司",
        "上海岳阳蔚澜电子有限公司",
    }


@pytest.mark.browser
def test_a_file_that_is_not_a_roster_gets_a_clear_message_on_the_page(page, live_server, users, tmp_path):
    log_in(page, live_server.url, users[Role.UNIT_STAFF].username)
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-submit")
    page.wait_for_selector("#upload-error")
    assert ".xlsx" in page.locator("#upload-error").inner_text()
