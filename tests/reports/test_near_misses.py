"""Near misses (docs/domain.md §6): every record that nearly counted in a number, with the reason it was
not counted; the boundary cases of the counting rules, each on a small near_miss_world built by hand."""

import datetime
from decimal import Decimal

import pytest

from diagnostics.choices import Method, Stage
from enterprises.choices import Scale, Sector, Size, Status
from funding.choices import RecognitionKind, RecognitionLevel
from funding.models import Recognition
from providers.models import Product
from reports.selectors.indicators import NEAR_MISS_REASONS, compute, near_misses, records
from tests.factories import ProviderFactory

from .helpers import Y2025, Y2026

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2026, 10, 31)


def reasons(misses):
    """{record pk: reason codes} of a near-miss list."""
    return {m.record.pk: m.reasons for m in misses}


def counted(number, window, as_of=AS_OF, unit=None):
    found = records(number, **window, as_of=as_of, unit=unit)
    return {e.pk for e in (found["counted"] if isinstance(found, dict) else found)}


def test_acceptance_on_the_last_day_of_a_period_counts_and_the_day_after_is_a_near_miss(near_miss_world):
    last_day = near_miss_world.transformed(D(2025, 12, 31), name="末日验收")
    day_after = near_miss_world.transformed(D(2026, 1, 1), name="次日验收")
    assert compute(**Y2025, as_of=AS_OF)["1"] == 1
    assert counted("1", Y2025) == {last_day.pk}
    assert reasons(near_misses("1", **Y2025, as_of=AS_OF)) == {day_after.pk: ("accepted_after_period",)}
    # In 2026 the roles swap: the first enterprise passed before the period.
    assert counted("1", Y2026) == {day_after.pk}
    assert reasons(near_misses("1", **Y2026, as_of=AS_OF)) == {last_day.pk: ("accepted_before_period",)}


def test_acceptance_after_the_as_of_date_is_a_near_miss(near_miss_world):
    late = near_miss_world.transformed(D(2025, 6, 2))
    misses = near_misses("1+2", **Y2025, as_of=D(2025, 6, 1))
    assert reasons(misses) == {late.pk: ("accepted_after_period",)} and misses[0].day == D(2025, 6, 2)


def test_withdrawal_after_acceptance_is_a_near_miss_withdrawn(near_miss_world):
    gone = near_miss_world.transformed(D(2025, 3, 1), status=Status.WITHDRAWN, withdrawn_on=D(2025, 9, 1))
    later = near_miss_world.transformed(D(2025, 3, 1), status=Status.WITHDRAWN, withdrawn_on=D(2026, 11, 1))
    assert counted("1", Y2025) == {later.pk}  # withdrawn after the as-of date: still in the list
    assert reasons(near_misses("1", **Y2025, as_of=AS_OF)) == {gone.pk: ("withdrawn",)}
    # Withdrawn on the as-of date itself is already out.
    on_the_day = near_misses("1", **Y2025, as_of=D(2026, 11, 1))
    assert reasons(on_the_day) == {gone.pk: ("withdrawn",), later.pk: ("withdrawn",)}


def test_passed_without_an_accepted_current_diagnosis_is_a_near_miss(near_miss_world):
    undiagnosed = near_miss_world.transformed(D(2025, 3, 1), diagnosed=False)
    assert compute(**Y2025, as_of=AS_OF)["1"] == 0
    assert reasons(near_misses("1", **Y2025, as_of=AS_OF)) == {undiagnosed.pk: ("no_accepted_diagnosis",)}


def test_a_large_enterprise_and_a_pre_pilot_acceptance_are_near_misses(near_miss_world):
    large = near_miss_world.transformed(D(2025, 3, 1), size=Size.LARGE)
    early = near_miss_world.transformed(D(2024, 9, 30))
    assert compute(**Y2025, as_of=AS_OF)["1"] == 0
    assert reasons(near_misses("1", **Y2025, as_of=AS_OF)) == {
        large.pk: ("large_enterprise",),
        early.pk: ("accepted_before_pilot",),
    }


def test_near_misses_follow_the_split_of_each_number(near_miss_world):
    below = near_miss_world.transformed(D(2026, 2, 1), scale=Scale.BELOW)
    assert reasons(near_misses("1", **Y2025, as_of=AS_OF)) == {}
    assert reasons(near_misses("2", **Y2025, as_of=AS_OF)) == {below.pk: ("accepted_after_period",)}


def test_a_unit_report_lists_only_its_enterprises(near_miss_world, units):
    near_miss_world.transformed(D(2026, 2, 1), unit=units["310117104"])
    mine = near_miss_world.transformed(D(2026, 2, 1))
    assert reasons(near_misses("1", **Y2025, as_of=AS_OF, unit=near_miss_world.unit)) == {
        mine.pk: ("accepted_after_period",)
    }


def test_cloud_verified_outside_the_period_is_a_near_miss(near_miss_world):
    inside = near_miss_world.enterprise(cloud_verified_on=D(2025, 12, 31))
    after = near_miss_world.enterprise(cloud_verified_on=D(2026, 1, 1))
    before = near_miss_world.enterprise(cloud_verified_on=D(2024, 9, 30))
    assert counted("5", Y2025) == {inside.pk}
    assert reasons(near_misses("5", **Y2025, as_of=AS_OF)) == {
        after.pk: ("cloud_verified_after_period",),
        before.pk: ("cloud_verified_before_period",),
    }


def test_level4_reached_twice_counts_once_and_is_a_near_miss_in_the_later_period(near_miss_world):
    twice = near_miss_world.enterprise()
    near_miss_world.evaluation(twice, Stage.POST, 4, D(2025, 5, 1))
    near_miss_world.evaluation(twice, Stage.POST, 4, D(2026, 5, 1))
    assert compute(**Y2025, as_of=AS_OF)["8"] == 1 and compute(**Y2026, as_of=AS_OF)["8"] == 0
    assert reasons(near_misses("8", **Y2025, as_of=AS_OF)) == {}
    misses = near_misses("8", **Y2026, as_of=AS_OF)
    assert reasons(misses) == {twice.pk: ("level4_in_other_period",)} and misses[0].day == D(2025, 5, 1)


def test_level4_not_on_site_or_only_at_baseline_is_a_near_miss(near_miss_world):
    self_assessed = near_miss_world.enterprise()
    near_miss_world.evaluation(self_assessed, Stage.POST, 4, D(2025, 5, 1), method=Method.SELF)
    baseline = near_miss_world.enterprise()
    near_miss_world.evaluation(baseline, Stage.BASELINE, 4, D(2025, 5, 1))
    assert compute(**Y2025, as_of=AS_OF)["8"] == 0
    assert reasons(near_misses("8", **Y2025, as_of=AS_OF)) == {
        self_assessed.pk: ("level4_self_assessment",),
        baseline.pk: ("level4_baseline_only",),
    }


def test_ratio_near_misses_say_level_below_2_or_not_evaluated_on_site(near_miss_world):
    good = near_miss_world.enterprise()
    near_miss_world.evaluation(good, Stage.BASELINE, 2, D(2025, 1, 1))
    low = near_miss_world.enterprise()
    near_miss_world.evaluation(low, Stage.POST, 1, D(2025, 2, 1))
    self_only = near_miss_world.enterprise()
    near_miss_world.evaluation(self_only, Stage.POST, 3, D(2025, 2, 1), method=Method.SELF)
    near_miss_world.enterprise(sector=Sector.OTHER)  # not in the denominator of R1 at all
    assert compute(**Y2025, as_of=AS_OF)["R1"] == Decimal("0.3333")
    assert reasons(near_misses("R1", **Y2025, as_of=AS_OF)) == {
        low.pk: ("level_below_2",),
        self_only.pk: ("not_evaluated_on_site",),
    }


def test_r2_and_r3_near_misses(near_miss_world):
    post_low = near_miss_world.transformed(D(2025, 3, 1))
    near_miss_world.evaluation(post_low, Stage.POST, 1, D(2025, 3, 1))
    near_miss_world.evaluation(post_low, Stage.BASELINE, 2, D(2025, 1, 1))  # a baseline does not help R2
    unverified = near_miss_world.enterprise()
    late = near_miss_world.enterprise(cloud_verified_on=D(2026, 3, 1))
    assert reasons(near_misses("R2", **Y2025, as_of=AS_OF)) == {post_low.pk: ("level_below_2",)}
    r3 = reasons(near_misses("R3", **Y2025, as_of=AS_OF))
    assert r3[unverified.pk] == ("cloud_not_verified",) and r3[late.pk] == ("cloud_verified_after_period",)


def test_recognitions_dated_outside_the_period_or_below_the_level_are_near_misses(near_miss_world):
    e = near_miss_world.enterprise()

    def recognise(kind, on, level=RecognitionLevel.MUNICIPAL):
        return Recognition.objects.create(kind=kind, level=level, recognised_on=on, title=f"{kind}", enterprise=e)

    inside = recognise(RecognitionKind.SMART_FACTORY, D(2025, 12, 31))
    outside = recognise(RecognitionKind.SMART_FACTORY, D(2026, 1, 1))
    district = recognise(RecognitionKind.DEMO_SCENARIO, D(2025, 4, 1), level=RecognitionLevel.DISTRICT)
    assert counted("11", Y2025) == {inside.pk}
    assert reasons(near_misses("11", **Y2025, as_of=AS_OF)) == {
        outside.pk: ("recognised_after_period",),
        district.pk: ("recognition_level_below_municipal",),
    }
    assert reasons(near_misses("7", **Y2025, as_of=AS_OF)) == {outside.pk: ("recognised_after_period",)}


def test_products_and_key_providers_outside_the_period_and_none_in_a_unit_report(near_miss_world):
    provider = ProviderFactory(key_provider_since=D(2024, 9, 1))
    product = Product.objects.create(provider=provider, name="轻量 MES", recognised_on=D(2026, 4, 1))
    assert reasons(near_misses("6", **Y2025, as_of=AS_OF)) == {product.pk: ("recognised_after_period",)}
    assert reasons(near_misses("9", **Y2025, as_of=AS_OF))[provider.pk] == ("designated_before_period",)
    assert near_misses("6", **Y2025, as_of=AS_OF, unit=near_miss_world.unit) == []


def test_every_reason_has_a_label_and_near_misses_take_one_query(near_miss_world, django_assert_num_queries):
    for i in range(4):
        near_miss_world.transformed(
            D(2026, 2, 1 + i), status=Status.WITHDRAWN if i % 2 else Status.ACTIVE, withdrawn_on=D(2026, 3, 1)
        )
    with django_assert_num_queries(1):
        misses = near_misses("1", **Y2025, as_of=AS_OF)
    assert len(misses) == 4 and all(code in NEAR_MISS_REASONS for m in misses for code in m.reasons)
    with django_assert_num_queries(1):
        near_misses("8", **Y2025, as_of=AS_OF)
    with django_assert_num_queries(1):
        near_misses("R1", **Y2025, as_of=AS_OF)
