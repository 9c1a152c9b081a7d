"""To-do lists on each role's home page, from the diagnosis selectors, with bounded queries."""

import pytest
from django.urls import reverse

from core.roles import Role
from diagnostics.models import Assessment, IndexEdition
from diagnostics.selectors.diagnoses import todo_lists
from diagnostics.services.diagnoses import (
    deadline_set,
    diagnosis_accept,
    diagnosis_create,
    diagnosis_return,
    diagnosis_submit,
)
from providers.models import EvaluatorAssignment, ProviderAssignment
from tests.factories import EnterpriseFactory

from .diagnosis_helpers import days, today

pytestmark = pytest.mark.django_db


def lists(user):
    return {t.key: t for t in todo_lists(user)}


def test_the_district_sees_reports_to_review_and_overdue_items(users, world):
    district = users[Role.DISTRICT_OFFICIAL]
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    deadline_set(actor=district, enterprise=world["theirs"], kind="diagnosis", due_on=days(-3))
    todo = lists(district)
    assert [r.pk for r in todo["review"].rows] == [report.pk] and todo["review"].count == 1
    assert [r.enterprise for r in todo["overdue"].rows] == [world["theirs"]]
    assert todo["review"].rows[0].missing  # checklist gaps travel with the row


def test_a_provider_sees_returned_reports_drafts_unreported_enterprises_and_overdue(users, world, units):
    district = users[Role.DISTRICT_OFFICIAL]
    returned = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    diagnosis_submit(actor=world["provider_user"], diagnosis=returned)
    diagnosis_return(actor=district, diagnosis=returned, reason="补充签字版")
    fresh = EnterpriseFactory(unit=units["310117001"], name="上海岳阳新分配公司")
    ProviderAssignment.objects.create(enterprise=fresh, provider=world["provider"], assigned_on=today())
    drafted = EnterpriseFactory(unit=units["310117001"])
    ProviderAssignment.objects.create(enterprise=drafted, provider=world["provider"], assigned_on=today())
    draft = diagnosis_create(actor=world["provider_user"], enterprise=drafted, provider=world["provider"])
    deadline_set(actor=district, enterprise=fresh, kind="diagnosis", due_on=days(-1))
    deadline_set(actor=district, enterprise=world["theirs"], kind="diagnosis", due_on=days(-1))
    todo = lists(world["provider_user"])
    assert [r.pk for r in todo["returned"].rows] == [returned.pk]
    assert todo["returned"].rows[0].last_return_reason == "补充签字版"
    assert [r.pk for r in todo["drafts"].rows] == [draft.pk]
    assert [a.enterprise for a in todo["unreported"].rows] == [fresh]
    assert [d.enterprise for d in todo["overdue"].rows] == [fresh]  # never another provider's enterprise
    assert "review" not in todo


def test_an_evaluator_sees_evaluations_due(users, world, units):
    district = users[Role.DISTRICT_OFFICIAL]
    evaluator = users[Role.EVALUATOR]
    assert lists(evaluator)["evaluations"].rows == []
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    diagnosis_accept(actor=district, diagnosis=report)
    with_deadline = EnterpriseFactory(unit=units["310117002"], name="上海永丰待评测公司")
    EvaluatorAssignment.objects.create(enterprise=with_deadline, evaluation_body=world["body"], assigned_on=today())
    deadline_set(actor=district, enterprise=with_deadline, kind="evaluation", due_on=days(5))
    due = lists(evaluator)["evaluations"]
    assert [a.enterprise for a in due.rows] == [with_deadline, world["ours"]]  # dated deadlines first
    Assessment.objects.create(
        enterprise=world["ours"],
        edition=IndexEdition.objects.get(is_current=True),
        stage="baseline",
        method="onsite",
        status="submitted",
        evaluated_on=today(),
        evaluation_body=world["body"],
    )
    assert [a.enterprise for a in lists(evaluator)["evaluations"].rows] == [with_deadline]
    assert lists(world["other_evaluator"])["evaluations"].rows == []


def test_unit_staff_see_their_units_overdue_items(users, world):
    district = users[Role.DISTRICT_OFFICIAL]
    deadline_set(actor=district, enterprise=world["ours"], kind="transformation", due_on=days(-1))
    deadline_set(actor=district, enterprise=world["theirs"], kind="transformation", due_on=days(-1))
    assert [d.enterprise for d in lists(users[Role.UNIT_STAFF])["overdue"].rows] == [world["ours"]]


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR])
def test_read_only_roles_have_no_to_do_list(users, world, role):
    assert todo_lists(users[role]) == []


def test_home_pages_show_the_lists_with_bounded_queries(client, users, world, units, django_assert_max_num_queries):
    district = users[Role.DISTRICT_OFFICIAL]
    for i in range(15):
        enterprise = EnterpriseFactory(unit=units["310117001"])
        ProviderAssignment.objects.create(enterprise=enterprise, provider=world["provider"], assigned_on=today())
        report = diagnosis_create(actor=world["provider_user"], enterprise=enterprise, provider=world["provider"])
        diagnosis_submit(actor=world["provider_user"], diagnosis=report)
        if i % 3 == 0:
            diagnosis_return(actor=district, diagnosis=report, reason=f"原因{i}")
        deadline_set(actor=district, enterprise=enterprise, kind="diagnosis", due_on=days(-1 - i))
    expected = {
        Role.DISTRICT_OFFICIAL: "todo-review",
        Role.PROVIDER_USER: "todo-returned",
        Role.UNIT_STAFF: "todo-overdue",
        Role.EVALUATOR: "todo-evaluations",
    }
    for role, marker in expected.items():
        client.force_login(users[role])
        with django_assert_max_num_queries(40):
            response = client.get(reverse("home"))
        assert response.status_code == 200 and f'id="{marker}"' in response.content.decode(), role
    client.force_login(district)
    review = {t.key: t for t in client.get(reverse("home")).context["todo_lists"]}["review"]
    assert review.count == 10 and len(review.rows) == 10  # 15 submitted, 5 returned
