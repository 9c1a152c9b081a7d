"""Chromium: an auditor asks for an enterprise file from the enterprise's page, watches "My documents"
update itself while a real Celery worker renders it, and downloads the PDF."""

from pathlib import Path

import pytest

from core.models import DownloadLog
from core.roles import Role
from tests.helpers import log_in

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.mark.browser
def test_an_auditor_asks_for_the_enterprise_file_and_downloads_it(page, live_server, celery_worker, world, users):
    auditor = users[Role.AUDITOR]
    enterprise = world["enterprise"]
    log_in(page, live_server.url, auditor.username)

    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.click("#request-enterprise-file")
    page.wait_for_url("**/reports/documents/")
    assert page.url.endswith("/reports/documents/")
    assert page.locator("#mainnav a[href='/reports/documents/']").count() == 1
    # The table refreshes itself (htmx) until the worker has stored the file.
    link = page.locator("a.document-download")
    link.wait_for(timeout=90_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "documents-my-documents.png"), full_page=True)
    assert enterprise.name in page.locator("#documents-table").inner_text()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"一企一档_{enterprise.credit_code}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    assert DownloadLog.objects.filter(user=auditor, kind="document:enterprise_file").count() == 1
