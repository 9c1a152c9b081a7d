"""Chromium, a real Celery worker: an auditor, as a new user would, finds "Report snapshots" in the
menu, asks for a snapshot, watches the page update by itself until it is done, downloads its PDF,
asks for a second one and compares the two."""

import datetime
from pathlib import Path

import pytest

from core.roles import Role
from reports.models import ReportSnapshot
from tests.factories import EnterpriseFactory
from tests.helpers import log_in, menu

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"snapshots-{name}.png"), full_page=True)


def request_snapshot(page, as_of):
    page.select_option("#r-period", "2025")
    page.fill("#r-as-of", as_of)
    page.click("#request-snapshot")
    page.wait_for_url("**/reports/snapshots/*-*/")
    # htmx polls the status and reloads the page once the worker has finished
    page.wait_for_selector("#snapshot-pdf", timeout=60_000)


@pytest.mark.browser
@pytest.mark.worker
def test_an_auditor_requests_watches_downloads_and_compares_snapshots(page, live_server, celery_worker, users, units):
    EnterpriseFactory(unit=units["310117001"], name="岳阳云上公司", cloud_verified_on=datetime.date(2025, 3, 1))
    EnterpriseFactory(unit=units["310117104"], name="车墩云上公司", cloud_verified_on=datetime.date(2025, 9, 1))
    auditor = users[Role.AUDITOR]
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url, auditor.username)

    menu(page, "/reports/snapshots/")
    request_snapshot(page, "2025-06-30")
    first = ReportSnapshot.objects.get()
    assert first.status == "done" and first.requested_by == auditor
    rows = page.locator("#snapshot-rows tr[data-number='5'] td.actual")
    assert rows.inner_text().strip() == "1"
    assert page.locator("#snapshot-annex tr[data-unit='310117001']").count() == 1
    shot(page, "detail")
    with page.expect_download() as download_info:
        page.click("#snapshot-pdf")
    path = download_info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")

    page.goto(f"{live_server.url}/reports/snapshots/")
    request_snapshot(page, "2025-12-31")
    second = ReportSnapshot.objects.exclude(pk=first.pk).get()
    with page.expect_navigation():
        page.click("#compare-previous")
    assert page.locator("#compare-table tr[data-number='5'] td.change").inner_text().strip() == "+1"
    assert "车墩云上公司" in page.locator("#compare-table tr[data-number='5'] td.entered").inner_text()
    shot(page, "compare")

    page.goto(f"{live_server.url}/reports/snapshots/")
    page.check(f"input[name='pick'][value='{first.pk}']")
    page.check(f"input[name='pick'][value='{second.pk}']")
    with page.expect_navigation():
        page.click("#compare-picked")
    assert page.locator("#before-link").get_attribute("href").endswith(f"/{first.pk}/")
    shot(page, "list-compare")
