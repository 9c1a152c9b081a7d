"""Chromium: the bell shows the unread count; the inbox opens from it; marking one read lowers the count; opening
a notification follows its link (a unit report returned to the unit) and lowers it again."""

import pytest
from django.urls import reverse

from core.roles import Role
from notifications.models import Notification
from notifications.services import notify
from reports.models import ReportingPeriod
from tests.helpers import log_in
from tests.unitreports.conftest import days_from_today
from unitreports import services as unitreports
from unitreports.models import ReportRound


@pytest.mark.browser
def test_bell_badge_inbox_mark_read_and_follow_a_link(page, live_server, users):
    staff = users[Role.UNIT_STAFF]
    rnd = ReportRound.objects.create(
        code="2026-BR",
        name="浏览器测试期",
        period_start=days_from_today(-40),
        period_end=days_from_today(-10),
        due_on=days_from_today(3),
        indicator_period=ReportingPeriod.objects.get(code="2026"),
    )
    report = unitreports.report_start(actor=staff, round=rnd)
    unitreports.report_save(actor=staff, report=report, submit=True, work_done="已走访企业")
    unitreports.report_return(actor=users[Role.DISTRICT_OFFICIAL], report=report, reason="请补充问题")
    notify([staff], "import_done", "名单导入完成", link=reverse("unitreports:overview"))
    notify([staff], "deadline_reminder", "诊断截止日期临近", link=reverse("unitreports:overview"))

    returned = Notification.objects.get(recipient=staff, kind="unit_report_returned")
    log_in(page, live_server.url, staff.username)
    assert page.locator("#unread-count").inner_text().strip() == "3"
    page.click("#notification-bell")
    assert page.url.endswith("/notifications/")
    assert page.locator(".unread").count() == 3

    with page.expect_navigation():
        page.locator(".mark-read").first.click()
    assert page.locator("#unread-count").inner_text().strip() == "2"
    assert page.locator(".unread").count() == 2

    with page.expect_navigation():
        page.click(f"#notification-{returned.pk} a[href='/notifications/{returned.pk}/']")
    assert page.url.endswith(f"/unit-reports/{report.pk}/")
    assert "请补充问题" in page.locator("#return-reason").inner_text()
    assert page.locator("#unread-count").inner_text().strip() == "1"
