"""Merging two registrations of one enterprise: every record of both is kept, in one transaction."""

import datetime

import pytest

from books import services as books
from core.errors import Conflict, PermissionDenied
from core.roles import Role
from dataquality import services
from dataquality.models import EnterpriseMerge
from diagnostics.models import Deadline, Diagnosis
from enterprises.choices import Status
from enterprises.models import Enterprise, EnterpriseStatusChange
from enterprises.selectors import enterprise_filtered
from funding.models import Commitment, Disbursement, Project
from providers.models import ProviderAssignment
from tests.funding.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, make_user, units):
    return build_world(users, make_user, units)


def _records(enterprise_ids):
    return {
        "diagnoses": set(Diagnosis.objects.filter(enterprise_id__in=enterprise_ids).values_list("pk", flat=True)),
        "projects": set(Project.objects.filter(enterprise_id__in=enterprise_ids).values_list("pk", flat=True)),
        "commitments": set(Commitment.objects.filter(enterprise_id__in=enterprise_ids).values_list("pk", flat=True)),
        "payments": set(
            Disbursement.objects.filter(commitment_line__commitment__enterprise_id__in=enterprise_ids).values_list(
                "pk", flat=True
            )
        ),
    }


def test_a_merge_keeps_every_diagnosis_project_and_payment_of_both(world):
    e1, e2, district = world["e1"], world["e2"], world["district"]
    before = _records([e1.pk, e2.pk])
    assert before["payments"] and before["projects"] and len(before["diagnoses"]) == 2
    Deadline.objects.create(enterprise=e1, kind="diagnosis", due_on=datetime.date(2026, 6, 30))
    Deadline.objects.create(enterprise=e2, kind="diagnosis", due_on=datetime.date(2026, 5, 31))
    record = services.enterprise_merge(actor=district, survivor=e1, merged=e2, reason="同一企业重复登记")
    assert _records([e1.pk]) == before
    assert _records([e2.pk]) == {k: set() for k in before}
    # One current report per enterprise: the survivor's stays current, the other's is kept, not current.
    assert Diagnosis.objects.filter(enterprise=e1, is_current=True).count() == 1
    assert Diagnosis.objects.filter(enterprise=e1).count() == 2
    # The same kind of deadline may exist once: the merged one's stays with the alias.
    assert record.kept == {"diagnostics.Deadline": 1}
    assert Deadline.objects.filter(enterprise=e2).count() == 1
    assert ProviderAssignment.objects.filter(enterprise=e1).count() == 2
    e2.refresh_from_db()
    assert e2.status == Status.MERGED and e2.replacement_id == e1.pk
    assert EnterpriseStatusChange.objects.filter(enterprise=e2, kind="merged", replacement=e1).exists()
    assert EnterpriseStatusChange.objects.filter(enterprise=e1, kind="absorbed", replacement=e2).exists()
    # The moved records say so in their history.
    project = Project.objects.get(pk=world["passed"].pk)
    reason = project.history.first().history_change_reason  # in the portal's language when it was written
    assert e2.credit_code in reason and e1.credit_code in reason
    # The alias's credit code is still found in the registry.
    _f, found = enterprise_filtered(viewer=district, params={"search": e2.credit_code})
    assert list(found.values_list("pk", flat=True)) == [e2.pk]
    assert EnterpriseMerge.objects.get().merged_credit_code == e2.credit_code


def test_only_district_officials_merge_and_never_twice(world, users):
    with pytest.raises(PermissionDenied):
        services.enterprise_merge(actor=users[Role.UNIT_STAFF], survivor=world["e1"], merged=world["e2"], reason="x")
    services.enterprise_merge(actor=world["district"], survivor=world["e1"], merged=world["e2"], reason="重复")
    with pytest.raises(Conflict):
        services.enterprise_merge(actor=world["district"], survivor=world["e1"], merged=world["e2"], reason="重复")


def test_a_merge_moving_a_record_dated_in_a_closed_period_changes_nothing(world, users):
    books.close_books(actor=world["finance"], through=datetime.date(2025, 12, 31), reason="2025年结账")
    before = _records([world["e2"].pk])
    with pytest.raises(Conflict) as excinfo:
        services.enterprise_merge(actor=world["district"], survivor=world["e1"], merged=world["e2"], reason="重复")
    assert excinfo.value.code == "period_closed"
    assert _records([world["e2"].pk]) == before
    assert Enterprise.objects.get(pk=world["e2"].pk).status != Status.MERGED
