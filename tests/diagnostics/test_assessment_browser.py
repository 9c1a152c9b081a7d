"""Chromium: an evaluator fills in the evaluation form and watches the score and level update live."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from diagnostics.models import Assessment
from tests.helpers import confirm_in_dialog, log_in

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture
def world(assessment_world):
    """This module's world: the assessment tests' (tests/diagnostics/conftest.py)."""
    return assessment_world


def total(page):
    return page.locator("#live-total").inner_text().strip()


@pytest.mark.browser
def test_the_live_score_follows_the_answers_and_the_evaluation_is_submitted(page, live_server, world):
    log_in(page, live_server.url, world["evaluator"].username)
    page.goto(f"{live_server.url}/assessments/mine/")
    page.click(f'tr[data-enterprise="{world["ours"].pk}"] a.btn-danger')
    page.wait_for_selector("#questionnaire")
    assert total(page) == "0"

    page.check("#id_item_network_1")  # +2
    expect(page.locator("#live-total")).to_have_text("2")
    page.check("#id_item_information_systems_4")  # +10
    expect(page.locator("#live-total")).to_have_text("12")

    # Raw numbers: 70 of 200 machines digitised → 35% → 3 points, shown as the derived answer.
    page.fill("#id_raw_equipment_total", "200")
    page.fill("#id_raw_equipment_digitised", "70")
    expect(page.locator("#live-total")).to_have_text("15")
    assert "35.0%" in page.locator("#derived-equipment_digitised_rate").inner_text()

    # An impossible number is flagged without losing the rest.
    page.fill("#id_raw_equipment_networked", "250")
    page.locator("#id_raw_equipment_networked").dispatch_event("change")
    page.wait_for_selector("#live-errors")
    page.fill("#id_raw_equipment_networked", "25")
    page.locator("#id_raw_equipment_networked").dispatch_event("change")
    expect(page.locator("#live-total")).to_have_text("16.5")

    # Scenes move the counts and the level: a full score with six scenes at level 1, three constraint.
    for scene in ("product_design", "marketing", "safety", "after_sales", "collaboration", "decision_support"):
        page.select_option(f"#id_scene_{scene}", "1")
    page.check("#id_item_planning_5")
    expect(page.locator("#live-total")).to_have_text("24")
    assert page.locator("#live-level").inner_text().strip() == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assessment-live-score.png"), full_page=True)

    page.click("#submit-assessment")
    confirm_in_dialog(page)
    page.wait_for_selector("#assessment-score")
    assert page.locator("#assessment-score").inner_text().strip() == "24"
    stored = Assessment.objects.get()
    assert stored.status == "submitted" and stored.level == 1 and stored.raw["equipment_networked"] == "25"
    world["ours"].refresh_from_db()
    assert world["ours"].baseline_level == 1
