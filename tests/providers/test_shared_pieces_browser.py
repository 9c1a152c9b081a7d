"""Chromium: the shared page behaviour (static/js/portal.js) on the enterprise page — the provider
and evaluation-body pickers suggest by name, ending an assignment asks in the portal's dialog first, and no inline
script is needed for any of it."""

import pytest
from playwright.sync_api import expect

from providers.models import ProviderAssignment
from tests.helpers import signed_in


@pytest.mark.browser
def test_the_provider_picker_suggests_providers_by_name(page, client, live_server, world):
    signed_in(page, client, live_server, world["district"])
    page.goto(f"{live_server.url}/enterprises/{world['unassigned'].pk}/")
    field = page.locator('input[name="provider-target"]')
    field.fill("乙智造")
    options = page.locator("#provider-target-options option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == world["prov_b"].credit_code
    assert "乙智造服务有限公司" in options.first.get_attribute("label")


@pytest.mark.browser
def test_the_evaluation_body_picker_suggests_bodies_by_name(page, client, live_server, world):
    signed_in(page, client, live_server, world["district"])
    page.goto(f"{live_server.url}/enterprises/{world['unassigned'].pk}/")
    page.locator('input[name="body-target"]').fill("丙评测")
    options = page.locator("#body-target-options option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == world["body_b"].credit_code
    page.locator('input[name="body-target"]').fill(options.first.get_attribute("value"))  # the suggestion taken
    with page.expect_navigation():
        page.locator("#assign-body-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert world["unassigned"].evaluator_assignments.filter(evaluation_body=world["body_b"]).exists()


@pytest.mark.browser
def test_ending_an_assignment_asks_first_and_cancel_changes_nothing(page, client, live_server, world):
    signed_in(page, client, live_server, world["district"])
    page.goto(f"{live_server.url}/enterprises/{world['ours'].pk}/")
    row = (
        page.locator("#section-provider-assignments li, #section-assignments li")
        .filter(has_text="乙智造服务有限公司")
        .first
    )
    row.locator('input[name="reason"]').fill("合同到期")
    row.get_by_role("button", name="结束").click()
    dialog = page.locator("#portal-confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确定结束此项分派吗")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    assert ProviderAssignment.objects.filter(pk=world["b_ours"].pk).exists()

    row.get_by_role("button", name="结束").click()
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        dialog.get_by_role("button", name="结束").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert not ProviderAssignment.objects.filter(pk=world["b_ours"].pk).exists()
