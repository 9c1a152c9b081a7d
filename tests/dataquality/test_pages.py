"""The centre's pages: who opens them, the resolve form, the merge with its confirmation, the unit scores."""

import pytest

from core.roles import Role
from dataquality.models import EnterpriseMerge, FindingResolution
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DISTRICT_OFFICIAL, 200),
        (Role.ADMIN, 200),
        (Role.UNIT_STAFF, 200),
        (Role.PROVIDER_USER, 403),
        (Role.EVALUATOR, 403),
        (Role.FINANCE_OFFICER, 403),
    ],
)
def test_who_opens_the_centre(client, users, role, status):
    client.force_login(users[role])
    assert client.get("/data-quality/").status_code == status


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/data-quality/").status_code == 302


def test_the_centre_lists_findings_with_links_and_a_bad_filter_is_a_400(client, users, units):
    a = EnterpriseFactory(name="上海松江甲有限公司", unit=units["310117001"])
    EnterpriseFactory(name="松江甲有限公司", unit=units["310117002"])
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    body = client.get("/data-quality/", {"kind": "duplicate_name"}).content.decode()
    assert f"/enterprises/{a.pk}/" in body and "/data-quality/merge/?survivor=" in body
    assert client.get("/data-quality/", {"kind": "<script>"}).status_code == 400
    client.force_login(users[Role.UNIT_STAFF])
    body = client.get("/data-quality/", {"kind": "duplicate_name"}).content.decode()
    assert f"/enterprises/{a.pk}/" in body and "/data-quality/merge/" not in body


def test_resolving_from_the_page_keeps_the_answer(client, users):
    e = EnterpriseFactory(employees=None, employees_previous=None)
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(
        "/data-quality/resolve/",
        {"kind": "missing_employees", "enterprise": e.pk, "resolution": "not_a_problem", "reason": "核实无误"},
    )
    assert response.status_code == 302
    assert FindingResolution.objects.get().reason == "核实无误"


def test_the_merge_asks_for_confirmation_restating_what_happens_then_merges(client, users):
    survivor, merged = EnterpriseFactory(name="甲公司"), EnterpriseFactory(name="上海甲公司")
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    data = {"survivor": survivor.credit_code, "merged": merged.credit_code, "reason": "重复登记"}
    body = client.post("/data-quality/merge/", data).content.decode()
    assert "merge-confirm" in body and merged.credit_code in body
    assert not EnterpriseMerge.objects.exists()
    response = client.post("/data-quality/merge/", {**data, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == f"/enterprises/{survivor.pk}/"
    assert Enterprise.objects.get(pk=merged.pk).status == "merged"
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get("/data-quality/merge/").status_code == 403


def test_the_district_reads_every_units_score(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    body = client.get("/data-quality/units/").content.decode()
    assert body.count('data-unit="') == 18
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get("/data-quality/units/").status_code == 403
