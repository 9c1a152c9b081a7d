"""A to-do list's rows are read in two steps (the first ids in the list's order, then those rows):
the order, the count and what each row carries stay those of the whole queue."""

import datetime

import pytest

from core.roles import Role
from diagnostics.models import Diagnosis
from diagnostics.selectors.diagnoses import PENDING_ROWS_SHOWN, review_queue, todo_lists
from diagnostics.services.diagnoses import diagnosis_create, diagnosis_submit
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory

from .diagnosis_helpers import today

pytestmark = pytest.mark.django_db


def test_the_review_list_shows_the_oldest_submissions_first_and_counts_them_all(users, world, units):
    district = users[Role.DISTRICT_OFFICIAL]
    reports = []
    for i in range(PENDING_ROWS_SHOWN + 3):
        enterprise = EnterpriseFactory(unit=units["310117001"])
        ProviderAssignment.objects.create(enterprise=enterprise, provider=world["provider"], assigned_on=today())
        report = diagnosis_create(actor=world["provider_user"], enterprise=enterprise, provider=world["provider"])
        diagnosis_submit(actor=world["provider_user"], diagnosis=report)
        # Submission days out of creation order; two on the same day (then by id).
        Diagnosis.objects.filter(pk=report.pk).update(last_submitted_on=datetime.date(2026, 1, 1 + (i * 7) % 11))
        reports.append(report)
    review = {t.key: t for t in todo_lists(district)}["review"]
    expected = list(review_queue(viewer=district).values_list("pk", flat=True)[:PENDING_ROWS_SHOWN])
    assert [row.pk for row in review.rows] == expected
    assert review.count == len(reports)
    days = [row.last_submitted_on for row in review.rows]
    assert days == sorted(days)
    first = review.rows[0]  # the annotations and checklist still travel with each row
    assert first.enterprise.name and first.provider.name and hasattr(first, "missing")
    assert first.enterprise_has_accepted is False
