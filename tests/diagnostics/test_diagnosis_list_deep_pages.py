"""The report list's pages are chosen by the ordered report ids first, then only the page's reports
are loaded and annotated: every page shows what Django's paginator would, with the same queries."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from diagnostics.models import Diagnosis
from diagnostics.selectors.diagnoses import diagnosis_filtered
from diagnostics.services.diagnoses import (
    deadline_set,
    diagnosis_create,
    diagnosis_return,
    diagnosis_submit,
)
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory

from .diagnosis_helpers import days, today

pytestmark = pytest.mark.django_db

ANNOTATIONS = ("has_signed_pdf", "last_return_reason", "diagnosis_due", "enterprise_has_accepted")


@pytest.fixture
def many_reports(world, users, units):
    """57 reports (two pages of 50): the order by update time runs against the ids, some share an
    update time, a few were returned with a reason and have a diagnosis deadline."""
    district = users[Role.DISTRICT_OFFICIAL]
    base = timezone.now() - datetime.timedelta(days=30)
    for i in range(57):
        unit = units["310117001"] if i % 2 else units["310117104"]
        enterprise = EnterpriseFactory(unit=unit)
        ProviderAssignment.objects.create(enterprise=enterprise, provider=world["provider"], assigned_on=today())
        report = diagnosis_create(actor=world["provider_user"], enterprise=enterprise, provider=world["provider"])
        if i % 7 == 0:
            diagnosis_submit(actor=world["provider_user"], diagnosis=report, date=days(-3))
            diagnosis_return(actor=district, diagnosis=report, reason=f"请补充第{i}项", date=days(-2))
            deadline_set(actor=district, enterprise=enterprise, kind="diagnosis", due_on=days(-i))
        Diagnosis.objects.filter(pk=report.pk).update(updated_at=base + datetime.timedelta(hours=(57 - i) // 3))


def rows(page):
    return [(row.pk, *(getattr(row, name) for name in ANNOTATIONS)) for row in page.object_list]


@pytest.mark.parametrize("params", [{}, {"status": "returned"}, {"search": "上海"}])
def test_each_page_shows_the_reports_and_annotations_djangos_paginator_would(client, users, many_reports, params):
    for viewer in (users[Role.DISTRICT_OFFICIAL], users[Role.UNIT_STAFF]):
        _filterset, queryset = diagnosis_filtered(viewer=viewer, params=params)
        expected = Paginator(queryset, 50)
        client.force_login(viewer)
        for number in expected.page_range:
            page = client.get(reverse("diagnostics:diagnoses:list"), {**params, "page": number}).context["page_obj"]
            assert page.paginator.count == expected.count
            assert rows(page) == rows(expected.page(number))
            assert all(hasattr(row, "checklist") and hasattr(row, "overdue") for row in page.object_list)


def test_the_last_page_shows_the_oldest_reports_with_their_return_reasons(client, users, many_reports):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(reverse("diagnostics:diagnoses:list"), {"page": 2})
    page = response.context["page_obj"]
    oldest = list(Diagnosis.objects.order_by("updated_at", "pk")[:7])
    assert [row.pk for row in page.object_list] == [d.pk for d in reversed(oldest)]
    assert {row.last_return_reason for row in page.object_list} == {None, "请补充第49项", "请补充第56项"}
    returned = next(row for row in page.object_list if row.last_return_reason == "请补充第56项")
    assert returned.diagnosis_due == days(-56) and returned.overdue  # past its deadline, nothing accepted


def test_a_deep_page_takes_as_many_queries_as_the_first(client, users, many_reports):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    client.get(reverse("diagnostics:diagnoses:list"))  # warm the per-process caches (index tables)

    def count(**params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("diagnostics:diagnoses:list"), params).status_code == 200
        return len(captured)

    assert count() == count(page=2) == count(page=2, status="returned") == count(page=99)
