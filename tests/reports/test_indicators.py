"""The actuals of the indicator table (docs/domain.md §6), each rule and settled detail checked by hand
on small worlds; the drill-down agrees with the counts; a report costs a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest

from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from enterprises.choices import Scale, Sector, Size, Status, Tier
from funding.choices import RecognitionKind, RecognitionLevel
from providers.models import Product
from reports.selectors import indicators
from reports.selectors.indicators import NUMBERS, PILOT_START, compute, records
from tests.factories import ProviderFactory

from .helpers import Y2025, Y2026

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2026, 6, 30)


def total(as_of=AS_OF):
    return {"start": PILOT_START, "end": as_of, "as_of": as_of}


def pks(qs):
    return {obj.pk for obj in qs}


# --- Shape -------------------------------------------------------------------------------------


def test_empty_world_has_every_number(db):
    result = compute(**Y2025, as_of=AS_OF)
    assert list(result) == list(NUMBERS)
    assert {k: v for k, v in result.items() if k not in ("R1", "R2", "R3")} == dict.fromkeys(
        [n for n in NUMBERS if n not in ("R1", "R2", "R3")], 0
    )
    # A ratio with no enterprises in its denominator has no value.
    assert result["R1"] is None and result["R2"] is None and result["R3"] is None


def test_every_rule_is_a_documented_function():
    for name in dir(indicators):
        if name.startswith(("indicator_", "ratio_r")):
            assert getattr(indicators, name).__doc__, name


# --- 1–4: transformed enterprises ------------------------------------------------------------


def test_1_to_4_split_by_scale_and_tier(make):
    make.transformed(D(2025, 3, 1), scale=Scale.ABOVE, tier=Tier.LITTLE_GIANT)
    make.transformed(D(2025, 4, 1), scale=Scale.ABOVE, tier=Tier.SRDI)
    make.transformed(D(2025, 5, 1), scale=Scale.BELOW, tier=Tier.SRDI)
    make.transformed(D(2025, 6, 1), scale=Scale.BELOW, tier=Tier.INNOVATIVE)
    make.transformed(D(2025, 7, 1), scale=Scale.ABOVE, tier=Tier.NONE)
    r = compute(**Y2025, as_of=AS_OF)
    assert (r["1"], r["2"], r["1+2"], r["3"], r["4"]) == (3, 2, 5, 1, 2)


def test_1_to_4_period_windows_and_as_of_cut(make):
    make.transformed(D(2024, 9, 30))  # before the pilot began: never counts
    make.transformed(D(2024, 10, 1))  # the pilot's first day: 2025
    make.transformed(D(2025, 12, 31))  # 2025's last day
    make.transformed(D(2026, 1, 1))  # 2026's first day
    make.transformed(D(2026, 6, 30))  # the as-of date itself: counts
    make.transformed(D(2026, 7, 1))  # after the as-of date: not yet
    assert compute(**Y2025, as_of=AS_OF)["1+2"] == 2
    assert compute(**Y2026, as_of=AS_OF)["1+2"] == 2
    assert compute(**total())["1+2"] == 4
    # The whole of 2026 once the pilot is over; "total" runs past the pilot's end.
    assert compute(**Y2026, as_of=D(2027, 3, 1))["1+2"] == 3
    assert compute(**total(D(2027, 3, 1)))["1+2"] == 5
    # As of a day inside 2025, 2026 has nothing yet.
    assert compute(**Y2026, as_of=D(2025, 6, 1))["1+2"] == 0
    # A period starting before the pilot is cut at its start.
    assert compute(start=D(2024, 1, 1), end=D(2024, 12, 31), as_of=AS_OF)["1+2"] == 1


def test_1_to_4_counted_once_in_the_period_of_the_first_passed_acceptance(make):
    twice = make.transformed(D(2025, 5, 1))
    make.acceptance(twice, D(2026, 2, 1))  # a later project: not counted again
    failed_first = make.enterprise()
    make.diagnosis(failed_first)
    make.acceptance(failed_first, D(2025, 3, 1), passed=False)  # failed: not an acceptance that counts
    make.acceptance(failed_first, D(2026, 3, 1))
    early = make.transformed(D(2024, 8, 1))  # before the pilot: ignored ...
    make.acceptance(early, D(2026, 4, 1))  # ... so its first passed acceptance on/after 2024-10-01 counts
    r25, r26 = compute(**Y2025, as_of=AS_OF), compute(**Y2026, as_of=AS_OF)
    assert r25["1+2"] == 1
    assert r26["1+2"] == 2
    assert pks(records("1+2", **Y2026, as_of=AS_OF)["counted"]) == {failed_first.pk, early.pk}
    assert compute(**total())["1+2"] == 3


def test_1_to_4_need_an_accepted_current_diagnosis(make):
    ok = make.transformed(D(2025, 3, 1))
    none = make.enterprise()
    make.acceptance(none, D(2025, 3, 1))
    returned = make.enterprise()
    make.diagnosis(returned, status=DiagnosisStatus.RETURNED, current=False)
    make.acceptance(returned, D(2025, 3, 1))
    superseded = make.enterprise()
    make.diagnosis(superseded, current=False)  # accepted once, no longer the current report
    make.acceptance(superseded, D(2025, 3, 1))
    r = compute(**Y2025, as_of=AS_OF)
    assert r["1+2"] == 1
    assert pks(records("1+2", **Y2025, as_of=AS_OF)["counted"]) == {ok.pk}
    # Judged on the diagnosis's current state: accepting a report later counts the enterprise.
    make.diagnosis(none)
    assert compute(**Y2025, as_of=AS_OF)["1+2"] == 2


def test_withdrawn_enterprises_are_out_and_listed_as_not_counted(make):
    active = make.transformed(D(2025, 3, 1))
    later = make.transformed(D(2025, 3, 1), status=Status.WITHDRAWN, withdrawn_on=D(2026, 7, 1))
    on_as_of = make.transformed(D(2025, 3, 1), status=Status.WITHDRAWN, withdrawn_on=AS_OF)
    before = make.transformed(D(2025, 3, 1), status=Status.WITHDRAWN, withdrawn_on=D(2025, 12, 1))
    make.transformed(D(2025, 3, 1), status=Status.DECLINED)
    make.transformed(D(2025, 3, 1), status=Status.PROPOSED)
    assert compute(**Y2025, as_of=AS_OF)["1+2"] == 2
    drill = records("1+2", **Y2025, as_of=AS_OF)
    assert pks(drill["counted"]) == {active.pk, later.pk}
    assert pks(drill["not_counted_withdrawn"]) == {on_as_of.pk, before.pk}
    # The day before it withdrew, the enterprise was still in the list.
    assert compute(**Y2025, as_of=AS_OF - datetime.timedelta(days=1))["1+2"] == 3


def test_large_enterprises_are_never_counted(make):
    leader = make.transformed(D(2025, 3, 1), size=Size.LARGE, cloud_verified_on=D(2025, 3, 1))
    make.evaluation(leader, Stage.POST, 4, D(2025, 5, 1))
    r = compute(**Y2025, as_of=AS_OF)
    assert [r[n] for n in ("1", "2", "1+2", "3", "4", "5", "8")] == [0] * 7
    assert (r["R1"], r["R2"], r["R3"]) == (None, None, None)
    drill = records("1+2", **Y2025, as_of=AS_OF)
    assert not drill["counted"] and not drill["not_counted_withdrawn"]


# --- 5 and R3: cloud -----------------------------------------------------------------------------


def test_5_cloud_verified_inside_the_period(make):
    make.enterprise(cloud_verified_on=D(2024, 9, 30))  # before the pilot
    a = make.enterprise(cloud_verified_on=D(2024, 10, 1))
    make.enterprise(cloud_verified_on=D(2026, 2, 1))
    make.enterprise(cloud_verified_on=D(2026, 7, 1))  # after the as-of date
    make.enterprise(cloud_verified_on=D(2025, 2, 1), status=Status.WITHDRAWN, withdrawn_on=D(2026, 1, 1))
    make.enterprise()
    assert compute(**Y2025, as_of=AS_OF)["5"] == 1
    assert compute(**Y2026, as_of=AS_OF)["5"] == 1
    assert compute(**total())["5"] == 2
    drill = records("5", **Y2025, as_of=AS_OF)
    assert pks(drill["counted"]) == {a.pk}
    assert len(drill["not_counted_withdrawn"]) == 1


def test_r3_share_verified_up_to_the_period_end(make):
    make.enterprise(cloud_verified_on=D(2024, 5, 1))  # before the pilot still counts for R3
    make.enterprise(cloud_verified_on=D(2025, 6, 1))
    make.enterprise(cloud_verified_on=D(2026, 3, 1))
    make.enterprise()
    make.enterprise(cloud_verified_on=D(2025, 1, 1), status=Status.WITHDRAWN, withdrawn_on=D(2026, 1, 1))
    make.enterprise(cloud_verified_on=D(2025, 1, 1), size=Size.LARGE)
    assert compute(**Y2025, as_of=AS_OF)["R3"] == Decimal("0.5000")  # 2 of 4
    assert compute(**Y2026, as_of=AS_OF)["R3"] == Decimal("0.7500")
    # As of 2025-12-31 the withdrawn one is still in the list (3 of 5); the 2026-03 verification not yet.
    assert compute(**Y2026, as_of=D(2025, 12, 31))["R3"] == Decimal("0.6000")
    # As of 2025-01-01: the 2024 verification and the withdrawn one's, dated that very day (2 of 5).
    assert compute(**Y2025, as_of=D(2025, 1, 1))["R3"] == Decimal("0.4000")
    drill = records("R3", **Y2025, as_of=AS_OF)
    assert len(drill["counted"]) == 4
    assert sum(e.meets for e in drill["counted"]) == 2


# --- 8: level 4 -------------------------------------------------------------------------------


def test_8_first_level4_onsite_post_evaluation(make):
    first = make.enterprise()
    make.evaluation(first, Stage.POST, 4, D(2025, 5, 1))
    make.evaluation(first, Stage.POST, 4, D(2026, 2, 1))  # a second level 4: not again
    early = make.enterprise()
    make.evaluation(early, Stage.POST, 4, D(2024, 9, 1))  # first before the pilot: never counts
    make.evaluation(early, Stage.POST, 4, D(2025, 5, 1))
    baseline = make.enterprise()
    make.evaluation(baseline, Stage.BASELINE, 4, D(2025, 5, 1))  # a level-4 baseline does not count
    selfie = make.enterprise()
    make.evaluation(selfie, Stage.POST, 4, D(2025, 5, 1), method=Method.SELF)  # never counts
    draft = make.enterprise()
    make.evaluation(draft, Stage.POST, 4, D(2025, 5, 1), status=AssessmentStatus.DRAFT)  # not submitted
    later = make.enterprise()
    make.evaluation(later, Stage.POST, 3, D(2025, 5, 1))
    make.evaluation(later, Stage.POST, 4, D(2026, 3, 1))
    gone = make.enterprise(status=Status.WITHDRAWN, withdrawn_on=D(2026, 1, 1))
    make.evaluation(gone, Stage.POST, 4, D(2025, 5, 1))
    assert compute(**Y2025, as_of=AS_OF)["8"] == 1
    assert compute(**Y2026, as_of=AS_OF)["8"] == 1
    assert compute(**total())["8"] == 2
    assert compute(**Y2026, as_of=D(2026, 2, 28))["8"] == 0  # level 4 on 03-01 not yet
    drill = records("8", **total())
    assert pks(drill["counted"]) == {first.pk, later.pk}
    assert pks(drill["not_counted_withdrawn"]) == {gone.pk}


# --- R1 and R2: levels ------------------------------------------------------------------------


def test_r1_latest_onsite_evaluation_of_above_size_pilot_sector_enterprises(make):
    baseline2 = make.enterprise(sector=Sector.ELECTRONICS)
    make.evaluation(baseline2, Stage.BASELINE, 2, D(2024, 5, 1))  # a level-2 baseline counts, any date
    dropped = make.enterprise(sector=Sector.HIGH_END_EQUIPMENT)
    make.evaluation(dropped, Stage.BASELINE, 3, D(2025, 1, 1))
    make.evaluation(dropped, Stage.POST, 1, D(2025, 6, 1))  # latest is what counts
    selfie = make.enterprise()
    make.evaluation(selfie, Stage.BASELINE, 1, D(2025, 1, 1))
    make.evaluation(selfie, Stage.POST, 3, D(2025, 6, 1), method=Method.SELF)  # never counts
    future = make.enterprise()
    make.evaluation(future, Stage.BASELINE, 1, D(2025, 1, 1))
    make.evaluation(future, Stage.POST, 3, D(2026, 2, 1))  # after the 2025 period's end
    make.enterprise()  # never evaluated: in the denominator, not the numerator
    # Not in R1's denominator: below size, the "other" sector, large, withdrawn.
    for kwargs in (
        {"scale": Scale.BELOW},
        {"sector": Sector.OTHER},
        {"size": Size.LARGE},
        {"status": Status.WITHDRAWN, "withdrawn_on": D(2026, 1, 1)},
    ):
        e = make.enterprise(**kwargs)
        make.evaluation(e, Stage.BASELINE, 3, D(2025, 1, 1))
    assert compute(**Y2025, as_of=AS_OF)["R1"] == Decimal("0.2000")  # 1 of 5
    assert compute(**Y2026, as_of=AS_OF)["R1"] == Decimal("0.4000")  # future now at 3
    assert compute(**Y2026, as_of=D(2026, 1, 31))["R1"] == Decimal("0.2000")
    drill = records("R1", **Y2026, as_of=AS_OF)
    assert {e.pk for e in drill["counted"] if e.meets} == {baseline2.pk, future.pk}
    assert len(drill["not_counted_withdrawn"]) == 1


def test_latest_evaluation_ordering_on_the_same_date(make):
    post_wins = make.enterprise()
    make.evaluation(post_wins, Stage.POST, 2, D(2025, 6, 1))
    make.evaluation(post_wins, Stage.BASELINE, 1, D(2025, 6, 1))  # entered last, but post comes after
    last_entered = make.enterprise()
    make.evaluation(last_entered, Stage.POST, 3, D(2025, 6, 1))
    make.evaluation(last_entered, Stage.POST, 1, D(2025, 6, 1))  # the same stage: the one entered last
    baseline_last = make.enterprise()
    make.evaluation(baseline_last, Stage.BASELINE, 1, D(2025, 6, 1))
    make.evaluation(baseline_last, Stage.BASELINE, 2, D(2025, 6, 1))
    drill = {e.pk: e.meets for e in records("R1", **Y2025, as_of=AS_OF)["counted"]}
    assert drill == {post_wins.pk: True, last_entered.pk: False, baseline_last.pk: True}
    assert compute(**Y2025, as_of=AS_OF)["R1"] == Decimal("0.6667")


def test_r2_over_the_enterprises_counted_in_1_plus_2(make):
    good = make.transformed(D(2025, 3, 1), scale=Scale.BELOW, sector=Sector.OTHER)  # R2 is not limited
    make.evaluation(good, Stage.POST, 2, D(2025, 4, 1))
    baseline_only = make.transformed(D(2025, 3, 1))
    make.evaluation(baseline_only, Stage.BASELINE, 3, D(2025, 1, 1))  # a baseline is not a post evaluation
    down = make.transformed(D(2025, 3, 1))
    make.evaluation(down, Stage.POST, 3, D(2025, 4, 1))
    make.evaluation(down, Stage.POST, 1, D(2025, 9, 1))  # the latest post is at 1
    late = make.transformed(D(2025, 3, 1))
    make.evaluation(late, Stage.POST, 2, D(2026, 1, 15))  # after 2025's end
    outside = make.enterprise()  # not counted in 1+2: not in R2
    make.evaluation(outside, Stage.POST, 4, D(2025, 4, 1))
    assert compute(**Y2025, as_of=AS_OF)["R2"] == Decimal("0.2500")
    assert compute(**total())["R2"] == Decimal("0.5000")
    assert compute(**Y2026, as_of=AS_OF)["R2"] is None  # nobody counted in 2026: no value


# --- Recognitions, products, providers --------------------------------------------------------


def test_recognition_counts(make):
    K, L = RecognitionKind, RecognitionLevel
    on = D(2025, 5, 1)
    make.recognition(K.DIGITAL_WORKSHOP, on)
    make.recognition(K.SMART_FACTORY, on, level=L.MUNICIPAL)
    make.recognition(K.SMART_FACTORY, on, level=L.NATIONAL)
    make.recognition(K.SMART_FACTORY, on, level=L.DISTRICT)
    make.recognition(K.DEMO_SCENARIO, on, level=L.MUNICIPAL)
    make.recognition(K.DEMO_SCENARIO, on, level=L.DISTRICT)
    make.recognition(K.TYPICAL_SCENARIO, on)
    make.recognition(K.TYPICAL_SCENARIO, on, level=L.NATIONAL)
    make.recognition(K.CHAIN_MODEL, on)
    make.recognition(K.PLATFORM, on, level=L.DISTRICT)
    make.recognition(K.PLATFORM, D(2024, 9, 30))  # before the pilot: never counts
    make.recognition(K.SMART_FACTORY, D(2024, 9, 30), level=L.NATIONAL)
    make.recognition(K.DIGITAL_WORKSHOP, D(2026, 7, 1))  # after the as-of date
    r = compute(**Y2025, as_of=AS_OF)
    assert (r["7"], r["10"], r["11"], r["12"], r["13"]) == (4, 1, 3, 2, 1)
    assert compute(**Y2026, as_of=AS_OF)["7"] == 0
    assert compute(**Y2026, as_of=D(2026, 10, 31))["7"] == 1
    assert len(records("11", **Y2025, as_of=AS_OF)) == 3


def test_6_products_and_9_key_providers(make, provider):
    other = ProviderFactory(key_provider_since=D(2024, 9, 30))  # before the pilot
    provider.key_provider_since = D(2025, 2, 1)
    provider.save()
    ProviderFactory(key_provider_since=D(2026, 2, 1))
    ProviderFactory()
    Product.objects.create(provider=provider, name="p1", recognised_on=D(2024, 10, 1))
    Product.objects.create(provider=provider, name="p2", recognised_on=D(2026, 1, 1))
    Product.objects.create(provider=other, name="p3", recognised_on=D(2024, 9, 1))
    Product.objects.create(provider=other, name="p4")  # not recognised
    r25, r26 = compute(**Y2025, as_of=AS_OF), compute(**Y2026, as_of=AS_OF)
    assert (r25["6"], r26["6"], r25["9"], r26["9"]) == (1, 1, 1, 1)
    assert compute(**total())["6"] == 2
    assert [p.name for p in records("6", **total())] == ["p1", "p2"]
    assert pks(records("9", **Y2025, as_of=AS_OF)) == {provider.pk}


def test_recognitions_count_after_the_enterprise_withdrew(make):
    gone = make.enterprise(status=Status.WITHDRAWN, withdrawn_on=D(2025, 8, 1))
    make.recognition(RecognitionKind.DIGITAL_WORKSHOP, D(2025, 5, 1), enterprise=gone)
    assert compute(**Y2025, as_of=AS_OF)["7"] == 1
    assert compute(**Y2025, as_of=AS_OF, unit=gone.unit)["7"] == 1


# --- A unit's report --------------------------------------------------------------------------


def test_unit_report(make, u1, u2, provider):
    make.transformed(D(2025, 3, 1))
    theirs = make.transformed(D(2025, 3, 1), unit=u2, cloud_verified_on=D(2025, 4, 1))
    ours = make.enterprise(cloud_verified_on=D(2025, 4, 1))
    leader = make.enterprise(unit=u2, size=Size.LARGE)
    make.recognition(RecognitionKind.DIGITAL_WORKSHOP, D(2025, 5, 1), enterprise=ours)
    make.recognition(RecognitionKind.DIGITAL_WORKSHOP, D(2025, 5, 1), enterprise=theirs)
    make.recognition(RecognitionKind.PLATFORM, D(2025, 5, 1))  # tied to no enterprise
    make.recognition(RecognitionKind.CHAIN_MODEL, D(2025, 5, 1), enterprise=leader, members=[ours, theirs])
    make.recognition(RecognitionKind.CHAIN_MODEL, D(2025, 6, 1), enterprise=leader, members=[theirs])
    Product.objects.create(provider=provider, name="p1", recognised_on=D(2025, 1, 1))
    provider.key_provider_since = D(2025, 2, 1)
    provider.save()

    district = compute(**Y2025, as_of=AS_OF)
    mine = compute(**Y2025, as_of=AS_OF, unit=u1)
    theirs_r = compute(**Y2025, as_of=AS_OF, unit=u2)
    assert (district["1+2"], mine["1+2"], theirs_r["1+2"]) == (2, 1, 1)
    assert (district["5"], mine["5"], theirs_r["5"]) == (2, 1, 1)
    assert (district["7"], mine["7"], theirs_r["7"]) == (2, 1, 1)
    assert (district["10"], mine["10"], theirs_r["10"]) == (2, 1, 2)
    assert (district["13"], mine["13"], theirs_r["13"]) == (1, 0, 0)
    assert (district["6"], district["9"]) == (1, 1)
    assert (mine["6"], mine["9"]) == (None, None)
    assert list(mine) == list(NUMBERS)
    assert mine["R3"] == Decimal("0.5000")
    assert not records("6", **Y2025, as_of=AS_OF, unit=u1)
    assert not records("9", **Y2025, as_of=AS_OF, unit=u1)
    assert pks(records("1+2", **Y2025, as_of=AS_OF, unit=u2)["counted"]) == {theirs.pk}
    assert len(records("10", **Y2025, as_of=AS_OF, unit=u2)) == 2


# --- Drill-down agrees; bounded queries -------------------------------------------------------


def _world(make, u1, u2, n):
    for i in range(n):
        e = make.transformed(
            D(2025, 1 + i % 12, 1),
            unit=u2 if i % 2 else u1,
            scale=Scale.BELOW if i % 3 == 0 else Scale.ABOVE,
            tier=[Tier.NONE, Tier.SRDI, Tier.LITTLE_GIANT][i % 3],
            cloud_verified_on=D(2025, 2, 1) if i % 2 else None,
            status=Status.WITHDRAWN if i % 5 == 0 else Status.ACTIVE,
            withdrawn_on=D(2025, 9, 1) if i % 5 == 0 else None,
        )
        make.evaluation(e, Stage.BASELINE, i % 3, D(2024, 12, 1))
        make.evaluation(e, Stage.POST, 2 + i % 3, D(2025, 11, 1))
        make.recognition(RecognitionKind.SMART_FACTORY, D(2025, 3, 1), level=RecognitionLevel.MUNICIPAL, enterprise=e)


def test_drill_down_agrees_with_the_counts(make, u1, u2):
    _world(make, u1, u2, 12)
    for unit in (None, u2):
        result = compute(**Y2025, as_of=AS_OF, unit=unit)
        for number in NUMBERS:
            drill = records(number, **Y2025, as_of=AS_OF, unit=unit)
            if number in ("R1", "R2", "R3"):
                counted = list(drill["counted"])
                expected = indicators.ratio(sum(e.meets for e in counted), len(counted))
                assert result[number] == expected, number
            elif isinstance(drill, dict):
                assert result[number] == len(drill["counted"]), number
            elif result[number] is not None:
                assert result[number] == len(drill), number


@pytest.mark.parametrize("size", [3, 30])
def test_a_fixed_number_of_queries(make, u1, u2, size, django_assert_max_num_queries):
    _world(make, u1, u2, size)
    with django_assert_max_num_queries(4):
        district = compute(**Y2025, as_of=AS_OF)
    with django_assert_max_num_queries(2):
        compute(**Y2025, as_of=AS_OF, unit=u2)
    assert district["11"] == size


def test_compute_by_unit_agrees_with_each_units_report(make, u1, u2, provider, django_assert_max_num_queries):
    _world(make, u1, u2, 12)
    leader = make.enterprise(unit=u2, size=Size.LARGE)
    member = make.enterprise(unit=u1)
    make.recognition(RecognitionKind.CHAIN_MODEL, D(2025, 5, 1), enterprise=leader, members=[member])
    make.recognition(RecognitionKind.PLATFORM, D(2025, 5, 1))
    for period in (Y2025, Y2026):
        with django_assert_max_num_queries(3):
            by_unit = indicators.compute_by_unit(**period, as_of=AS_OF)
        assert len(by_unit) == 18
        for unit in (u1, u2):
            assert by_unit[unit.pk] == compute(**period, as_of=AS_OF, unit=unit), (period, unit)
    assert by_unit[u1.pk]["6"] is None
