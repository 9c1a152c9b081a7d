"""Chromium: a street's clerk plans an event, uploads its sign-in sheet (one row unmatched), writes the valid
rows and sees the attendance; the enterprise's file lists the event."""

import datetime

import openpyxl
import pytest
from django.utils import timezone

from core.roles import Role
from events.models import Attendance, Event
from tests.factories import EnterpriseFactory
from tests.helpers import log_in


@pytest.mark.browser
def test_a_clerk_creates_an_event_uploads_the_sign_in_sheet_and_sees_the_attendance(
    page, live_server, users, units, tmp_path
):
    clerk = users[Role.UNIT_STAFF]
    one = EnterpriseFactory(unit=units["310117001"], name="上海岳阳浏览器精密有限公司")
    two = EnterpriseFactory(unit=units["310117001"], name="上海岳阳浏览器电子有限公司")
    log_in(page, live_server.url, clerk.username)
    # 1. Plan the event (yesterday's training, so that its sheet can be written).
    page.goto(f"{live_server.url}/events/")
    with page.expect_navigation():
        page.click("#add-event")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.select_option("#id_kind", "training")
    page.fill("#id_title", "浏览器数字化培训")
    page.fill("#id_starts_at", f"{yesterday:%Y-%m-%d}T09:30")
    page.fill("#id_place", "岳阳街道社区中心")
    page.fill("#id_capacity", "40")
    with page.expect_navigation():
        page.click("#event-save")
    event = Event.objects.get(title="浏览器数字化培训")
    assert event.organiser_unit == clerk.unit and event.status == "planned"
    assert "浏览器数字化培训" in page.locator("#event-title").inner_text()
    # 2. The sign-in sheet: the template, filled in, uploaded and checked.
    with page.expect_navigation():
        page.click("#sign-in-link")
    with page.expect_download() as download_info:
        page.click("#template-download")
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book["签到表"]
    sheet.append([one.name, one.credit_code, "张三", "总经理", "13812345678", "09:20"])
    sheet.append([two.name, None, "李四", "信息化主管", "13900001111", "09:25"])
    sheet.append(["不存在的企业", None, "王五", None, None, None])
    filled = tmp_path / "签到表.xlsx"
    book.save(filled)
    page.set_input_files("#id_file", str(filled))
    page.click("#upload-submit")
    page.wait_for_selector("#batch-preview")
    assert page.locator("#total-create").inner_text() == "2"
    assert page.locator("#total-error").inner_text() == "1"
    assert "未匹配" in page.locator("#unmatched-note").inner_text()
    assert not Attendance.objects.exists()
    # 3. Write the valid rows: the event is held and its attendance listed.
    page.click("#commit-button")
    page.wait_for_selector("#batch-written")
    with page.expect_navigation():
        page.click("#to-attendance")
    table = page.locator("#attendance-table").inner_text()
    assert "张三" in table and "李四" in table and one.name in table
    assert page.locator("#attendance-total").inner_text() == "2"
    event.refresh_from_db()
    assert event.status == "held" and event.sign_in_uploaded_at is not None
    # 4. The enterprise's file lists the event it came to.
    page.goto(f"{live_server.url}/enterprises/{one.pk}/")
    assert "浏览器数字化培训" in page.locator("#section-events").inner_text()
