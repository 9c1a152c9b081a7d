"""Deadlines: who sets them (single, batch, clear), back-filled past dates, the overdue rules, the
API, the deadlines page and the unit page's section."""

import datetime

import pytest
from django.urls import reverse

from core.errors import PermissionDenied
from core.roles import Role
from diagnostics.models import Assessment, Deadline
from diagnostics.selectors.diagnoses import deadline_list, overdue_deadlines
from diagnostics.services.diagnoses import (
    deadline_clear,
    deadline_set,
    deadline_set_many,
    diagnosis_accept,
    diagnosis_create,
    diagnosis_submit,
)
from tests.factories import EnterpriseFactory

from .diagnosis_helpers import days, today

pytestmark = pytest.mark.django_db


def overdue_kinds(viewer, enterprise):
    return sorted(overdue_deadlines(viewer=viewer).filter(enterprise=enterprise).values_list("kind", flat=True))


def test_the_district_sets_moves_and_clears_a_deadline(users, world):
    district = users[Role.DISTRICT_OFFICIAL]
    deadline = deadline_set(actor=district, enterprise=world["ours"], kind="diagnosis", due_on=days(30), note="首批")
    moved = deadline_set(actor=district, enterprise=world["ours"], kind="diagnosis", due_on=days(60))
    assert moved.pk == deadline.pk and moved.due_on == days(60) and moved.set_by == district
    assert Deadline.objects.count() == 1 and moved.history.count() == 2
    assert deadline_clear(actor=district, enterprise=world["ours"], kind="diagnosis") is True
    assert deadline_clear(actor=district, enterprise=world["ours"], kind="diagnosis") is False


@pytest.mark.parametrize(
    "role", [Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR, Role.FINANCE_OFFICER, Role.AUDITOR]
)
def test_only_the_district_sets_deadlines(users, world, role):
    with pytest.raises(PermissionDenied):
        deadline_set(actor=users[role], enterprise=world["ours"], kind="diagnosis", due_on=days(3))


def test_past_due_dates_are_allowed_and_overdue_at_once(users, world):
    deadline_set(actor=users[Role.ADMIN], enterprise=world["ours"], kind="diagnosis", due_on=datetime.date(2025, 3, 31))
    assert overdue_kinds(users[Role.DISTRICT_OFFICIAL], world["ours"]) == ["diagnosis"]


def test_batch_setting_for_many_enterprises(users, world, units):
    district = users[Role.DISTRICT_OFFICIAL]
    others = [EnterpriseFactory(unit=units["310117001"]) for _ in range(3)]
    saved = deadline_set_many(actor=district, enterprises=[world["ours"], *others], kind="evaluation", due_on=days(10))
    assert len(saved) == 4 and Deadline.objects.filter(kind="evaluation").count() == 4


def test_diagnosis_deadline_is_overdue_until_a_report_is_accepted(users, world):
    district = users[Role.DISTRICT_OFFICIAL]
    deadline_set(actor=district, enterprise=world["ours"], kind="diagnosis", due_on=days(-1))
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    assert overdue_kinds(district, world["ours"]) == ["diagnosis"]  # submitted is not enough
    diagnosis_accept(actor=district, diagnosis=report)
    assert overdue_kinds(district, world["ours"]) == []
    row = deadline_list(viewer=district).get(enterprise=world["ours"])
    assert row.done and not row.is_overdue


def test_a_deadline_due_today_is_not_yet_overdue(users, world):
    deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=world["ours"], kind="transformation", due_on=today())
    assert overdue_kinds(users[Role.DISTRICT_OFFICIAL], world["ours"]) == []


def test_evaluation_deadline_is_overdue_until_an_authoritative_baseline_exists(users, world):
    from diagnostics.models import IndexEdition

    district = users[Role.DISTRICT_OFFICIAL]
    deadline_set(actor=district, enterprise=world["ours"], kind="evaluation", due_on=days(-2))
    edition = IndexEdition.objects.get(is_current=True)

    def assessment(**kw):
        return Assessment.objects.create(
            enterprise=world["ours"], edition=edition, evaluated_on=days(-3), evaluation_body=world["body"], **kw
        )

    assessment(stage="baseline", method="self", status="submitted")
    assessment(stage="baseline", method="onsite", status="draft")
    assessment(stage="post", method="onsite", status="submitted")
    assert overdue_kinds(district, world["ours"]) == ["evaluation"]
    assessment(stage="baseline", method="onsite", status="submitted")
    assert overdue_kinds(district, world["ours"]) == []


def test_transformation_deadline_is_overdue_once_passed(users, world):
    deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=world["ours"], kind="transformation", due_on=days(-1))
    assert overdue_kinds(users[Role.DISTRICT_OFFICIAL], world["ours"]) == ["transformation"]


def test_only_enterprises_in_the_pilot_list_are_flagged(users, units):
    district = users[Role.DISTRICT_OFFICIAL]
    gone = EnterpriseFactory(unit=units["310117001"], status="withdrawn")
    deadline_set(actor=district, enterprise=gone, kind="diagnosis", due_on=days(-10))
    assert overdue_kinds(district, gone) == []


def test_overdue_is_scoped(users, world):
    district = users[Role.DISTRICT_OFFICIAL]
    deadline_set(actor=district, enterprise=world["ours"], kind="diagnosis", due_on=days(-1))
    deadline_set(actor=district, enterprise=world["theirs"], kind="diagnosis", due_on=days(-1))
    assert set(overdue_deadlines(viewer=users[Role.UNIT_STAFF]).values_list("enterprise", flat=True)) == {
        world["ours"].pk
    }
    assert set(overdue_deadlines(viewer=world["other_provider_user"]).values_list("enterprise", flat=True)) == {
        world["theirs"].pk
    }


# --- API ---------------------------------------------------------------------------------------


def test_deadlines_api(api, users, world):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    one = district.post(
        "/api/v1/deadlines/",
        {"enterprise": world["ours"].pk, "kind": "diagnosis", "due_on": "2025-06-30"},
        format="json",
    )
    assert one.status_code == 201 and one.json()["overdue"] is True and one.json()["due_on"] == "2025-06-30"
    many = district.post(
        "/api/v1/deadlines/",
        {"enterprises": [world["ours"].pk, world["theirs"].pk], "kind": "evaluation", "due_on": str(days(20))},
        format="json",
    )
    assert many.status_code == 201 and len(many.json()) == 2
    listing = district.get("/api/v1/deadlines/", {"overdue": "true"}).json()
    assert [(r["enterprise"], r["kind"]) for r in listing["results"]] == [(world["ours"].pk, "diagnosis")]
    assert (
        district.post("/api/v1/deadlines/", {"kind": "diagnosis", "due_on": "2025-01-01"}, format="json").status_code
        == 400
    )
    bad_kind = district.post(
        "/api/v1/deadlines/", {"enterprise": world["ours"].pk, "kind": "lunch", "due_on": "2025-01-01"}, format="json"
    )
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    assert district.delete(f"/api/v1/deadlines/{one.json()['id']}/").status_code == 204
    clerk = api.as_user(users[Role.UNIT_STAFF])
    assert [r["enterprise"] for r in clerk.get("/api/v1/deadlines/").json()["results"]] == [world["ours"].pk]
    refused = clerk.post(
        "/api/v1/deadlines/",
        {"enterprise": world["ours"].pk, "kind": "diagnosis", "due_on": "2025-01-01"},
        format="json",
    )
    assert refused.status_code == 403
    provider = api.as_user(world["provider_user"])
    unseen = provider.post(
        "/api/v1/deadlines/",
        {"enterprise": world["theirs"].pk, "kind": "diagnosis", "due_on": "2025-01-01"},
        format="json",
    )
    assert unseen.status_code == 400


# --- pages -------------------------------------------------------------------------------------


def test_the_deadlines_page_sets_single_and_batch_deadlines(client, users, world, units):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    url = reverse("diagnostics:diagnoses:deadlines")
    client.post(url, {"kind": "diagnosis", "due_on": "2025-05-31", "enterprises": [world["ours"].pk]})
    assert Deadline.objects.get(enterprise=world["ours"]).due_on == datetime.date(2025, 5, 31)
    client.post(url, {"kind": "evaluation", "due_on": str(days(40)), "unit": "310117001"})
    yueyang_active = {world["ours"].pk, world["unassigned"].pk}
    assert set(Deadline.objects.filter(kind="evaluation").values_list("enterprise", flat=True)) == yueyang_active
    nothing = client.post(url, {"kind": "evaluation", "due_on": str(days(40))}, follow=True)
    assert nothing.status_code == 200 and Deadline.objects.count() == 3
    page = client.get(url, {"overdue": "1"})
    assert [d.enterprise for d in page.context["page_obj"]] == [world["ours"]]
    deadline = Deadline.objects.get(enterprise=world["ours"], kind="diagnosis")
    client.post(url, {"clear": deadline.pk})
    assert not Deadline.objects.filter(pk=deadline.pk).exists()


def test_the_deadlines_page_is_read_only_outside_the_district(client, users, world):
    deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=world["ours"], kind="diagnosis", due_on=days(-1))
    deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=world["theirs"], kind="diagnosis", due_on=days(-1))
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(reverse("diagnostics:diagnoses:deadlines"))
    assert [d.enterprise for d in response.context["page_obj"]] == [world["ours"]]
    assert 'id="deadline-form"' not in response.content.decode()
    assert (
        client.post(
            reverse("diagnostics:diagnoses:deadlines"), {"kind": "diagnosis", "due_on": "2025-01-01"}
        ).status_code
        == 403
    )


def test_the_unit_page_flags_overdue_enterprises(client, users, world):
    deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=world["ours"], kind="diagnosis", due_on=days(-1))
    deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=world["theirs"], kind="diagnosis", due_on=days(-1))
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(reverse("enterprises:unit_detail", args=["310117001"]))
    body = response.content.decode()
    assert 'id="section-deadlines"' in body and "上海岳阳诊断公司" in body and "上海车墩诊断公司" not in body
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    body = client.get(reverse("enterprises:unit_detail", args=["310117104"])).content.decode()
    assert "上海车墩诊断公司" in body
