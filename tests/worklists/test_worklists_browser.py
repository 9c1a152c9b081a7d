"""Chromium: a district official and a street's staff member use the work lists as new users would —
the menu, the 六张工作清单 hub, the task list's filters, a task's progress form and its history."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from core.models import DownloadLog
from core.roles import Role
from tests.helpers import log_in, log_out, menu
from worklists import services
from worklists.models import PolicyDocument, WorkTask

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"worklists-{name}.png"), full_page=True)


@pytest.mark.browser
def test_the_district_and_a_street_keep_the_task_list(page, live_server, users, units):
    base = live_server.url
    district, staff = users[Role.DISTRICT_OFFICIAL], users[Role.UNIT_STAFF]
    street_task = services.task_create(
        actor=district, title="岳阳街道试点企业诊断全覆盖", target="辖区试点企业完成现场诊断",
        deadline=timezone.localdate() + datetime.timedelta(days=60), unit=units["310117001"],
    )  # fmt: skip
    overdue = WorkTask.objects.overdue().count()

    log_in(page, base, district.username)
    menu(page, "/worklists/")
    assert page.locator("#list-tasks [data-count]").inner_text() == str(WorkTask.objects.count())
    assert page.locator("#work-lists .card").count() == 6
    shot(page, "1-hub")
    with page.expect_navigation():
        page.click("#list-tasks .card-title a")
    page.select_option("#id_overdue", "yes")
    with page.expect_navigation():
        page.click("#filter-form button[type=submit]")
    assert page.locator("#result-count").inner_text() == str(overdue)
    shot(page, "2-overdue-tasks")
    log_out(page)

    log_in(page, base, staff.username)
    menu(page, "/worklists/tasks/")
    page.click(f"#task-{street_task.pk} a[href$='/progress/']")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent", "40")
    page.fill("#id_note", "已完成 12 家企业现场诊断")
    page.click("#progress-submit")
    page.wait_for_selector("#history-table")
    assert page.locator("#task-progress [data-percent]").inner_text() == "40%"
    assert staff.username in page.locator("#history-table tbody tr").first.inner_text()
    shot(page, "3-task-history")
    # Another unit's task offers no progress button, and its form refuses with a reason.
    other = WorkTask.objects.get(source="三、工作任务（一）")
    page.goto(f"{base}/worklists/tasks/{other.pk}/progress/")
    assert page.locator("#refusal-reason").inner_text().strip()
    street_task.refresh_from_db()
    assert (street_task.percent, street_task.updated_by) == (40, staff)


@pytest.mark.browser
def test_an_auditor_reads_the_policy_list_and_takes_its_download(page, live_server, users):
    base = live_server.url
    log_in(page, base, users[Role.AUDITOR].username)
    menu(page, "/worklists/policies/")
    assert page.locator("#new-policy").count() == 0  # auditors read, they do not edit
    page.select_option("#id_in_force", "yes")
    with page.expect_navigation():
        page.click("#filter-form button[type=submit]")
    today = timezone.localdate()
    in_force = [p for p in PolicyDocument.objects.all() if p.is_in_force(today)]
    assert page.locator("#result-count").inner_text() == str(len(in_force))
    assert page.locator("#policy-table tbody tr").count() == len(in_force)
    shot(page, "4-policies-in-force")
    with page.expect_download() as download:
        page.click("#policy-export")
    assert download.value.suggested_filename.startswith("政策清单_")
    assert DownloadLog.objects.filter(kind="policy_export", user=users[Role.AUDITOR], row_count=len(in_force)).exists()
