"""Chromium: the forms moved to the shared fields behave in the page (static/js/portal.js) — the
commitment form's enterprise picker suggests by name and its amount echoes in 万元; an enterprise's
revenue, typed in 万元, echoes in 元."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import EnterpriseFactory
from tests.helpers import signed_in


@pytest.mark.browser
def test_the_commitment_form_suggests_enterprises_and_echoes_the_amount_in_wan(page, client, live_server, users, units):
    enterprise = EnterpriseFactory(unit=units["310117001"], name="上海岳阳浏览器测试公司")
    EnterpriseFactory(unit=units["310117104"], name="上海车墩另一家公司")
    signed_in(page, client, live_server, users[Role.DISTRICT_OFFICIAL])
    page.goto(live_server.url + reverse("funding:commitment_create"))

    page.locator('input[name="enterprise"]').fill("浏览器测试")
    options = page.locator("#id_enterprise-options option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == enterprise.credit_code
    assert "上海岳阳浏览器测试公司" in options.first.get_attribute("label")

    page.locator('input[name="amount"]').fill("1,200,000.5")
    expect(page.locator("#id_amount-echo")).to_have_text("= 1,200,000.50 元 = 120.00 万元")
    page.locator('input[name="amount"]').fill("¥100")
    expect(page.locator("#id_amount-echo")).to_have_class("form-text text-danger")


@pytest.mark.browser
def test_revenue_typed_in_wan_echoes_in_yuan(page, client, live_server, users, units):
    enterprise = EnterpriseFactory(unit=units["310117001"], name="上海岳阳营收公司")
    signed_in(page, client, live_server, users[Role.DISTRICT_OFFICIAL])
    page.goto(live_server.url + reverse("enterprises:edit", args=[enterprise.pk]))
    revenue = page.locator('input[name="revenue"]')
    revenue.fill("1205.5")
    expect(page.locator("#id_revenue-echo")).to_have_text("= 12,055,000.00 元 = 1,205.50 万元")


@pytest.mark.browser
def test_the_payment_request_echoes_its_amount_and_asks_for_a_large_one_twice(page, client, live_server, world):
    """The request form on a commitment's page: the amount echoes in 元 and 万元 while typing, full-width
    digits are flagged at once, and the second typing shows only above the double-entry threshold."""
    signed_in(page, client, live_server, world["district"])
    page.goto(live_server.url + reverse("funding:commitment_detail", args=[world["commitment"].pk]))
    amount = page.locator('input[name="pay-amount"]')
    again_wrap = page.locator("#wrap-id_pay-amount_again")
    amount.fill("")
    expect(again_wrap).to_be_hidden()
    amount.fill("86000")
    expect(page.locator("#id_pay-amount-echo")).to_have_text("= 86,000.00 元 = 8.60 万元")
    expect(again_wrap).to_be_hidden()
    amount.fill("８６０００")
    expect(page.locator("#id_pay-amount-echo")).to_have_class("form-text text-danger")
    amount.fill("600000")
    expect(page.locator("#id_pay-amount-echo")).to_have_text("= 600,000.00 元 = 60.00 万元")
    expect(again_wrap).to_be_visible()
    page.locator('input[name="pay-amount_again"]').fill("600000")
    expect(page.locator("#id_pay-amount_again-echo")).to_have_text("= 600,000.00 元 = 60.00 万元")
