"""Registry pages: list, file, forms, confirmation queue, units — and who may reach each."""

import pytest
from django.urls import reverse

from core.roles import Role
from enterprises.models import Enterprise, UnitQuota
from enterprises.services import enterprise_withdraw, unit_quota_set
from tests.factories import EnterpriseFactory, make_credit_code


@pytest.fixture
def registry(users, units):
    return {
        "ours": EnterpriseFactory(unit=units["310117001"], name="上海岳阳页面公司"),
        "proposed": EnterpriseFactory(unit=units["310117001"], name="上海岳阳待确认公司", status="proposed"),
        "theirs": EnterpriseFactory(unit=units["310117104"], name="上海车墩页面公司"),
    }


def test_the_list_shows_the_viewers_scope_with_counts(client, users, registry):
    client.force_login(users[Role.UNIT_STAFF])
    page = client.get(reverse("enterprises:list")).content.decode()
    assert "上海岳阳页面公司" in page and "上海岳阳待确认公司" in page and "上海车墩页面公司" not in page
    client.force_login(users[Role.AUDITOR])
    page = client.get(reverse("enterprises:list"), {"unit": "310117104"}).content.decode()
    assert "上海车墩页面公司" in page and "上海岳阳页面公司" not in page


def test_list_filters_search_and_sorting(client, users, registry):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get(reverse("enterprises:list"), {"search": "待确认"}).content.decode()
    assert "上海岳阳待确认公司" in page and "上海岳阳页面公司" not in page
    sorted_page = client.get(reverse("enterprises:list"), {"sort": "-name"}).content.decode()
    assert sorted_page.index("上海车墩页面公司") < sorted_page.index("上海岳阳页面公司")
    assert client.get(reverse("enterprises:list"), {"status": "proposed"}).context["page_obj"].paginator.count == 1


def test_list_page_query_count_is_constant(client, users, units, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(40, unit=units["310117001"])
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("enterprises:list")).status_code == 200


def test_the_enterprise_file_is_404_outside_scope(client, users, registry):
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(reverse("enterprises:detail", args=[registry["ours"].pk])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[registry["theirs"].pk])).status_code == 404
    assert client.get(reverse("enterprises:edit", args=[registry["theirs"].pk])).status_code == 404


def test_a_clerk_adds_an_enterprise_through_the_form(client, users):
    client.force_login(users[Role.UNIT_STAFF])
    form = {
        "credit_code": "91350100M000100Y40",
        "name": "上海岳阳表单公司",
        "unit": users[Role.UNIT_STAFF].unit.pk,
        "sector": "auto_parts",
        "scale": "above",
        "size": "small",
        "tier": "none",
    }
    bad = client.post(reverse("enterprises:create"), form)
    assert bad.status_code == 200
    assert "第 18 位" in bad.content.decode() or "校验" in bad.content.decode()
    form["credit_code"] = make_credit_code(777)
    response = client.post(reverse("enterprises:create"), form)
    enterprise = Enterprise.objects.get(name="上海岳阳表单公司")
    assert response.url == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.status == "proposed"


@pytest.mark.parametrize("role", [Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_read_only_roles_cannot_add_or_edit(client, users, registry, role):
    client.force_login(users[role])
    assert client.get(reverse("enterprises:create")).status_code == 403
    detail = client.get(reverse("enterprises:edit", args=[registry["ours"].pk])).status_code
    assert detail in (403, 404)


def test_the_district_confirms_proposals_in_a_batch(client, users, registry, units):
    another = EnterpriseFactory(unit=units["310117104"], status="proposed")
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get(reverse("enterprises:confirm_queue")).content.decode()
    assert "上海岳阳待确认公司" in page
    client.post(reverse("enterprises:confirm_queue"), {"ids": [registry["proposed"].pk, another.pk]})
    assert set(
        Enterprise.objects.filter(pk__in=[registry["proposed"].pk, another.pk]).values_list("status", flat=True)
    ) == {"active"}


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.AUDITOR, Role.PROVIDER_USER, Role.FINANCE_OFFICER])
def test_only_the_district_reaches_the_confirmation_queue(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("enterprises:confirm_queue")).status_code == 403


def test_withdraw_from_the_file_page_and_the_unit_shortfall_warning(client, users, registry, units):
    unit_quota_set(actor=users[Role.DISTRICT_OFFICIAL], unit=units["310117001"], required=1)
    client.force_login(users[Role.UNIT_STAFF])
    url = reverse("enterprises:action", args=[registry["ours"].pk, "withdraw"])
    detail = client.get(reverse("enterprises:detail", args=[registry["ours"].pk])).content.decode()
    form = detail.split('id="withdraw-form"', 1)[1].split("</form>", 1)[0]
    assert 'value="" selected' in form or "selected" not in form  # no reason is chosen for the clerk
    asked = client.post(url, {"reason": "ceased", "date": "2025-08-01", "note": "企业停产"})
    body = asked.content.decode()
    # The step is restated first, and nothing happens until it is confirmed.
    assert asked.status_code == 200 and 'id="action-confirm"' in body
    assert registry["ours"].name in body and "2025-08-01" in body and "总数各减少一家" in body
    registry["ours"].refresh_from_db()
    assert registry["ours"].status == "active"
    response = client.post(
        url, {"reason": "ceased", "date": "2025-08-01", "note": "企业停产", "confirmed": "1"}, follow=True
    )
    assert "已退出" in response.content.decode()
    page = client.get(reverse("enterprises:unit_detail", args=["310117001"])).content.decode()
    assert 'id="shortfall"' in page
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    overview = client.get(reverse("enterprises:unit_overview")).content.decode()
    assert "table-warning" in overview


def test_naming_the_replacement_clears_the_shortfall(users, registry, units):
    from enterprises.selectors import unit_enterprise_counts
    from enterprises.services import enterprise_confirm

    unit_quota_set(actor=users[Role.DISTRICT_OFFICIAL], unit=units["310117001"], required=1)
    enterprise_withdraw(
        actor=users[Role.UNIT_STAFF], enterprise=registry["ours"], reason="moved_out", replacement=registry["proposed"]
    )
    row = next(
        r for r in unit_enterprise_counts(viewer=users[Role.DISTRICT_OFFICIAL]) if r["unit__code"] == "310117001"
    )
    assert row["short"] == 1  # the replacement is still only proposed
    enterprise_confirm(actor=users[Role.DISTRICT_OFFICIAL], enterprise=registry["proposed"])
    row = next(
        r for r in unit_enterprise_counts(viewer=users[Role.DISTRICT_OFFICIAL]) if r["unit__code"] == "310117001"
    )
    assert row["short"] == 0


def test_unit_staff_see_only_their_own_unit_page(client, users):
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(reverse("enterprises:unit_detail", args=["310117001"])).status_code == 200
    assert client.get(reverse("enterprises:unit_detail", args=["310117104"])).status_code == 404
    rows = client.get(reverse("enterprises:unit_overview")).context["rows"]
    assert [r["unit__code"] for r in rows] == ["310117001"]


def test_only_the_district_sets_quotas(client, users):
    client.force_login(users[Role.UNIT_STAFF])
    client.post(reverse("enterprises:unit_detail", args=["310117001"]), {"required": 99})
    assert not UnitQuota.objects.filter(required=99).exists()
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    client.post(reverse("enterprises:unit_detail", args=["310117001"]), {"required": 30})
    assert UnitQuota.objects.get(unit__code="310117001").required == 30


def test_file_page_shows_status_history_and_district_actions(client, users, registry):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(reverse("enterprises:action", args=[registry["proposed"].pk, "confirm"]), follow=True)
    page = response.content.decode()
    assert "纳入试点" in page  # status history entry, in Chinese
    assert "move" in page and "reinstate" not in page


def test_a_withdrawal_without_a_chosen_reason_is_refused_and_a_decline_is_confirmed_first(client, users, registry):
    """Issue 18 items 2 and 3: no pre-selected reason; declining, like withdrawing, is restated before it happens."""
    client.force_login(users[Role.UNIT_STAFF])
    url = reverse("enterprises:action", args=[registry["ours"].pk, "withdraw"])
    client.post(url, {"reason": "", "date": "2025-08-01", "confirmed": "1"})
    registry["ours"].refresh_from_db()
    assert registry["ours"].status == "active"
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    decline = reverse("enterprises:action", args=[registry["proposed"].pk, "decline"])
    asked = client.post(decline, {"note": "不符合条件"})
    assert 'id="action-confirm"' in asked.content.decode() and "不符合条件" in asked.content.decode()
    registry["proposed"].refresh_from_db()
    assert registry["proposed"].status == "proposed"
    client.post(decline, {"note": "不符合条件", "confirmed": "1"})
    registry["proposed"].refresh_from_db()
    assert registry["proposed"].status == "declined"
