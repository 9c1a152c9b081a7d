"""Chromium: a district official and an auditor, as new users would, open the dashboard from the
menu, drill down into a number, request a snapshot with the dashboard's button, wait for the real
Celery worker to finish it and download its PDF; screenshots on a laptop (1366×768) and a projector
(1920×1080) are kept in ``test-artifacts/``."""

import datetime
import time
from pathlib import Path

import pytest

from core.roles import Role
from reports.models import ReportSnapshot
from tests.helpers import log_in, log_out, menu

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
D = datetime.date
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def open_dashboard(page):
    menu(page, "/reports/indicators/")
    page.wait_for_selector("#indicator-table")


def request_snapshot_and_download(page, period, tmp_path):
    """The dashboard's button → the snapshot's page; wait for the worker, then download the PDF."""
    page.select_option("#snapshot-period", period)
    page.click("#snapshot-request")
    page.wait_for_url("**/reports/snapshots/*/")
    deadline = time.monotonic() + 90
    while not page.locator("#snapshot-pdf").count():
        assert time.monotonic() < deadline, "the snapshot was not finished in 90 s"
        assert not page.locator("#snapshot-error").count(), page.locator("#snapshot-error").inner_text()
        page.wait_for_timeout(1000)
        page.reload()
    with page.expect_download() as info:
        page.click("#snapshot-pdf")
    target = tmp_path / f"snapshot-{period}.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")


@pytest.fixture
def programme(dash, users):
    """A small programme: two enterprises transformed in 2025 (one in each of two units), one whose
    acceptance fell on the first day of 2026 (a near miss of 2025), evaluations and money."""
    counted = dash.transformed(
        D(2025, 6, 1), unit="310117104", name="上海车墩精工机械有限公司", cloud_verified_on=D(2025, 7, 1)
    )
    dash.evaluation(counted, dash.Stage.BASELINE, 1, D(2025, 1, 10))
    dash.evaluation(counted, dash.Stage.POST, 3, D(2025, 6, 1))
    other = dash.transformed(D(2025, 9, 1), unit="310117001", name="上海岳阳电子元件有限公司")
    dash.evaluation(other, dash.Stage.POST, 2, D(2025, 9, 1))
    late = dash.transformed(D(2026, 1, 1), unit="310117104", name="上海车墩汽配有限公司")
    dash.money(counted, "200000", paid="120000")
    return {"counted": counted, "other": other, "late": late}


@pytest.mark.browser
def test_a_district_official_and_an_auditor_read_drill_down_and_snapshot(
    page, live_server, celery_worker, users, programme, tmp_path
):
    base = live_server.url

    # The district official, on a laptop.
    page.set_viewport_size(LAPTOP)
    log_in(page, base, users[Role.DISTRICT_OFFICIAL].username)
    # First, allocate targets of the running total to 车墩镇 in the unit targets grid.
    page.click("#mainnav a[href='/reports/targets/']")
    page.select_option("#period", "total")
    page.wait_for_selector("#targets-grid")
    page.fill("input[name='t-310117104-1+2']", "4")
    page.fill("input[name='t-310117104-R2']", "90%")
    with page.expect_navigation():
        page.click("#targets-save")
    assert page.locator("input[name='t-310117104-1+2']").input_value() == "4"
    page.click("#targets-history-link")
    assert page.locator("#target-history tr[data-unit='310117104']").count() == 2
    open_dashboard(page)
    row = page.locator("#indicator-table tr[data-number='1+2']")
    assert row.locator("td[data-period='2025'] .indicator-actual").inner_text() == "2"
    assert row.locator("td[data-period='2026'] .indicator-actual").inner_text() == "1"
    assert row.locator("td[data-period='total'] .indicator-actual").inner_text() == "3"
    assert page.locator("#freshness li[data-period='2025']").get_attribute("data-source") == "live"
    page.wait_for_selector("#heat-chart canvas")
    # 车墩镇: two of the four enterprises allocated for the running total.
    assert (
        page.evaluate(
            "() => { var h = JSON.parse(document.getElementById('dashboard-data').textContent).heat;"
            " return h.cells.find(c => h.numbers[c[0]] === '1+2' && h.codes[c[1]] === '310117104')[2]; }"
        )
        == 50
    )
    assert page.locator("#levels-after td").nth(3).inner_text() == "1"  # one enterprise at level 3 after
    shot(page, "laptop-district")

    # Drill down into 1+2 of 2025: the two enterprises counted, the near miss and its reason.
    row.locator("td[data-period='2025'] .indicator-actual").click()
    page.wait_for_selector("#records-counted")
    counted = page.locator("#records-counted").inner_text()
    assert "上海车墩精工机械有限公司" in counted and "上海岳阳电子元件有限公司" in counted
    miss = page.locator(f"#near-misses tr[data-id='{programme['late'].pk}']")
    assert miss.get_attribute("data-reasons") == "accepted_after_period"
    shot(page, "laptop-drilldown")
    page.click(f"#records-counted a[href='/enterprises/{programme['counted'].pk}/']")
    page.wait_for_url(f"**/enterprises/{programme['counted'].pk}/")
    assert page.url.endswith(f"/enterprises/{programme['counted'].pk}/")

    # Back on the dashboard, the button asks for a new snapshot of 2025; its PDF downloads.
    open_dashboard(page)
    request_snapshot_and_download(page, "2025", tmp_path)
    open_dashboard(page)
    assert page.locator("#freshness li[data-period='2025']").get_attribute("data-source") == "district"
    log_out(page)

    # The auditor, on a projector: reads, drills into R2 and asks for a snapshot of the total.
    page.set_viewport_size(PROJECTOR)
    log_in(page, base, users[Role.AUDITOR].username)
    open_dashboard(page)
    page.wait_for_selector("#levels-chart canvas")
    shot(page, "projector-auditor")
    page.locator("#indicator-table tr[data-number='R2'] td[data-period='2025'] .indicator-actual").click()
    page.wait_for_selector("#records-counted")
    assert page.locator("#records-count").inner_text().startswith("2 / 2")
    shot(page, "projector-drilldown")
    open_dashboard(page)
    request_snapshot_and_download(page, "total", tmp_path)
    assert ReportSnapshot.objects.filter(status=ReportSnapshot.Status.DONE).count() == 2
    open_dashboard(page)
    assert page.locator("#freshness li[data-period='total']").get_attribute("data-source") == "district"
    shot(page, "projector-after-snapshot")
