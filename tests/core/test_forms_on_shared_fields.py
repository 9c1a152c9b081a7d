"""The pages' forms read money and records through the shared fields (core.forms): amounts by the
services' rule with the Chinese message, records by credit code or name within the viewer's scope."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from enterprises.forms import EnterpriseForm, WithdrawForm
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list
from funding.forms import BudgetLineForm, CommitmentForm, FinancialProductForm, ProjectFactsForm
from tests.factories import EnterpriseFactory

NOT_DIGITS = "请用数字填写以元为单位的金额，例如 1200000 或 1,200,000.50。"
TOO_PRECISE = "金额以元为单位，最多保留两位小数。"


def _commitment_form(data, viewer):
    return CommitmentForm(data, enterprises=enterprise_list(viewer=viewer))


MONEY_FORMS = [
    (lambda data, viewer: ProjectFactsForm(data), "total_investment"),
    (lambda data, viewer: BudgetLineForm(data), "amount"),
    (lambda data, viewer: FinancialProductForm(data), "limit"),
    (_commitment_form, "amount"),
    (lambda data, viewer: EnterpriseForm(data), "revenue"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make_form", "field"), MONEY_FORMS)
@pytest.mark.parametrize(("typed", "message"), [("¥100", NOT_DIGITS), ("1e5", NOT_DIGITS), ("1.005", TOO_PRECISE)])
def test_money_fields_refuse_what_is_not_an_amount_with_the_chinese_message(users, make_form, field, typed, message):
    with translation.override("zh-hans"):
        form = make_form({field: typed}, users[Role.DISTRICT_OFFICIAL])
        assert not form.is_valid()
        assert form.errors[field] == [message]


@pytest.mark.django_db
def test_a_commitment_amount_must_be_above_zero_and_a_budget_may_be_zero(users):
    with translation.override("en"):
        commitment = _commitment_form({"amount": "0"}, users[Role.DISTRICT_OFFICIAL])
        commitment.is_valid()
        assert commitment.errors["amount"] == ["The amount must be above zero."]
        budget = BudgetLineForm({"amount": "0"})
        budget.is_valid()
        assert "amount" not in budget.errors


@pytest.mark.django_db
def test_revenue_is_typed_in_wan_yuan_with_its_unit_and_echo():
    with translation.override("zh-hans"):
        html = str(EnterpriseForm()["revenue"])
    assert 'data-money-unit="wan"' in html and 'data-money-echo="id_revenue-echo"' in html
    assert ">万元</span>" in html


@pytest.mark.django_db
def test_a_record_field_refuses_an_enterprise_outside_the_viewers_scope(users, units):
    ours = EnterpriseFactory(unit=units["310117001"], name="上海岳阳范围内公司")
    theirs = EnterpriseFactory(unit=units["310117104"], name="上海车墩范围外公司")
    staff = users[Role.UNIT_STAFF]
    with translation.override("zh-hans"):
        for typed in (theirs.credit_code, theirs.name, str(theirs.pk)):
            form = WithdrawForm(
                {"reason": "ceased", "date": "2025-08-01", "replacement": typed},
                enterprises=enterprise_list(viewer=staff),
            )
            assert not form.is_valid()
            assert form.errors["replacement"] == [f"没有找到“{typed}”：请填写统一社会信用代码或完整名称。"]
    for typed in (ours.credit_code, ours.name, str(ours.pk)):
        form = WithdrawForm(
            {"reason": "ceased", "date": "2025-08-01", "replacement": typed}, enterprises=enterprise_list(viewer=staff)
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["replacement"] == ours


@pytest.mark.django_db
def test_the_withdrawal_page_names_a_replacement_by_credit_code_and_only_within_scope(client, users, units):
    leaving = EnterpriseFactory(unit=units["310117001"], name="上海岳阳退出公司")
    replacement = EnterpriseFactory(unit=units["310117001"], name="上海岳阳替补公司", status="proposed")
    theirs = EnterpriseFactory(unit=units["310117104"], name="上海车墩别处公司", status="proposed")
    client.force_login(users[Role.UNIT_STAFF])
    url = reverse("enterprises:action", args=[leaving.pk, "withdraw"])
    refused = client.post(
        url, {"reason": "ceased", "date": "2025-08-01", "replacement": theirs.credit_code}, follow=True
    )
    assert f"没有找到“{theirs.credit_code}”" in refused.content.decode()
    assert Enterprise.objects.get(pk=leaving.pk).status == "active"
    asked = client.post(url, {"reason": "ceased", "date": "2025-08-01", "replacement": replacement.credit_code})
    assert "上海岳阳替补公司" in asked.content.decode() and "替补" in asked.content.decode()  # restated, by name
    client.post(
        url, {"reason": "ceased", "date": "2025-08-01", "replacement": replacement.credit_code, "confirmed": "1"}
    )
    leaving.refresh_from_db()
    assert leaving.status == "withdrawn" and leaving.replacement == replacement


@pytest.mark.django_db
def test_an_initial_record_id_shows_as_its_credit_code_never_as_the_id(users, units):
    enterprise = EnterpriseFactory(unit=units["310117001"])
    form = CommitmentForm(
        initial={"enterprise": enterprise.pk}, enterprises=enterprise_list(viewer=users[Role.DISTRICT_OFFICIAL])
    )
    html = str(form["enterprise"])
    assert f'value="{enterprise.credit_code}"' in html and "<select" not in html
    assert f'data-picker="{reverse("core:pick", args=["enterprise"])}"' in html
