"""Chromium: a district official opens the assessment from the menu, sees the chart drawn and the ranking, reads
a unit's parts, changes a weight and sees the ranking change and the change in the history; unit staff see their
own unit's assessment only. Screenshots are kept in ``test-artifacts/``."""

from pathlib import Path

import pytest

from core.roles import Role
from tests.helpers import log_in, log_out, menu

from .conftest import U1, U2

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def rank_of(page, code):
    return page.locator(f"#assessment-ranking tr[data-unit='{code}']").get_attribute("data-rank")


@pytest.mark.browser
def test_the_district_reads_the_ranking_changes_a_weight_and_a_unit_reads_its_own(page, live_server, users, world):
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, base, users[Role.DISTRICT_OFFICIAL].username)
    menu(page, "/unit-assessments/")
    page.select_option("#year", "2025")
    page.wait_for_url("**/unit-assessments/?year=2025")
    page.wait_for_selector("#assessment-ranking-chart canvas")
    assert (rank_of(page, U1), rank_of(page, U2)) == ("17", "18")
    # unit reports and data quality for all 18 units, and completion for the 16 units without targets
    assert page.locator("#assessment-ranking .part-unmeasured").count() == 2 * 18 + 16
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "unit-assessment-ranking.png"), full_page=True)

    page.click(f"#assessment-ranking tr[data-unit='{U1}'] a")
    page.wait_for_selector("#assessment-parts")
    assert page.locator("#assessment-total").inner_text() == "94.87"
    assert page.locator("#assessment-parts tr[data-part='withdrawals'] .part-score").inner_text() == "66.67"
    assert page.locator("#assessment-parts tr[data-part='data_quality'] .part-unmeasured").count() == 1

    page.goto(f"{base}/unit-assessments/weights/")
    page.fill("#id_w-indicator_completion", "0")
    page.fill("#id_w-withdrawals", "50")
    page.fill("#id_reason", "演示调整")
    with page.expect_navigation():
        page.click("#weights-save")
    assert page.locator("#weights-history tr[data-part='withdrawals'] .history-new").first.inner_text() == "50"
    page.goto(f"{base}/unit-assessments/?year=2025")
    page.wait_for_selector("#assessment-ranking-chart canvas")
    assert int(rank_of(page, U2)) < int(rank_of(page, U1))
    log_out(page)

    log_in(page, base, users[Role.UNIT_STAFF].username)
    page.click("#mainnav a[href='/unit-assessments/']")  # unit staff land on their own unit's page
    page.wait_for_url(f"**/unit-assessments/units/{U1}/?year=2026")
    page.wait_for_selector("#assessment-parts")
    assert page.locator("#assessment-unit-rank").inner_text().startswith("第")
