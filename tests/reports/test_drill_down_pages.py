"""The drill-down read a page at a time (``indicators.drill_down``): the same records, order, reasons
and totals as ``records`` and ``near_misses`` list in full, for every kind of number."""

import datetime

import pytest

from diagnostics.choices import Method, Stage
from enterprises.choices import Scale, Size, Status
from funding.choices import RecognitionKind, RecognitionLevel
from funding.models import Recognition
from reports.selectors.indicators import NUMBERS, drill_down, near_misses, records

from .helpers import Y2025

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2026, 10, 31)  # the as-of date of the near-miss tests


def _programme(near_miss_world):
    for i in range(7):
        e = near_miss_world.transformed(
            D(2025 + i % 2, 1 + i, 1),
            diagnosed=i != 3,
            name="同名精工有限公司" if i < 3 else f"精工{i}",
            scale=Scale.BELOW if i % 3 == 0 else Scale.ABOVE,
            size=Size.LARGE if i == 5 else Size.SMALL,
            status=Status.WITHDRAWN if i == 4 else Status.ACTIVE,
            withdrawn_on=D(2025, 9, 1) if i == 4 else None,
            cloud_verified_on=D(2024 + i % 3, 3, 1),
        )
        near_miss_world.evaluation(e, Stage.BASELINE, i % 3, D(2025, 1, 1))
        near_miss_world.evaluation(
            e, Stage.POST, 4 if i % 2 else 1, D(2025, 6, 1), method=Method.SELF if i == 6 else Method.ONSITE
        )
        Recognition.objects.create(
            kind=RecognitionKind.SMART_FACTORY, level=RecognitionLevel.MUNICIPAL, recognised_on=D(2025, 1 + i, 1),
            title=f"工厂{i}", enterprise=e,
        )  # fmt: skip


def _listed(found):
    # Same names in the same unit are ordered by id, so that a page never repeats or skips one.
    return list(found["counted"].order_by("unit__code", "name", "pk")) if isinstance(found, dict) else list(found)


@pytest.mark.parametrize("period", [Y2025, {"start": D(2026, 1, 1), "end": D(2026, 10, 31)}])
def test_every_page_and_the_first_near_misses_are_those_listed_in_full(near_miss_world, period):
    _programme(near_miss_world)
    for unit in (None, near_miss_world.unit):
        for number in NUMBERS:
            full = _listed(records(number, **period, as_of=AS_OF, unit=unit))
            misses = near_misses(number, **period, as_of=AS_OF, unit=unit)
            pages = []
            for page in (1, 2, 3, 4):
                found = drill_down(number, **period, as_of=AS_OF, unit=unit, page=page, per_page=2, misses_shown=3)
                assert found["counted_total"] == len(full), number
                assert found["misses_total"] == len(misses), number
                assert [(m.record.pk, m.reasons, m.day) for m in found["misses"]] == [
                    (m.record.pk, m.reasons, m.day) for m in misses[:3]
                ], number
                pages += found["counted"]
            assert [r.pk for r in pages] == [r.pk for r in full], number
            if number.startswith("R"):
                assert found["meets"] == sum(e.meets for e in full), number
                assert [e.meets for e in pages] == [e.meets for e in full], number


def test_a_page_of_enterprises_takes_two_queries(near_miss_world, django_assert_num_queries):
    _programme(near_miss_world)
    for number in ("1+2", "5", "8", "R1", "R2", "R3"):
        with django_assert_num_queries(2):
            drill_down(number, **Y2025, as_of=AS_OF, page=1, per_page=2, misses_shown=3)
