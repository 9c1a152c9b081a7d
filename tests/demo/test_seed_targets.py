"""The demo's unit targets: every year's district target of each allocated indicator split among the 18 units so
that the units' targets add up to it exactly, the 1+2 subtotal as 1 plus 2, ratio goals as the district's; set
through the allocation service (history), and not again once a period has unit targets."""

from decimal import Decimal

from core.roles import Role
from demo.seed.targets import seed_targets, split
from enterprises.choices import Status
from reports.models import IndicatorTarget, ReportingPeriod
from reports.selectors.targets import target_grid
from tests.factories import EnterpriseFactory


def test_split_adds_up_by_largest_remainders():
    assert split(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert split(7, {"a": 5, "b": 0, "c": 2}) == {"a": 5, "b": 0, "c": 2}
    assert split(3, {"a": 0, "b": 0}) == {"a": 2, "b": 1}
    assert sum(split(275, {str(i): i % 7 for i in range(18)}).values()) == 275


def test_the_units_targets_add_up_to_the_districts(users, units):
    for i, code in enumerate(sorted(units)):
        for _ in range(i % 4 + 1):
            EnterpriseFactory(unit=units[code], status=Status.ACTIVE)
    assert seed_targets(district=users[Role.DISTRICT_OFFICIAL]) > 0
    for period in ReportingPeriod.objects.filter(code__in=["2025", "2026"]):
        grid = target_grid(viewer=users[Role.AUDITOR], period=period)
        for column in grid["indicators"]:
            indicator = column["indicator"]
            if indicator.is_ratio:
                district = IndicatorTarget.objects.get(period=period, indicator=indicator, unit=None).target
                cells = IndicatorTarget.objects.filter(period=period, indicator=indicator, unit__isnull=False)
                assert cells.count() == 18 and {c.target for c in cells} == {district}
            else:
                assert not column["differs"], (period.code, indicator.number, column["sum"], column["district"])
                assert column["sum"] == column["district"]
        assert len(grid["rows"]) == 18
    # The targets' history says who set them; a second run changes nothing.
    first = IndicatorTarget.history.filter(unit__isnull=False).first()
    assert first.history_user == users[Role.DISTRICT_OFFICIAL]
    count = IndicatorTarget.objects.count()
    assert seed_targets(district=users[Role.DISTRICT_OFFICIAL]) == 0
    assert IndicatorTarget.objects.count() == count
    p2025 = ReportingPeriod.objects.get(code="2025")
    one = IndicatorTarget.objects.get(period=p2025, indicator__number="1+2", unit=units["310117001"])
    parts = IndicatorTarget.objects.filter(
        period=p2025, indicator__number__in=["1", "2"], unit=units["310117001"]
    ).values_list("target", flat=True)
    assert one.target == sum(parts, Decimal(0))
