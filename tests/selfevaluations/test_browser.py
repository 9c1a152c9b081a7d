"""Chromium, a real Celery worker: a district official finds "Self-evaluations" in the menu, starts a mid-term
report, watches the page update by itself until it is generated, writes a narrative section (kept as a revision with
who and when), generates a new version that merges it, compares the two versions and downloads the Word document and
the PDF."""

import datetime
import io
from pathlib import Path

import pytest
from docx import Document

from core.roles import Role
from selfevaluations.models import NarrativeRevision, SelfEvaluation
from tests.factories import EnterpriseFactory
from tests.helpers import log_in, menu

from .conftest import indicator_table

TEXT = "截至统计日，试点企业改造总体按计划推进，个别企业进度偏慢。"


def wait_generated(page):
    page.wait_for_url("**/self-evaluations/*-*/")
    # htmx polls the status and reloads the page once the worker has finished
    page.wait_for_selector("#selfevaluation-docx", timeout=120_000)


@pytest.mark.browser
@pytest.mark.worker
def test_an_official_writes_a_section_generates_and_downloads(page, live_server, celery_worker, users, units):
    EnterpriseFactory(unit=units["310117001"], name="岳阳云上公司", cloud_verified_on=datetime.date(2025, 3, 1))
    official = users[Role.DISTRICT_OFFICIAL]
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, official.username)

    menu(page, "/self-evaluations/")
    page.select_option("#id_stage", "midterm")
    page.fill("#id_as_of", "2025-12-31")
    page.click("#selfevaluation-start-button")
    wait_generated(page)
    first = SelfEvaluation.objects.get()
    assert first.status == "done" and first.requested_by == official and first.version == 1

    page.fill("#id_problems-text", TEXT)
    with page.expect_navigation():
        page.click("#save-problems")
    revision = NarrativeRevision.objects.get()
    assert revision.author == official and revision.text == TEXT
    assert official.username in page.locator("#section-problems .card-header").inner_text()

    with page.expect_navigation():
        page.click("#selfevaluation-regenerate")
    wait_generated(page)
    second = SelfEvaluation.objects.exclude(pk=first.pk).get()
    assert second.version == 2 and second.narratives[0]["revision"] == revision.pk
    assert f"#{revision.pk}" in page.locator("#selfevaluation-merged").inner_text()

    with page.expect_download() as download_info:
        page.click("#selfevaluation-docx")
    download = download_info.value
    assert download.suggested_filename.endswith("_第2版.docx") and "中期自评估报告" in download.suggested_filename
    content = Path(download.path()).read_bytes()
    assert TEXT in "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert len(indicator_table(content)) == 18
    with page.expect_download() as download_info:
        page.click("#selfevaluation-pdf")
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    page.select_option("#compare-with", str(first.pk))
    with page.expect_navigation():
        page.click("#selfevaluation-compare button")
    assert page.locator("#selfevaluation-no-changes, #selfevaluation-changes").count() == 1
