"""Chromium: a diagnosis round trip as new users would do it, through the menus.

A provider drafts and submits a report; the district returns it with a reason; the provider sees
the reason on its home page, revises and resubmits; the district accepts; the evaluator evaluates
the enterprise on site (baseline); the enterprise page shows the level.
"""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.roles import Role
from diagnostics.models import Assessment, Diagnosis
from providers.models import EvaluatorAssignment, ProviderAssignment
from tests.factories import EnterpriseFactory
from tests.helpers import confirm_in_dialog, log_in, log_out, menu

from .diagnosis_helpers import PDF_BYTES

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def answer_questionnaire(page):
    """Enough for level 1: 8 + 10 + 5 + 7.5 = 30.5 points, six constraint scenes at level 2."""
    for n in (1, 2, 3, 4):
        page.check(f"#id_item_network_{n}")
        page.check(f"#id_item_network_security_{n}")
    page.check("#id_item_information_systems_4")
    page.check("#id_item_planning_5")
    for scene in (
        "product_design",
        "marketing",
        "production_control",
        "quality_management",
        "equipment_management",
        "safety",
    ):
        page.select_option(f"#id_scene_{scene}", "2")
    expect(page.locator("#live-level")).to_have_text("1")  # the live score card, refreshed by htmx


@pytest.mark.browser
def test_a_diagnosis_round_trip_with_one_return_and_a_baseline_evaluation(page, live_server, users, units, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(20000)
    provider_user, district, evaluator = users[Role.PROVIDER_USER], users[Role.DISTRICT_OFFICIAL], users[Role.EVALUATOR]
    enterprise = EnterpriseFactory(unit=units["310117001"], name="上海岳阳浏览器诊断公司")
    day = datetime.date(2025, 1, 10)
    ProviderAssignment.objects.create(enterprise=enterprise, provider=provider_user.provider, assigned_on=day)
    EvaluatorAssignment.objects.create(
        enterprise=enterprise, evaluation_body=evaluator.evaluation_body, assigned_on=day
    )
    pdf = tmp_path / "签字版诊断报告.pdf"
    pdf.write_bytes(PDF_BYTES)
    base = live_server.url

    # 1. The provider finds the enterprise in its work queue and drafts the report.
    log_in(page, base, provider_user.username)
    menu(page, "/diagnoses/queue/")
    # One click opens the draft, dated today (issue 18 item 11: no intermediate page with an empty date).
    with page.expect_navigation():
        page.click(f"#queue-unreported form:has(input[value='{enterprise.pk}']) button")
    assert "/edit/" in page.url
    answer_questionnaire(page)
    expect(page.locator("#live-level")).to_have_text("1")  # the live score card, refreshed by htmx
    page.fill("#id_summary", "设备联网率低，生产管控靠人工。")
    page.fill("#id_pain_production_control", "排产靠Excel，插单频繁。")
    page.select_option("#id_target_level", "2")
    page.check("#target-scenes input[value='production_control']")
    page.fill("#id_proposed_work", "部署轻量化MES。")
    page.fill("#id_proposed_cost", "400000")
    page.fill("#id_software_cost", "240000")
    page.set_input_files("#id_signed_pdf", str(pdf))
    with page.expect_navigation():
        page.click("#save-submit-button")
    # Saved; the checklist still flags a gap, so the provider is warned before it goes (issue 18 item 11).
    report = Diagnosis.objects.get(enterprise=enterprise)
    assert report.status == "draft"
    expect(page.locator("#action-confirm")).to_be_visible()
    assert page.locator("#confirm-facts").inner_text().strip()
    with page.expect_navigation():
        page.click("#confirm-submit")
    report.refresh_from_db()
    assert report.status == "submitted" and report.level == 1
    assert "60.0%" in page.locator("#software-share").inner_text()
    log_out(page)

    # 2. The district returns it with a reason from the review queue.
    log_in(page, base, district.username)
    assert page.locator("#todo-review").count() == 1
    menu(page, "/diagnoses/review/")
    with page.expect_navigation():
        page.click(f"#review-table tr[data-diagnosis='{report.pk}'] a.btn")
    page.fill("#return-reason-input", "请补充质量管理场景的痛点。")
    with page.expect_navigation():
        page.click("#return-button")
    report.refresh_from_db()
    assert report.status == "returned"
    log_out(page)

    # 3. The provider sees the reason on its home page, revises and resubmits.
    log_in(page, base, provider_user.username)
    returned = page.locator("#todo-returned")
    assert "请补充质量管理场景的痛点。" in returned.inner_text()
    with page.expect_navigation():
        returned.locator(f"a[href='/diagnoses/{report.pk}/']").click()
    with page.expect_navigation():
        page.click("#edit-button")
    page.fill("#id_pain_quality_management", "质检记录纸质化，无法追溯。")
    page.check("#target-scenes input[value='quality_management']")
    with page.expect_navigation():
        page.click("#save-submit-button")
    with page.expect_navigation():
        page.click("#confirm-submit")  # the checklist still flags a gap: warned again
    report.refresh_from_db()
    assert (report.status, report.version) == ("submitted", 2)
    assert report.target_scenes == ["production_control", "quality_management"]
    log_out(page)

    # 4. The district accepts version 2.
    log_in(page, base, district.username)
    menu(page, "/diagnoses/review/")
    with page.expect_navigation():
        page.click(f"#review-table tr[data-diagnosis='{report.pk}'] a.btn")
    assert re.search(r"\b2\b", page.locator("#diagnosis-version").inner_text())  # version 2 (第 2 版)
    with page.expect_navigation():
        page.click("#accept-button")
    report.refresh_from_db()
    assert report.status == "accepted" and report.is_current
    log_out(page)

    # 5. The evaluator evaluates the enterprise on site (baseline) from its work list.
    log_in(page, base, evaluator.username)
    assert enterprise.name in page.locator("#todo-evaluations").inner_text()
    menu(page, "/assessments/mine/")
    with page.expect_navigation():
        page.click(f"#worklist tr[data-enterprise='{enterprise.pk}'] a.btn")
    answer_questionnaire(page)
    page.click("#submit-assessment")
    with page.expect_navigation():
        confirm_in_dialog(page)
    evaluation = Assessment.objects.get(enterprise=enterprise)
    assert evaluation.authoritative and evaluation.level == 1
    menu(page, "/")
    assert enterprise.name not in page.locator("#todo-evaluations").inner_text()  # no longer due

    # 6. The enterprise page shows the level and the current accepted report.
    page.goto(f"{base}/enterprises/{enterprise.pk}/")
    enterprise.refresh_from_db()
    assert (enterprise.baseline_level, enterprise.current_level) == (1, 1)
    assert re.search(r"\S+ 1 · \S+ 1", page.locator("body").inner_text())  # baseline 1 · current 1
    assert page.locator("#section-diagnoses #current-report a").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "diagnosis-round-trip-enterprise.png"), full_page=True)
