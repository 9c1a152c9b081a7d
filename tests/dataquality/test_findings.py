"""The data-quality centre's findings, resolutions, scores and API, through PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.roles import Role
from dataquality import selectors, services
from dataquality.choices import FindingKind, Resolution
from enterprises.models import Enterprise
from enterprises.names import normalised_name
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_names_are_equal_after_widths_spaces_brackets_and_the_shanghai_prefix():
    assert normalised_name("上海市 松江（ＡＢＣ１２）精密 有限公司") == "松江(ABC12)精密有限公司"
    assert normalised_name("上海松江(ABC12)精密有限公司") == "松江(ABC12)精密有限公司"
    assert normalised_name("松江（ABC12）精密有限公司") == "松江(ABC12)精密有限公司"
    assert normalised_name("松江精密有限公司") != normalised_name("松江精工有限公司")


def _kinds(rows, enterprise):
    return {(r.kind, r.other.pk if r.other else None) for r in rows if r.enterprise.pk == enterprise.pk}


def test_duplicate_names_are_found_on_each_side_as_the_registry_is_when_read(users, units):
    a = EnterpriseFactory(name="上海市松江（ＡＢＣ）精密有限公司", unit=units["310117001"])
    b = EnterpriseFactory(name="松江 (ABC) 精密有限公司", unit=units["310117002"])
    EnterpriseFactory(name="松江另一家有限公司", unit=units["310117002"])
    district = users[Role.DISTRICT_OFFICIAL]
    rows = selectors.finding_list(viewer=district, kind=FindingKind.DUPLICATE_NAME)
    assert {(r.enterprise.pk, r.other.pk) for r in rows} == {(a.pk, b.pk), (b.pk, a.pk)}
    # Renamed: the finding is gone at once (no refresh needed).
    b.name = "松江乙精密有限公司"
    b.save()
    assert selectors.finding_list(viewer=district, kind=FindingKind.DUPLICATE_NAME) == []


def test_unit_staff_see_their_own_unit_and_the_other_side_is_not_named(users, units, api):
    a = EnterpriseFactory(name="上海岳阳精密有限公司", unit=units["310117001"])
    b = EnterpriseFactory(name="岳阳精密有限公司", unit=units["310117002"])
    client = api.as_user(users[Role.UNIT_STAFF])
    body = client.get("/api/v1/data-quality/", {"kind": "duplicate_name"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["kind"] == "duplicate_name" and row["enterprise"] == a.pk and row["other"] is None
    assert str(b.pk) not in str(row["other_name"])
    district = api.as_user(users[Role.DISTRICT_OFFICIAL]).get("/api/v1/data-quality/", {"kind": "duplicate_name"})
    assert {(r["enterprise"], r["other"]) for r in district.json()["results"]} == {(a.pk, b.pk), (b.pk, a.pk)}


def test_the_api_refuses_roles_outside_the_centre_and_bad_parameters(users, api):
    assert api.as_user(users[Role.PROVIDER_USER]).get("/api/v1/data-quality/").status_code == 403
    assert api.as_user(users[Role.EVALUATOR]).get("/api/v1/data-quality/").status_code == 403
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    for query in ({"kind": "nope"}, {"unit": "999"}, {"state": "x"}, {"page": "0"}):
        response = client.get("/api/v1/data-quality/", query)
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid_query"


def test_gaps_stale_records_overrides_and_cloud_without_evidence_are_found(users, units):
    gap = EnterpriseFactory(
        contact_phone="",
        employees=None,
        employees_previous=None,
        revenue=None,
        revenue_previous=None,
        registered_address="",
        unit=units["310117001"],
    )
    old = EnterpriseFactory(unit=units["310117001"])
    Enterprise.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    code = EnterpriseFactory(credit_code_override_reason="营业执照如此", unit=units["310117001"])
    cloud = EnterpriseFactory(cloud_verified_on=datetime.date(2025, 5, 1), cloud_services="", unit=units["310117001"])
    rows = selectors.finding_list(viewer=users[Role.DISTRICT_OFFICIAL])
    assert {
        (FindingKind.MISSING_CONTACT, None),
        (FindingKind.MISSING_EMPLOYEES, None),
        (FindingKind.MISSING_REVENUE, None),
        (FindingKind.MISSING_ADDRESS, None),
    } <= _kinds(rows, gap)
    assert (FindingKind.STALE, None) in _kinds(rows, old)
    assert (FindingKind.CODE_OVERRIDE, None) in _kinds(rows, code)
    assert (FindingKind.CLOUD_UNEVIDENCED, None) in _kinds(rows, cloud)


def test_the_same_phone_on_two_enterprises_is_a_pair(users, units):
    a = EnterpriseFactory(contact_phone="021-57000000")
    b = EnterpriseFactory(contact_phone="021-57000000")
    rows = selectors.finding_list(viewer=users[Role.DISTRICT_OFFICIAL], kind=FindingKind.SHARED_PHONE)
    assert {(r.enterprise.pk, r.other.pk) for r in rows} == {(a.pk, b.pk), (b.pk, a.pk)}


def test_a_withdrawn_enterprise_still_counts_as_a_duplicate_but_not_for_gaps(users):
    a = EnterpriseFactory(name="同名有限公司", employees=None, employees_previous=None, status="withdrawn")
    EnterpriseFactory(name="同名有限公司")
    rows = selectors.finding_list(viewer=users[Role.DISTRICT_OFFICIAL])
    kinds = {k for k, _o in _kinds(rows, a)}
    assert FindingKind.DUPLICATE_NAME in kinds and FindingKind.MISSING_EMPLOYEES not in kinds


def test_not_a_problem_needs_a_reason_and_closes_the_finding_fixed_reopens_after_a_change(users, units):
    district = users[Role.DISTRICT_OFFICIAL]
    a = EnterpriseFactory(employees=None, employees_previous=None)
    with pytest.raises(DomainError) as excinfo:
        services.finding_resolve(
            actor=district, kind=FindingKind.MISSING_EMPLOYEES, enterprise=a, resolution=Resolution.NOT_A_PROBLEM
        )
    assert excinfo.value.code == "reason_required"
    services.finding_resolve(
        actor=district, kind=FindingKind.MISSING_EMPLOYEES, enterprise=a, resolution=Resolution.FIXED
    )
    assert (FindingKind.MISSING_EMPLOYEES, None) not in _kinds(selectors.finding_list(viewer=district), a)
    resolved = selectors.finding_list(viewer=district, state="resolved")
    assert (FindingKind.MISSING_EMPLOYEES, None) in _kinds(resolved, a)
    a.save()  # changed again after the fix, and still without employees: open again
    assert (FindingKind.MISSING_EMPLOYEES, None) in _kinds(selectors.finding_list(viewer=district), a)
    row = services.finding_resolve(
        actor=district,
        kind=FindingKind.MISSING_EMPLOYEES,
        enterprise=a,
        resolution=Resolution.NOT_A_PROBLEM,
        reason="个体户，无雇员",
    )
    a.save()
    assert (FindingKind.MISSING_EMPLOYEES, None) not in _kinds(selectors.finding_list(viewer=district), a)
    assert row.history.count() == 1


def test_unit_staff_resolve_only_their_own_units_findings(users, units):
    other = EnterpriseFactory(employees=None, employees_previous=None, unit=units["310117002"])
    with pytest.raises(PermissionDenied):
        services.finding_resolve(
            actor=users[Role.UNIT_STAFF], kind=FindingKind.MISSING_EMPLOYEES, enterprise=other, resolution="fixed"
        )


def test_unit_quality_has_the_interface_the_unit_assessment_reads(users, units):
    clean = EnterpriseFactory(unit=units["310117001"], status="active")
    for row in selectors.finding_list(viewer=users[Role.DISTRICT_OFFICIAL]):  # whatever the factory left out
        services.finding_resolve(
            actor=users[Role.DISTRICT_OFFICIAL],
            kind=row.kind,
            enterprise=clean,
            resolution="not_a_problem",
            reason="核实",
        )
    EnterpriseFactory(
        unit=units["310117001"], status="active", contact_name="", employees=None, employees_previous=None
    )
    EnterpriseFactory(unit=units["310117001"], status="withdrawn")  # not in the programme: not counted
    quality = selectors.unit_quality()
    row = quality["310117001"]
    assert set(row) == {"score", "findings", "enterprises", "measured_at"}
    assert isinstance(row["score"], Decimal) and row["score"] == Decimal("50.0")
    assert row["findings"] >= 2 and row["enterprises"] == 2
    assert quality["310117002"]["score"] == Decimal("100.0") and quality["310117002"]["enterprises"] == 0


def test_the_refresh_stores_outliers_and_scores_and_says_whether_near_duplicates_are_available(users, units):
    for i in range(5):
        EnterpriseFactory(sector="auto_parts", employees=50 + i, revenue=Decimal("5000"), status="active")
    big = EnterpriseFactory(sector="auto_parts", employees=50000, revenue=Decimal("5000"), status="active")
    EnterpriseFactory(name="松江精密机械制造有限公司", status="active")
    EnterpriseFactory(name="松江精密机械制造有限公", status="active")
    run = services.findings_refresh()
    assert run.similarity_available is True and "similar_name" in run.timings
    rows = selectors.finding_list(viewer=users[Role.DISTRICT_OFFICIAL])
    assert (FindingKind.EMPLOYEES_OUTLIER, None) in _kinds(rows, big)
    assert any(r.kind == FindingKind.SIMILAR_NAME for r in rows)
    assert selectors.unit_trend(viewer=users[Role.DISTRICT_OFFICIAL])
