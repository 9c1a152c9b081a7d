"""The demo registry carries planted duplicates, gaps and stale records, and the centre finds each."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from dataquality import selectors
from dataquality.choices import FindingKind
from dataquality.models import RefreshRun
from demo.factories import make_credit_code
from demo.seed.dataquality import PLANTED_SEQ
from enterprises.models import Enterprise
from tests.helpers import ensure_reference_data


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        call_command("seed_demo", stdout=io.StringIO())
        runs = RefreshRun.objects.count()
        call_command("seed_demo", stdout=io.StringIO())  # a second run plants nothing again
        district = User.objects.get(username="district")
        yield {"rows": selectors.finding_list(viewer=district), "runs": (runs, RefreshRun.objects.count())}
        transaction.set_rollback(True)


def _on(rows, kind):
    return {r.enterprise.pk for r in rows if r.kind == kind}


@pytest.mark.django_db
def test_the_centre_finds_every_planted_duplicate_on_both_sides(seeded):
    rows = seeded["rows"]
    duplicates = _on(rows, FindingKind.DUPLICATE_NAME)
    for i in range(3):
        planted = Enterprise.objects.get(credit_code=make_credit_code(PLANTED_SEQ + i))
        assert planted.pk in duplicates
        twin = next(r.other for r in rows if r.kind == FindingKind.DUPLICATE_NAME and r.enterprise.pk == planted.pk)
        assert twin.name_key == planted.name_key and twin.unit_id != planted.unit_id
    near = Enterprise.objects.get(credit_code=make_credit_code(PLANTED_SEQ + 10))
    assert near.pk in _on(rows, FindingKind.SIMILAR_NAME)


@pytest.mark.django_db
def test_the_centre_finds_the_planted_gaps_stale_records_and_outliers(seeded):
    rows = seeded["rows"]
    assert len(_on(rows, FindingKind.MISSING_CONTACT)) >= 4
    assert len(_on(rows, FindingKind.MISSING_EMPLOYEES)) >= 3
    assert len(_on(rows, FindingKind.MISSING_REVENUE)) >= 2
    assert len(_on(rows, FindingKind.MISSING_ADDRESS)) >= 2
    assert len(_on(rows, FindingKind.STALE)) >= 5
    assert _on(rows, FindingKind.EMPLOYEES_OUTLIER)
    assert _on(rows, FindingKind.CLOUD_UNEVIDENCED)
    assert seeded["runs"] == (1, 1)
