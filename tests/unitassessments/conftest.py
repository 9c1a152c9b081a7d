"""A small programme for the assessment tests: two units with targets of indicator 5 (cloud adoption) in 2025,
岳阳街道 (u1) meeting its target but with a withdrawal without replacement, 永丰街道 (u2) short of its target."""

import datetime
from decimal import Decimal

import pytest

from core import registry
from enterprises.choices import Status
from reports.models import Indicator, IndicatorTarget, ReportingPeriod
from tests.factories import EnterpriseFactory

D = datetime.date
U1, U2 = "310117001", "310117002"


@pytest.fixture
def p2025(db):
    return ReportingPeriod.objects.get(code="2025")


def set_target(period, unit, number, value):
    IndicatorTarget.objects.update_or_create(
        period=period, unit=unit, indicator=Indicator.objects.get(number=number), defaults={"target": Decimal(value)}
    )


@pytest.fixture
def world(units, p2025):
    u1, u2 = units[U1], units[U2]
    set_target(p2025, u1, "5", 2)
    set_target(p2025, u2, "5", 4)
    cloud = D(2025, 3, 1)
    e1 = EnterpriseFactory(unit=u1, status=Status.ACTIVE, cloud_verified_on=cloud, size="small")
    e2 = EnterpriseFactory(unit=u1, status=Status.ACTIVE, cloud_verified_on=cloud, size="small")
    gone = EnterpriseFactory(unit=u1, status=Status.WITHDRAWN, withdrawn_on=D(2025, 5, 1), withdrawal_reason="ceased")
    e3 = EnterpriseFactory(unit=u2, status=Status.ACTIVE, cloud_verified_on=cloud, size="small")
    return {"u1": u1, "u2": u2, "enterprises": [e1, e2, e3], "withdrawn": gone}


#: The parts other apps measure (unitreports, dataquality): taken out of the registry for these tests, which
#: check the assessment's own arithmetic on a world of their making; test_scoring checks that they are registered.
OTHER_APPS_PARTS = ("unit_reports", "data_quality")


@pytest.fixture(autouse=True)
def own_parts_only():
    taken = {key: registry.unit_measures.remove(key) for key in OTHER_APPS_PARTS}
    yield
    for key, measure in taken.items():
        if measure is not None:
            registry.unit_measures.register(key, measure)


@pytest.fixture
def fake_data_quality():
    """Registers a stand-in measure of ``data_quality`` (what the data-quality centre will register), and puts
    back whatever was there."""
    previous = registry.unit_measures.get("data_quality")
    calls = []

    def measure(year):
        calls.append(year)
        return {
            U1: registry.UnitMeasure(
                score=Decimal("50"), explanation="half of the records complete", link="/enterprises/?unit=310117001"
            )
        }

    registry.unit_measures.register("data_quality", measure)
    yield calls
    registry.unit_measures.remove("data_quality")
    if previous is not None:
        registry.unit_measures.register("data_quality", previous)
